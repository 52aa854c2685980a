import BaseConnector
import BaseFake
import Connectors
import Testing

/// Log queries are paged by block range, and a provider's "range too large" or "too many
/// results" answer splits the range in half until each part is answered.
struct LogPagingTests {
    @Test func transfersAcrossMoreBlocksAndLogsThanTheProviderAnswersAtOnceAreAllFound() async throws {
        let node = FakeBaseNode(network: .baseSepolia)
        node.limitLogs(blockRange: 100, results: 3)
        let key = try HotWalletKey(privateKey: EthereumRPCTests.hotKey)
        let payer = try Secp256k1.address(of: [UInt8](repeating: 0x44, count: 32))
        node.mintUSDC(to: payer, amount: 100)
        for round in 0..<10 {
            node.externalTransfer(from: payer, to: key.address, amount: 1)
            if round.isMultiple(of: 2) { node.externalTransfer(from: payer, to: key.address, amount: 2) }
            node.mine(blocks: 37)
        }
        try await EthereumRPCTests.withRPC(node) { rpc in
            let chain = BaseChain(network: .baseSepolia, rpc: rpc, key: key)
            let found = try await chain.incomingTransfers(to: key.address.checksummed, from: 0, through: node.latestBlock)
            #expect(found.count == 15)
            #expect(found.reduce(0) { $0 + $1.amountMinor } == 20)
            #expect(found.map(\.blockNumber) == found.map(\.blockNumber).sorted())
        }
    }

    @Test(arguments: [
        (RPCError.node(code: -32005, message: "query returned more than 10000 results", data: nil), true),
        (RPCError.node(code: -32614, message: "eth_getLogs is limited to a 10,000 range", data: nil), true),
        (RPCError.node(code: -32602, message: "block range too large", data: nil), true),
        (RPCError.node(code: -32602, message: "invalid argument 0: hex string without 0x prefix", data: nil), false),
        (RPCError.http(status: 413, method: "eth_getLogs"), true),
        (RPCError.http(status: 400, method: "eth_getLogs"), false),
        (RPCError.node(code: 3, message: "execution reverted", data: nil), false),
    ])
    func aProvidersRangeAnswersAreReadAsTooLarge(_ error: RPCError, _ tooLarge: Bool) {
        #expect(error.isLogRangeTooLarge == tooLarge)
    }
}
