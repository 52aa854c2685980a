import BaseConnector
import BaseFake
import Connectors
import Testing

/// The JSON-RPC client and the chain connector against the fake node over loopback HTTP:
/// typed node errors, retries for transport failures only, and a refusal to work for a node
/// on another chain.
struct EthereumRPCTests {
    static var hotKey: [UInt8] { [UInt8](repeating: 0x31, count: 32) }

    static func withRPC(_ node: FakeBaseNode = FakeBaseNode(), _ body: @escaping @Sendable (EthereumRPC) async throws -> Void) async throws {
        try await FakeBaseServer.run(node) { url in
            try await body(EthereumRPC(url: url, retry: .init(attempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(2))))
        }
    }

    @Test func readsChainHeadsFeesAndCounts() async throws {
        let node = FakeBaseNode(network: .baseSepolia, baseFeePerGas: 2_000_000)
        try await Self.withRPC(node) { rpc in
            #expect(try await rpc.chainID() == 84_532)
            node.mine(blocks: 3)
            node.markSafe()
            node.mine(blocks: 2)
            #expect(try await rpc.blockNumber() == 5)
            #expect(try await rpc.block(.latest)?.number == 5)
            #expect(try await rpc.block(.safe)?.number == 3)
            #expect(try await rpc.block(.finalized)?.number == 0)
            #expect(try await rpc.block(.number(99)) == nil)
            #expect(try await rpc.block(.latest)?.baseFeePerGas == UInt256(2_000_000))
            let history = try await rpc.feeHistory(blocks: 2, percentiles: [50])
            #expect(history.baseFeePerGas.count == 3)
            #expect(history.reward.count == 2)
            let chain = BaseChain(network: .baseSepolia, rpc: rpc, key: try HotWalletKey(privateKey: Self.hotKey))
            let fees = try await chain.suggestedFees()
            let tip = try await rpc.maxPriorityFeePerGas().uint64!
            #expect(fees.maxPriorityFeePerGas == tip)
            #expect(fees.maxFeePerGas == 2 * 2_000_000 + tip)  // 2 × base fee + tip
            #expect(try await chain.pendingNonce() == 0)
        }
    }

    @Test func aReplacementRaisesBothFeesByAtLeastTenPercentRoundedUp() {
        let stuck = ChainFees(maxFeePerGas: 3_000_001, maxPriorityFeePerGas: 1_000_001)
        let cheap = ChainFees(maxFeePerGas: 1, maxPriorityFeePerGas: 1)
        let bumped = stuck.bumped(byPercent: 10, floor: cheap)
        #expect(bumped.maxFeePerGas == 3_300_002)  // 3,300,001.1 rounded up
        #expect(bumped.maxPriorityFeePerGas == 1_100_002)
        let dearer = stuck.bumped(byPercent: 10, floor: ChainFees(maxFeePerGas: 9_000_000, maxPriorityFeePerGas: 2_000_000))
        #expect(dearer == ChainFees(maxFeePerGas: 9_000_000, maxPriorityFeePerGas: 2_000_000))  // today's fees when higher
        let tipAboveMax = ChainFees(maxFeePerGas: 10, maxPriorityFeePerGas: 10).bumped(byPercent: 10, floor: ChainFees(maxFeePerGas: 1, maxPriorityFeePerGas: 50))
        #expect(tipAboveMax.maxFeePerGas >= tipAboveMax.maxPriorityFeePerGas)  // never a tip above the cap
    }

    @Test func aNodeOnAnotherChainIsRefusedBeforeAnythingIsSigned() async throws {
        try await Self.withRPC(FakeBaseNode(network: .base)) { rpc in
            let chain = BaseChain(network: .baseSepolia, rpc: rpc, key: try HotWalletKey(privateKey: Self.hotKey))
            await #expect(throws: ConnectorError.self) { try await chain.checkChain() }
            do { try await chain.checkChain() } catch let error as ConnectorError {
                guard case .refused(_, _, let code, let message, let param) = error else { Issue.record("\(error)"); return }
                #expect(code == "wrong_chain")
                #expect(param == "chain_id")
                #expect(message.contains("8453"))
            }
        }
    }

    @Test func transportFailuresAreRetriedAndNodeErrorsAreNot() async throws {
        let node = FakeBaseNode()
        try await Self.withRPC(node) { rpc in
            node.failNextRequests(2)
            #expect(try await rpc.chainID() == 84_532)  // two 503s, then the answer
            node.failNextRequests(5)
            await #expect(throws: RPCError.self) { try await rpc.chainID() }
            node.refuseNextSends(1, message: "nonce too low: next nonce 4, tx nonce 3")
            let before = node.requestLog.count
            let key = try HotWalletKey(privateKey: Self.hotKey)
            let transaction = try key.sign(EIP1559Transaction(chainID: 84_532, nonce: 3, maxPriorityFeePerGas: UInt256(1), maxFeePerGas: UInt256(10_000_000),
                                                              gas: 21_000, to: key.address, value: .zero, data: []))
            do {
                _ = try await rpc.sendRawTransaction(transaction.raw)
                Issue.record("the refusal was not reported")
            } catch let error as RPCError {
                #expect(error.says("nonce too low"))
                if case .node(let code, _, _) = error { #expect(code == -32000) } else { Issue.record("\(error)") }
            }
            #expect(node.requestLog.count == before + 1)  // answered: never retried
        }
    }

    @Test func aBroadcastThatTheNodeKnowsIsSentAndARevertHasItsReason() async throws {
        let node = FakeBaseNode()
        let key = try HotWalletKey(privateKey: Self.hotKey)
        node.setETHBalance(of: key.address, wei: 1_000_000_000_000_000)
        try await Self.withRPC(node) { rpc in
            let chain = BaseChain(network: .baseSepolia, rpc: rpc, key: key)
            let recipient = try EthereumAddress("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")
            let signed = try chain.signTransfer(to: recipient.checksummed, amountMinor: 1_000_000, nonce: 0, fees: try await chain.suggestedFees())
            #expect(try await chain.broadcast(signed) == .sent)
            #expect(try await chain.broadcast(signed) == .sent)  // "already known"
            #expect(try await chain.knows(signed.hash))
            #expect(try await chain.receipt(of: signed.hash) == nil)
            node.mine()
            let receipt = try #require(try await chain.receipt(of: signed.hash))
            #expect(!receipt.succeeded)  // the hot wallet holds no USDC: the transfer reverts
            #expect(receipt.feeWei > 0)
            do {
                _ = try await rpc.estimateGas(from: key.address, to: BaseNetwork.baseSepolia.usdc, data: ABI.transfer(to: recipient, value: UInt256(1)))
                Issue.record("the estimate did not revert")
            } catch let error as RPCError {
                #expect(error.revertReason == "ERC20: transfer amount exceeds balance")
            }
            node.mintUSDC(to: key.address, amount: 5)
            #expect(try await rpc.estimateGas(from: key.address, to: BaseNetwork.baseSepolia.usdc, data: ABI.transfer(to: recipient, value: UInt256(1))) > 21_000)
            node.setETHBalance(of: key.address, wei: 1_000_000_000_000_000)
            do {
                _ = try await rpc.call(to: BaseNetwork.baseSepolia.usdc, data: ABI.transfer(to: recipient, value: UInt256(6)), from: key.address)
                Issue.record("the call did not revert")
            } catch let error as RPCError {
                #expect(error.revertReason == "ERC20: transfer amount exceeds balance")
            }
        }
    }
}
