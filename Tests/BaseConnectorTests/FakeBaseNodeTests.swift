import AsyncHTTPClient
import BaseConnector
import BaseFake
import Connectors
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The fake Base node through real loopback HTTP, driven with bare JSON-RPC bodies as any
/// client sends them: pool rules with geth's messages, mining, USDC with its revert reasons,
/// receipts and logs, reorgs of unsafe blocks, and the transport faults a client must survive.
struct FakeBaseNodeTests {
    static let payerKey = [UInt8](repeating: 0x11, count: 32)
    static let relayerKey = [UInt8](repeating: 0x22, count: 32)
    static let payer = try! Secp256k1.address(of: payerKey)
    static let relayer = try! Secp256k1.address(of: relayerKey)
    static let merchant = try! EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    static let network = BaseNetwork.baseSepolia
    static let oneFinney: UInt64 = 1_000_000_000_000_000
    /// keccak256("Transfer(address,address,uint256)"), as every ERC-20 explorer shows it.
    static let transferTopic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"

    static func topic(_ address: EthereumAddress) -> String { Hex.encode([UInt8](repeating: 0, count: 12) + address.bytes) }
    static func word(_ value: UInt64) -> String { Hex.encode(UInt256(value).bytes) }
    static func quantity(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    static func withNode(_ node: FakeBaseNode = FakeBaseNode(), _ body: @Sendable (FakeBaseNode, RawRPC) async throws -> Void) async throws {
        try await FakeBaseServer.run(node) { url in try await body(node, RawRPC(url: url)) }
    }

    /// A signed type-2 transaction; a USDC transfer unless `data` says otherwise.
    static func transaction(_ key: [UInt8] = payerKey, nonce: UInt64, amount: UInt64 = 1_250_000, to: EthereumAddress = merchant,
                            data: [UInt8]? = nil, maxFee: UInt64 = 3_000_000, tip: UInt64 = 1_000_000, gas: UInt64 = 100_000,
                            chainID: UInt64 = network.chainID) throws -> SignedTransaction {
        try EIP1559Transaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: UInt256(tip), maxFeePerGas: UInt256(maxFee), gas: gas,
                               to: network.usdc, value: .zero, data: data ?? ABI.transfer(to: to, value: UInt256(amount))).signed(with: key)
    }

    static func authorization(value: UInt64 = 1_500_000, validAfter: UInt64 = 0, validBefore: UInt64,
                              nonceByte: UInt8 = 0xAB) -> TransferAuthorization {
        TransferAuthorization(from: payer, to: merchant, value: UInt256(value), validAfter: UInt256(validAfter), validBefore: UInt256(validBefore),
                              nonce: [UInt8](repeating: nonceByte, count: 32))
    }

    /// Error(string) as Solidity ABI-encodes it, written out by hand from the ABI specification.
    static func revertData(_ reason: String) -> String {
        let text = Array(reason.utf8)
        return "0x08c379a0" + word(32).dropFirst(2) + word(UInt64(text.count)).dropFirst(2)
            + Hex.encode(text + [UInt8](repeating: 0, count: (32 - text.count % 32) % 32), prefix: false)
    }

    @Test func chainIdentityAndGenesisAnswerTheNetwork() async throws {
        try await Self.withNode { _, rpc in
            #expect(try await rpc.call("eth_chainId").string == "0x14a34")
            #expect(try await rpc.call("net_version").string == "84532")
            #expect(try await rpc.call("eth_blockNumber").string == "0x0")
            let genesis = try #require(try await rpc.call("eth_getBlockByNumber", ["latest", false]).object)
            #expect(genesis["number"] as? String == "0x0")
            #expect(genesis["timestamp"] as? String == Self.quantity(1_790_000_000))
            #expect(genesis["baseFeePerGas"] as? String == "0xf4240")
            #expect(genesis["parentHash"] as? String == Hex.encode([UInt8](repeating: 0, count: 32)))
            #expect((genesis["transactions"] as? [Any])?.isEmpty == true)
        }
        try await Self.withNode(FakeBaseNode(network: .base)) { _, rpc in
            let chainID = try await rpc.call("eth_chainId")
            #expect(chainID.string == "0x2105")
        }
    }

    @Test func signedUSDCTransferIsPooledThenMinedWithFeesAndALog() async throws {
        try await Self.withNode { node, rpc in
            node.mintUSDC(to: Self.payer, amount: 5_000_000)
            node.setETHBalance(of: Self.payer, wei: Self.oneFinney)
            let signed = try Self.transaction(nonce: 0)
            #expect(try await rpc.send(signed).string == Hex.encode(signed.hash))
            #expect(node.sentTransactions == [signed.raw])
            #expect(try await rpc.call("eth_getTransactionReceipt", [Hex.encode(signed.hash)]).isNull)
            let pending = try #require(try await rpc.call("eth_getTransactionByHash", [Hex.encode(signed.hash)]).object)
            #expect(pending["blockNumber"] is NSNull)
            #expect(pending["from"] as? String == Hex.encode(Self.payer.bytes))
            #expect(try await rpc.call("eth_getTransactionCount", [Self.payer.checksummed, "pending"]).string == "0x1")
            #expect(try await rpc.call("eth_getTransactionCount", [Self.payer.checksummed, "latest"]).string == "0x0")

            #expect(node.mine() == 1)
            let receipt = try #require(try await rpc.call("eth_getTransactionReceipt", [Hex.encode(signed.hash)]).object)
            #expect(receipt["status"] as? String == "0x1")
            #expect(receipt["blockNumber"] as? String == "0x1")
            #expect(receipt["gasUsed"] as? String == Self.quantity(50_000))
            // min(maxFee 3_000_000, baseFee 1_000_000 + tip 1_000_000)
            #expect(receipt["effectiveGasPrice"] as? String == Self.quantity(2_000_000))
            #expect(receipt["l1Fee"] as? String == Self.quantity(30_000_000_000))
            #expect(receipt["type"] as? String == "0x2")
            #expect(node.receiptStatus(signed.hash) == 1)
            #expect(node.usdcBalance(of: Self.payer) == 3_750_000)
            #expect(node.usdcBalance(of: Self.merchant) == 1_250_000)
            let charged: UInt64 = 50_000 * 2_000_000 + 30_000_000_000
            #expect(node.ethBalance(of: Self.payer) == Self.oneFinney - charged)
            #expect(try await rpc.call("eth_getBalance", [Self.payer.checksummed, "latest"]).string == Self.quantity(Self.oneFinney - charged))
            #expect(try await rpc.call("eth_getBalance", [Self.payer.checksummed, "0x0"]).string == Self.quantity(Self.oneFinney))

            let toMerchant: [Any] = [Self.transferTopic, NSNull(), Self.topic(Self.merchant)]
            let filter: [String: Any] = ["fromBlock": "0x0", "toBlock": "latest", "address": Self.network.usdc.checksummed, "topics": toMerchant]
            let logs = try #require(try await rpc.call("eth_getLogs", [filter]).array)
            #expect(logs.count == 1)
            let log = try #require(logs.first as? [String: Any])
            #expect(log["data"] as? String == Self.word(1_250_000))
            #expect(log["topics"] as? [String] == [Self.transferTopic, Self.topic(Self.payer), Self.topic(Self.merchant)])
            #expect(log["transactionHash"] as? String == Hex.encode(signed.hash))
            #expect(log["blockHash"] as? String == receipt["blockHash"] as? String)
            #expect(log["logIndex"] as? String == "0x0")
            let toSomeoneElse: [Any] = [Self.transferTopic, NSNull(), Self.topic(Self.relayer)]
            #expect(try await rpc.call("eth_getLogs", [["fromBlock": "0x0", "topics": toSomeoneElse]]).array?.count == 0)
            let balanceOf = ["to": Self.network.usdc.checksummed, "data": Hex.encode(ABI.balanceOf(Self.merchant))]
            let balance = try await rpc.call("eth_call", [balanceOf, "latest"])
            #expect(balance.string == Self.word(1_250_000))
            let block = try #require(try await rpc.call("eth_getBlockByNumber", ["0x1", true]).object)
            let included = try #require((block["transactions"] as? [[String: Any]])?.first)
            #expect(included["hash"] as? String == Hex.encode(signed.hash))
            #expect(included["gasPrice"] as? String == Self.quantity(2_000_000))
            #expect(included["blockHash"] as? String == block["hash"] as? String)
            #expect(block["gasUsed"] as? String == Self.quantity(50_000))
        }
    }

    @Test func plainValueTransferMovesETHAndPaysIntrinsicGas() async throws {
        try await Self.withNode { node, rpc in
            node.setETHBalance(of: Self.payer, wei: Self.oneFinney)
            let value: UInt64 = 1_000_000_000_000
            let signed = try EIP1559Transaction(chainID: Self.network.chainID, nonce: 0, maxPriorityFeePerGas: UInt256(1_000_000),
                                                maxFeePerGas: UInt256(3_000_000), gas: 21_000, to: Self.merchant, value: UInt256(value),
                                                data: []).signed(with: Self.payerKey)
            #expect(try await rpc.send(signed).string == Hex.encode(signed.hash))
            node.mine()
            let receipt = try await rpc.call("eth_getTransactionReceipt", [Hex.encode(signed.hash)]).object
            #expect(receipt?["status"] as? String == "0x1")
            #expect(receipt?["gasUsed"] as? String == Self.quantity(21_000))
            #expect((receipt?["logs"] as? [Any])?.isEmpty == true)
            #expect(node.ethBalance(of: Self.merchant) == value)
            #expect(node.ethBalance(of: Self.payer) == Self.oneFinney - value - (21_000 * 2_000_000 + 30_000_000_000))
        }
    }

    @Test func sendsAreRefusedWithGethsMessages() async throws {
        try await Self.withNode { node, rpc in
            node.mintUSDC(to: Self.payer, amount: 5_000_000)
            node.setETHBalance(of: Self.payer, wei: Self.oneFinney)
            #expect(try await rpc.send(Self.transaction(nonce: 0, chainID: 8453)).error == Reply.Failure(-32000, "invalid chain id for signer"))
            #expect(try await rpc.call("eth_sendRawTransaction", ["0x02c0"]).error?.code == -32602)
            let first = try Self.transaction(nonce: 0)
            #expect(try await rpc.send(first).string == Hex.encode(first.hash))
            #expect(try await rpc.send(first).error == Reply.Failure(-32000, "already known"))
            // 3_200_000 is under 110% of 3_000_000.
            let cheap = try Self.transaction(nonce: 0, maxFee: 3_200_000, tip: 1_100_000)
            #expect(try await rpc.send(cheap).error == Reply.Failure(-32000, "replacement transaction underpriced"))
            let bumped = try Self.transaction(nonce: 0, maxFee: 3_300_000, tip: 1_100_000)
            #expect(try await rpc.send(bumped).string == Hex.encode(bumped.hash))
            #expect(node.pooledTransactions == [bumped.hash])
            #expect(try await rpc.call("eth_getTransactionByHash", [Hex.encode(first.hash)]).isNull)
            node.mine()
            #expect(node.receiptStatus(bumped.hash) == 1)
            #expect(node.receiptStatus(first.hash) == nil)
            #expect(try await rpc.send(first).error == Reply.Failure(-32000, "nonce too low: next nonce 1, tx nonce 0"))

            let poorKey = [UInt8](repeating: 0x33, count: 32)
            node.setETHBalance(of: try Secp256k1.address(of: poorKey), wei: 1_000)
            let want: UInt64 = 100_000 * 3_000_000 + 30_000_000_000
            #expect(try await rpc.send(Self.transaction(poorKey, nonce: 0)).error
                == Reply.Failure(-32000, "insufficient funds for gas * price + value: have 1000 want \(want)"))

            node.refuseNextSends(1, message: "over rate limit")
            let second = try Self.transaction(nonce: 1)
            #expect(try await rpc.send(second).error == Reply.Failure(-32000, "over rate limit"))
            #expect(try await rpc.send(second).string == Hex.encode(second.hash))
            #expect(node.sentTransactions == [first.raw, bumped.raw, second.raw])
        }
    }

    @Test func transactionUnderTheBaseFeeWaitsUntilTheFeeDrops() async throws {
        try await Self.withNode { node, rpc in
            node.mintUSDC(to: Self.payer, amount: 5_000_000)
            node.setETHBalance(of: Self.payer, wei: Self.oneFinney)
            node.setBaseFee(wei: 5_000_000)
            let stuck = try Self.transaction(nonce: 0, maxFee: 3_000_000)
            let behind = try Self.transaction(nonce: 1, maxFee: 20_000_000)
            _ = try await rpc.send(stuck)
            _ = try await rpc.send(behind)
            #expect(node.mine(blocks: 2) == 2)
            #expect(node.receiptStatus(stuck.hash) == nil)
            #expect(node.receiptStatus(behind.hash) == nil)  // its nonce waits behind the stuck one
            #expect(try await rpc.call("eth_getBlockByNumber", ["0x2", false]).object?["baseFeePerGas"] as? String == Self.quantity(5_000_000))
            #expect(try await rpc.call("eth_getTransactionCount", [Self.payer.checksummed, "pending"]).string == "0x2")
            #expect(try await rpc.call("eth_getTransactionCount", [Self.payer.checksummed, "latest"]).string == "0x0")

            node.setBaseFee(wei: 1_000_000)
            node.mine()
            #expect(node.receiptStatus(stuck.hash) == 1)
            #expect(node.receiptStatus(behind.hash) == 1)
            #expect(node.usdcBalance(of: Self.merchant) == 2_500_000)
            let receipt = try await rpc.call("eth_getTransactionReceipt", [Hex.encode(behind.hash)]).object
            #expect(receipt?["transactionIndex"] as? String == "0x1")
            #expect(receipt?["cumulativeGasUsed"] as? String == Self.quantity(100_000))
        }
    }

    @Test func transferWithAuthorizationExecutesOnceAndAReplayReverts() async throws {
        try await Self.withNode { node, rpc in
            node.mintUSDC(to: Self.payer, amount: 2_000_000)
            node.setETHBalance(of: Self.relayer, wei: Self.oneFinney)
            let authorization = Self.authorization(validBefore: UInt64(node.nowSeconds) + 3_600)
            let data = ABI.transferWithAuthorization(authorization, signature: try authorization.signed(on: Self.network, privateKey: Self.payerKey))
            let call: [String: Any] = ["from": Self.relayer.checksummed, "to": Self.network.usdc.checksummed, "data": Hex.encode(data)]
            #expect(try await rpc.call("eth_call", [call, "latest"]).string == "0x")  // the function returns nothing
            #expect(try await rpc.call("eth_estimateGas", [call]).string == Self.quantity(80_000))

            let first = try Self.transaction(Self.relayerKey, nonce: 0, data: data)
            _ = try await rpc.send(first)
            node.mine()
            let receipt = try #require(try await rpc.call("eth_getTransactionReceipt", [Hex.encode(first.hash)]).object)
            #expect(receipt["status"] as? String == "0x1")
            let logs = try #require(receipt["logs"] as? [[String: Any]])
            let authorizationUsedTopic = Hex.encode(Keccak256.hash(Array("AuthorizationUsed(address,bytes32)".utf8)))
            #expect(logs.map { ($0["topics"] as? [String])?.first } == [authorizationUsedTopic, Self.transferTopic])
            #expect((logs[0]["topics"] as? [String])?.last == Hex.encode(authorization.nonce))
            #expect(logs.map { $0["logIndex"] as? String } == ["0x0", "0x1"])
            #expect(node.usdcBalance(of: Self.payer) == 500_000)
            #expect(node.usdcBalance(of: Self.merchant) == 1_500_000)
            #expect(node.authorizationUsed(authorizer: Self.payer, nonce: authorization.nonce))
            let stateQuery = ABI.authorizationState(authorizer: Self.payer, nonce: authorization.nonce)
            let state = ["to": Self.network.usdc.checksummed, "data": Hex.encode(stateQuery)]
            #expect(try await rpc.call("eth_call", [state, "latest"]).string == Self.word(1))

            let reason = "FiatTokenV2: authorization is used or canceled"
            let simulated = try await rpc.call("eth_call", [call, "latest"])
            #expect(simulated.error == Reply.Failure(3, "execution reverted: \(reason)"))
            #expect(simulated.errorData == Self.revertData(reason))
            #expect(try await rpc.call("eth_estimateGas", [call]).error == Reply.Failure(3, "execution reverted: \(reason)"))

            let replay = try Self.transaction(Self.relayerKey, nonce: 1, data: data)
            _ = try await rpc.send(replay)
            let relayerBefore = node.ethBalance(of: Self.relayer)
            node.mine()
            let reverted = try #require(try await rpc.call("eth_getTransactionReceipt", [Hex.encode(replay.hash)]).object)
            #expect(reverted["status"] as? String == "0x0")
            #expect((reverted["logs"] as? [Any])?.isEmpty == true)
            #expect(node.ethBalance(of: Self.relayer) == relayerBefore - (80_000 * 2_000_000 + 30_000_000_000))
            #expect(node.usdcBalance(of: Self.merchant) == 1_500_000)
            #expect(try await rpc.call("eth_getTransactionCount", [Self.relayer.checksummed, "latest"]).string == "0x2")
        }
    }

    @Test func authorizationOutsideItsWindowOrBadlySignedReverts() async throws {
        try await Self.withNode { node, rpc in
            node.mintUSDC(to: Self.payer, amount: 2_000_000)
            node.setETHBalance(of: Self.relayer, wei: Self.oneFinney)
            let now = UInt64(node.nowSeconds)
            func simulate(_ authorization: TransferAuthorization, key: [UInt8] = Self.payerKey) async throws -> Reply {
                let data = ABI.transferWithAuthorization(authorization, signature: try authorization.signed(on: Self.network, privateKey: key))
                return try await rpc.call("eth_call", [["to": Self.network.usdc.checksummed, "data": Hex.encode(data)], "latest"])
            }
            #expect(try await simulate(Self.authorization(validAfter: now + 1_000, validBefore: now + 3_600)).error?.message
                == "execution reverted: FiatTokenV2: authorization is not yet valid")
            #expect(try await simulate(Self.authorization(validBefore: now + 3_600), key: Self.relayerKey).error?.message
                == "execution reverted: FiatTokenV2: invalid signature")
            #expect(try await simulate(Self.authorization(value: 9_000_000, validBefore: now + 3_600)).error?.message
                == "execution reverted: ERC20: transfer amount exceeds balance")

            let expiring = Self.authorization(validBefore: now + 60)
            let data = ABI.transferWithAuthorization(expiring, signature: try expiring.signed(on: Self.network, privateKey: Self.payerKey))
            let signed = try Self.transaction(Self.relayerKey, nonce: 0, data: data)
            _ = try await rpc.send(signed)
            node.advanceClock(seconds: 120)
            node.mine()
            #expect(node.receiptStatus(signed.hash) == 0)
            #expect(try await rpc.call("eth_getBlockByNumber", ["0x1", false]).object?["timestamp"] as? String == Self.quantity(now + 120))
            #expect(node.usdcBalance(of: Self.payer) == 2_000_000)
            #expect(!node.authorizationUsed(authorizer: Self.payer, nonce: expiring.nonce))
            #expect(try await simulate(expiring).error?.message == "execution reverted: FiatTokenV2: authorization is expired")
        }
    }

    @Test func reorgWithoutRequeueRemovesOnlyTheUnsafeBlocks() async throws {
        try await Self.withNode { node, rpc in
            node.mintUSDC(to: Self.payer, amount: 5_000_000)
            node.setETHBalance(of: Self.payer, wei: Self.oneFinney)
            let kept = try Self.transaction(nonce: 0, amount: 1_000_000)
            _ = try await rpc.send(kept)
            node.mine()
            node.markSafe()
            let ethAfterKept = node.ethBalance(of: Self.payer)
            let lost = try Self.transaction(nonce: 1, amount: 500_000)
            _ = try await rpc.send(lost)
            node.mine()
            #expect(node.usdcBalance(of: Self.merchant) == 1_500_000)
            let orphanHash = try await rpc.call("eth_getBlockByNumber", ["0x2", false]).object?["hash"] as? String

            node.reorgUnsafeBlocks(requeue: false)
            #expect(node.latestBlock == 1)
            #expect(node.safeBlock == 1)
            #expect(try await rpc.call("eth_getTransactionReceipt", [Hex.encode(lost.hash)]).isNull)
            #expect(try await rpc.call("eth_getTransactionByHash", [Hex.encode(lost.hash)]).isNull)
            #expect(node.receiptStatus(kept.hash) == 1)
            #expect(node.usdcBalance(of: Self.merchant) == 1_000_000)
            #expect(node.usdcBalance(of: Self.payer) == 4_000_000)
            #expect(node.ethBalance(of: Self.payer) == ethAfterKept)
            #expect(try await rpc.call("eth_getTransactionCount", [Self.payer.checksummed, "pending"]).string == "0x1")
            let logs = try await rpc.call("eth_getLogs", [["fromBlock": "0x0", "toBlock": "latest", "topics": [Self.transferTopic]]]).array
            #expect(logs?.compactMap { ($0 as? [String: Any])?["transactionHash"] as? String } == [Hex.encode(kept.hash)])
            #expect(try await rpc.call("eth_getBlockByNumber", ["0x2", false]).isNull)

            node.mine()
            let remined = try await rpc.call("eth_getBlockByNumber", ["0x2", false]).object
            #expect(remined?["hash"] as? String != orphanHash)
            #expect((remined?["transactions"] as? [Any])?.isEmpty == true)
            #expect(try await rpc.send(lost).string == Hex.encode(lost.hash))  // the client may send it again
        }
    }

    @Test func reorgWithRequeueMinesTheTransactionAgain() async throws {
        try await Self.withNode { node, rpc in
            node.mintUSDC(to: Self.payer, amount: 5_000_000)
            node.setETHBalance(of: Self.payer, wei: Self.oneFinney)
            let signed = try Self.transaction(nonce: 0)
            _ = try await rpc.send(signed)
            node.mine()
            let firstBlock = try await rpc.call("eth_getTransactionReceipt", [Hex.encode(signed.hash)]).object?["blockHash"] as? String
            #expect(firstBlock != nil)

            node.reorgUnsafeBlocks(requeue: true)
            #expect(node.latestBlock == 0)
            #expect(try await rpc.call("eth_getTransactionReceipt", [Hex.encode(signed.hash)]).isNull)
            #expect(try await rpc.call("eth_getTransactionByHash", [Hex.encode(signed.hash)]).object?["blockNumber"] is NSNull)
            #expect(node.pooledTransactions == [signed.hash])
            #expect(node.usdcBalance(of: Self.merchant) == 0)
            #expect(node.ethBalance(of: Self.payer) == Self.oneFinney)

            node.mine()
            let receipt = try await rpc.call("eth_getTransactionReceipt", [Hex.encode(signed.hash)]).object
            #expect(receipt?["status"] as? String == "0x1")
            #expect(receipt?["blockHash"] as? String != firstBlock)
            #expect(node.usdcBalance(of: Self.merchant) == 1_250_000)
        }
    }

    @Test func droppedTransactionIsForgotten() async throws {
        try await Self.withNode { node, rpc in
            node.mintUSDC(to: Self.payer, amount: 5_000_000)
            node.setETHBalance(of: Self.payer, wei: Self.oneFinney)
            let signed = try Self.transaction(nonce: 0)
            _ = try await rpc.send(signed)
            #expect(node.drop(transaction: signed.hash))
            #expect(!node.drop(transaction: signed.hash))
            node.mine()
            #expect(try await rpc.call("eth_getTransactionByHash", [Hex.encode(signed.hash)]).isNull)
            #expect(node.usdcBalance(of: Self.merchant) == 0)
            #expect(try await rpc.send(signed).string == Hex.encode(signed.hash))
        }
    }

    @Test func externalTransferIsMinedWithATransferLog() async throws {
        try await Self.withNode { node, rpc in
            let agent = try EthereumAddress("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")
            node.mintUSDC(to: agent, amount: 3_000_000)
            let hash = node.externalTransfer(from: agent, to: Self.merchant, amount: 2_000_000)
            #expect(hash.count == 32)
            let pooled = try await rpc.call("eth_getTransactionByHash", [Hex.encode(hash)]).object
            #expect(pooled?["blockNumber"] is NSNull)
            #expect(pooled?["to"] as? String == Hex.encode(Self.network.usdc.bytes))
            #expect(node.receiptStatus(hash) == nil)
            node.mine()
            #expect(node.receiptStatus(hash) == 1)
            #expect(node.usdcBalance(of: agent) == 1_000_000)
            #expect(node.usdcBalance(of: Self.merchant) == 2_000_000)
            let fromAgent: [String: Any] = ["address": [Self.network.usdc.checksummed], "topics": [Self.transferTopic, Self.topic(agent)]]
            let logs = try await rpc.call("eth_getLogs", [fromAgent]).array
            #expect((logs?.first as? [String: Any])?["transactionHash"] as? String == Hex.encode(hash))
        }
    }

    @Test func safeAndFinalizedTagsAnswerTheMarkedBlocks() async throws {
        try await Self.withNode { node, rpc in
            node.mine(blocks: 2)
            node.markSafe()
            node.markFinalized()
            node.mine(blocks: 2)
            node.markSafe()
            node.mine()
            #expect((node.latestBlock, node.safeBlock, node.finalizedBlock) == (5, 4, 2))
            for (tag, number) in [("latest", "0x5"), ("pending", "0x5"), ("safe", "0x4"), ("finalized", "0x2"), ("earliest", "0x0"), ("0x3", "0x3")] {
                #expect(try await rpc.call("eth_getBlockByNumber", [tag, false]).object?["number"] as? String == number)
            }
            #expect(try await rpc.call("eth_getBlockByNumber", ["0x6", false]).isNull)
            let safe = try #require(try await rpc.call("eth_getBlockByNumber", ["safe", false]).object)
            let byHash = try await rpc.call("eth_getBlockByHash", [try #require(safe["hash"] as? String), false]).object
            #expect(byHash?["number"] as? String == "0x4")
            #expect(byHash?["parentHash"] as? String == (try await rpc.call("eth_getBlockByNumber", ["0x3", false]).object?["hash"] as? String))
        }
    }

    @Test func feesAnswerTheBaseFeeAndTheOneTip() async throws {
        try await Self.withNode { node, rpc in
            node.setBaseFee(wei: 2_000_000)
            node.mine(blocks: 2)
            node.setBaseFee(wei: 3_000_000)
            #expect(try await rpc.call("eth_gasPrice").string == Self.quantity(4_000_000))
            #expect(try await rpc.call("eth_maxPriorityFeePerGas").string == "0xf4240")
            let history = try #require(try await rpc.call("eth_feeHistory", ["0x3", "latest", [25, 75]]).object)
            #expect(history["oldestBlock"] as? String == "0x0")
            #expect(history["baseFeePerGas"] as? [String] == ["0xf4240", "0x1e8480", "0x1e8480", "0x2dc6c0"])
            #expect((history["gasUsedRatio"] as? [Any])?.count == 3)
            #expect(history["reward"] as? [[String]] == Array(repeating: ["0xf4240", "0xf4240"], count: 3))
        }
    }

    @Test func batchesParseErrorsAndBadParamsAnswerJSONRPCErrors() async throws {
        try await Self.withNode { node, rpc in
            let batch = try await rpc.post(#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},"#
                + #"{"jsonrpc":"2.0","id":"b","method":"eth_blockNumber","params":[]},"#
                + #"{"jsonrpc":"2.0","id":3,"method":"eth_nope","params":[]}]"#)
            #expect(batch.status == 200)
            let replies = try #require(try JSONSerialization.jsonObject(with: Data(batch.text.utf8)) as? [[String: Any]])
            #expect(replies.count == 3)
            #expect(replies[0]["id"] as? Int == 1 && replies[0]["result"] as? String == "0x14a34")
            #expect(replies[1]["id"] as? String == "b" && replies[1]["result"] as? String == "0x0")
            #expect(Reply(envelope: replies[2]).error == Reply.Failure(-32601, "the method eth_nope does not exist/is not available"))

            let garbled = try await rpc.post(#"{"jsonrpc":"2.0","id":1,"method":"#)
            #expect(garbled.status == 200)
            let parseError = Reply(envelope: try #require(try JSONSerialization.jsonObject(with: Data(garbled.text.utf8)) as? [String: Any]))
            #expect(parseError.error?.code == -32700)
            #expect(parseError.envelope["id"] is NSNull)

            #expect(try await rpc.call("eth_getBalance", ["0x1234", "latest"]).error?.code == -32602)
            #expect(try await rpc.call("eth_getBlockByNumber", ["0x01", false]).error
                == Reply.Failure(-32602, "invalid argument 0: hex number with leading zero digits"))
            #expect(try await rpc.call("eth_getLogs", [["fromBlock": "0x5", "toBlock": "0x2"]]).error?.code == -32602)
            #expect(try await rpc.call("eth_getLogs", [["fromBlock": "0x0", "toBlock": "0x2710"]]).error
                == Reply.Failure(-32005, "query exceeds max block range 10000"))
            #expect(node.requestLog == ["eth_chainId", "eth_blockNumber", "eth_nope", "eth_getBalance", "eth_getBlockByNumber", "eth_getLogs",
                                        "eth_getLogs"])
        }
    }

    @Test func injectedFailuresAnswer503ThenTheNodeRecovers() async throws {
        try await Self.withNode { node, rpc in
            node.failNextRequests(2)
            let request = #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#
            let (first, second) = (try await rpc.post(request), try await rpc.post(request))
            #expect(first.status == 503 && second.status == 503)
            #expect(try await rpc.call("eth_chainId").string == "0x14a34")
            #expect(node.requestLog == ["eth_chainId"])
        }
    }
}

/// A JSON-RPC client of the bare wire, so the tests check the bytes a real client would see.
struct RawRPC: Sendable {
    let url: String

    func post(_ body: String) async throws -> (status: Int, text: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    func call(_ method: String, _ params: [Any] = []) async throws -> Reply {
        let body = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": 7, "method": method, "params": params])
        let (status, text) = try await post(String(decoding: body, as: UTF8.self))
        #expect(status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["id"] as? Int == 7)
        return Reply(envelope: object)
    }

    func send(_ signed: SignedTransaction) async throws -> Reply { try await call("eth_sendRawTransaction", [Hex.encode(signed.raw)]) }
}

/// One JSON-RPC reply: a result or an error object.
struct Reply {
    struct Failure: Equatable {
        let code: Int
        let message: String
        init(_ code: Int, _ message: String) {
            self.code = code
            self.message = message
        }
    }

    let envelope: [String: Any]

    var string: String? { envelope["result"] as? String }
    var object: [String: Any]? { envelope["result"] as? [String: Any] }
    var array: [Any]? { envelope["result"] as? [Any] }
    var isNull: Bool { envelope["result"] is NSNull }

    var error: Failure? {
        guard let error = envelope["error"] as? [String: Any], let code = error["code"] as? Int, let message = error["message"] as? String else {
            return nil
        }
        return Failure(code, message)
    }

    var errorData: String? { (envelope["error"] as? [String: Any])?["data"] as? String }
}
