import BaseConnector
import BaseFake
import Connectors
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// USDC on Base end to end: the real JSON-RPC client and signer against the fake Base node
/// over loopback HTTP; deposits, payouts and authorization funding through the API; the
/// ledger verified clean after each story.
@Suite(.serialized)
struct BaseChainFlowTests {
    /// The hot wallet's throwaway key (0x0123…ef × 4): address 0xFCAd…377c, the payTo of the x402 fixtures.
    static var hotKey: [UInt8] { Hex.decode(String(repeating: "0123456789abcdef", count: 4))! }
    /// The fixtures' payer (a throwaway key from eth-account's docs): 0x2c75…5c23.
    static var payerKey: [UInt8] { Hex.decode("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")! }

    struct Chain {
        let client: Client
        let test: TestServices
        let node: FakeBaseNode
        let hot: EthereumAddress
        let payer: EthereumAddress

        var settlement: SettlementService { test.services.settlement }

        /// One pass of the chain follower, as the server's loop runs it.
        @discardableResult
        func pass() async -> SettlementService.ChainPass { await settlement.advanceChain() }

        /// Both clocks (the marketplace's and the chain's) move together.
        func advance(seconds: Int64) {
            test.clock.advance(seconds: seconds)
            node.advanceClock(seconds: seconds)
        }

        func balance(_ code: String) throws -> AccountBalance? { try test.ledger.account(code: code)?.balance }

        func expectClean(sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(try test.ledger.verify().isClean, sourceLocation: sourceLocation)
        }

        /// The hashes of what the hot wallet sent, with their nonces, in the order the node took them.
        var hotTransactions: [(hash: [UInt8], nonce: UInt64, maxFee: UInt256, tip: UInt256)] {
            node.sentTransactions.compactMap { raw in
                guard let decoded = try? EIP1559Transaction.decode(raw), decoded.from == hot else { return nil }
                return (Keccak256.hash(raw), decoded.transaction.nonce, decoded.transaction.maxFeePerGas, decoded.transaction.maxPriorityFeePerGas)
            }
        }
    }

    static func withChain(policy: ConfirmationPolicy = .init(), _ body: @escaping @Sendable (Chain) async throws -> Void) async throws {
        let clock = ManualClock()
        let node = FakeBaseNode(network: .baseSepolia, startSeconds: clock.now / 1_000_000)
        let key = try HotWalletKey(privateKey: hotKey)
        let payer = try Secp256k1.address(of: payerKey)
        node.setETHBalance(of: key.address, wei: 1_000_000_000_000_000_000)
        try await FakeBaseServer.run(node) { url in
            let rpc = EthereumRPC(url: url, retry: .init(attempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
            let chain = ChainPayments(chain: BaseChain(network: .baseSepolia, rpc: rpc, key: key), mode: .test, policy: policy, replaceAfterSeconds: 60)
            let test = try await TestServices(clock: clock, chain: chain)
            defer { test.close() }
            try await test.services.settlement.startChain()
            let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
            try await app.test(.router) { client in
                try await body(Chain(client: client, test: test, node: node, hot: key.address, payer: payer))
            }
        }
    }

    // MARK: Deposits

    @Test func aDepositIsCreditedOnceTheBlockIsSafeAndOnlyOnce() async throws {
        try await Self.withChain { chain in
            let agent = try await chain.client.session("agent@example.com")
            let (_, platform) = try await chain.client.send(.get, "/v1/platform")
            #expect((data(platform)["usdc"] as? [String: Any])?["pay_to"] as? String == chain.hot.checksummed)
            #expect((data(platform)["connectors"] as? [String]) == ["test", "base"])
            let (registered, body) = try await chain.client.send(.post, "/v1/deposit-addresses", token: agent,
                                                                  json: #"{"address":"\#(chain.payer.checksummed)"}"#)
            #expect(registered == .created)
            #expect(data(body)["pay_to"] as? String == chain.hot.checksummed)
            let stranger = try Secp256k1.address(of: [UInt8](repeating: 9, count: 32))
            chain.node.mintUSDC(to: chain.payer, amount: 7_000_000)
            chain.node.mintUSDC(to: stranger, amount: 1_000_000)
            chain.node.externalTransfer(from: chain.payer, to: chain.hot, amount: 5_250_000)
            chain.node.externalTransfer(from: stranger, to: chain.hot, amount: 1_000_000)
            chain.node.mine()
            await chain.pass()
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 0)  // mined, not safe yet
            chain.node.markSafe()
            #expect(await chain.pass().depositsCredited == 1)
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 5_250_000)
            chain.node.mine(blocks: 3)
            chain.node.markSafe()
            #expect(await chain.pass().depositsCredited == 0)
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 5_250_000)
            #expect(try chain.balance("clearing:base:test:USDC")?.debitsPosted == 5_250_000)
            // The stranger's deposit is kept for finance, never credited to anyone.
            #expect(try Self.count(chain, "SELECT COUNT(*) FROM chain_deposits WHERE state = 'unmatched'") == 1)
            try await chain.client.expectWalletMatchesLedger(agent, chain.test, asset: "USDC")
        }
    }

    @Test func aReorgOfUnsafeBlocksCreditsNothing() async throws {
        try await Self.withChain { chain in
            let agent = try await chain.client.session("agent@example.com")
            _ = try await chain.client.send(.post, "/v1/deposit-addresses", token: agent, json: #"{"address":"\#(chain.payer.checksummed)"}"#)
            await chain.pass()  // the deposit watcher starts reading here
            chain.node.mintUSDC(to: chain.payer, amount: 5_000_000)
            chain.node.externalTransfer(from: chain.payer, to: chain.hot, amount: 5_000_000)
            chain.node.mine()
            await chain.pass()
            #expect(try Self.count(chain, "SELECT COUNT(*) FROM chain_deposits WHERE state = 'seen'") == 1)
            chain.node.reorgUnsafeBlocks(requeue: false)
            chain.node.mine(blocks: 2)
            chain.node.markSafe()
            await chain.pass()
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 0)
            #expect(try Self.count(chain, "SELECT COUNT(*) FROM chain_deposits") == 0)
            #expect(chain.node.usdcBalance(of: chain.payer) == 5_000_000)
            try chain.expectClean()
        }
    }

    @Test func aSmallDepositTakesTheFastPathAfterItsSeconds() async throws {
        try await Self.withChain(policy: ConfirmationPolicy(fastPathMaxMinor: 2_000_000, fastPathSeconds: 30)) { chain in
            let agent = try await chain.client.session("agent@example.com")
            _ = try await chain.client.send(.post, "/v1/deposit-addresses", token: agent, json: #"{"address":"\#(chain.payer.checksummed)"}"#)
            await chain.pass()  // the deposit watcher starts reading here
            chain.node.mintUSDC(to: chain.payer, amount: 5_000_000)
            chain.node.externalTransfer(from: chain.payer, to: chain.hot, amount: 1_500_000)
            chain.node.externalTransfer(from: chain.payer, to: chain.hot, amount: 3_000_000)
            chain.node.mine()
            await chain.pass()
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 0)
            chain.advance(seconds: 31)
            chain.node.mine()
            await chain.pass()
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 1_500_000)  // the large one waits for safe
            chain.node.markSafe()
            await chain.pass()
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 4_500_000)
            try chain.expectClean()
        }
    }

    // MARK: Payouts

    /// A USDC task funded from the agent's wallet (test deposit), done by a worker who linked
    /// a Base address; answers the task, the tokens and the worker's address.
    static func submittedUSDCTask(_ chain: Chain) async throws -> (task: String, agent: String, worker: String, address: EthereumAddress) {
        let agent = try await chain.client.session("agent@example.com")
        let worker = try await chain.client.session("worker@example.com", role: "human")
        let address = try Secp256k1.address(of: [UInt8](repeating: 0x42, count: 32))
        let (linked, body) = try await chain.client.send(.put, "/v1/payout-account", token: worker, json: #"{"base_address":"\#(address.checksummed)"}"#)
        #expect(linked == .ok)
        #expect(data(body)["base_address"] as? String == address.checksummed)
        _ = try await chain.client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USDC"}"#, idempotencyKey: "d1")
        let task = try await chain.client.createTask(agent, Self.usdcTask(budget: "20.00"))
        let (funded, _) = try await chain.client.send(.post, "/v1/tasks/\(task)/fund", token: agent)
        #expect(funded == .ok)
        let (_, application) = try await chain.client.send(.post, "/v1/tasks/\(task)/applications", token: worker, json: #"{"message":"me"}"#)
        let applicationID = try #require(data(application)["id"] as? String)
        _ = try await chain.client.send(.post, "/v1/tasks/\(task)/applications/\(applicationID)/accept", token: agent)
        _ = try await chain.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
        return (task, agent, worker, address)
    }

    static func usdcTask(budget: String) -> String {
        #"{"title":"Count the chairs","description":"In the hall","category":"research","budget":{"amount":"\#(budget)","currency":"USDC"}}"#
    }

    @Test func anApprovedPayoutIsConfirmedAtTheSafeHeadWithItsGasBooked() async throws {
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.hot, amount: 50_000_000)
            let (task, agent, worker, address) = try await Self.submittedUSDCTask(chain)
            let (approved, _) = try await chain.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            #expect(approved == .ok)
            #expect(chain.hotTransactions.count == 1)  // signed, stored and sent by the approval
            #expect(try await chain.client.wallet(worker, asset: "USDC").available == 0)
            #expect(try chain.balance("in-flight:payouts:base:test:USDC")?.creditsPending == 20_000_000)
            chain.node.mine()
            await chain.pass()
            #expect(chain.node.usdcBalance(of: address) == 20_000_000)
            #expect(try chain.balance("in-flight:payouts:base:test:USDC")?.creditsPending == 20_000_000)  // mined, not safe: still pending
            chain.node.markSafe()
            #expect(await chain.pass().settled == 1)
            #expect(try chain.balance("in-flight:payouts:base:test:USDC")?.creditsPending == 0)
            #expect(try chain.balance("clearing:base:test:USDC")?.creditsPosted == 20_000_000)
            let gas = try #require(try chain.balance("expense:gas:test:ETH"))
            #expect(gas.debitsPosted > 0)  // execution gas plus the L1 data fee, in gwei rounded up
            let (_, payments) = try await chain.client.send(.get, "/v1/tasks/\(task)/payments", token: agent)
            let payout = try #require((payments["data"] as? [[String: Any]])?.first { $0["kind"] as? String == "payout" })
            #expect(payout["state"] as? String == "settled")
            #expect(payout["reference"] as? String == Hex.encode(chain.hotTransactions[0].hash))
            try chain.expectClean()
        }
    }

    @Test func reconciliationMatchesTheChainsLogsAndReceiptsAndFindsATransferTheLedgerNeverSaw() async throws {
        try await Self.withChain { chain in
            let finance = FinanceService(settlement: chain.settlement)
            chain.node.mintUSDC(to: chain.hot, amount: 50_000_000)  // the float: minted, so no log
            let (task, agent, _, _) = try await Self.submittedUSDCTask(chain)
            _ = try await chain.client.send(.post, "/v1/deposit-addresses", token: agent, json: #"{"address":"\#(chain.payer.checksummed)"}"#)
            await chain.pass()  // the deposit watcher starts reading here
            chain.node.mintUSDC(to: chain.payer, amount: 3_000_000)
            chain.node.externalTransfer(from: chain.payer, to: chain.hot, amount: 3_000_000)
            _ = try await chain.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            chain.node.mine()
            chain.node.markSafe()
            await chain.pass()
            #expect(try chain.balance("clearing:base:test:USDC")?.creditsPosted == 20_000_000)

            let clean = try await finance.reconcile()
            #expect(clean.breaks == [], "\(clean.breaks.map(\.detail))")
            let base = try #require(clean.connectors.first { $0.connector == "base" })
            #expect(base.matchedByReference == 3)  // the deposit, the payout and its gas
            #expect(base.processorItems == 3)

            // USDC from an address nobody registered: on chain, never booked.
            let stranger = try Secp256k1.address(of: [UInt8](repeating: 9, count: 32))
            chain.node.mintUSDC(to: stranger, amount: 1_000_000)
            chain.node.externalTransfer(from: stranger, to: chain.hot, amount: 1_000_000)
            chain.node.mine()
            chain.node.markSafe()
            await chain.pass()
            let broken = try await finance.reconcile()
            #expect(broken.breaks.map(\.kind) == [.missingInLedger])
            #expect(broken.breaks.first?.connector == "base")
            #expect(broken.breaks.first?.processorMinor == 1_000_000)
            #expect(broken.breaks.first?.detail.contains("USDC from \(stranger.checksummed)") == true)
            try chain.expectClean()
        }
    }

    @Test func aDroppedPayoutIsSentAgainAndAStuckOneReplacedWithHigherFees() async throws {
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.hot, amount: 50_000_000)
            let (task, agent, _, address) = try await Self.submittedUSDCTask(chain)
            _ = try await chain.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            let first = try #require(chain.hotTransactions.first)
            #expect(chain.node.drop(transaction: first.hash))
            await chain.pass()  // the node forgot it: the same bytes again
            #expect(chain.hotTransactions.map(\.hash) == [first.hash, first.hash])
            // The base fee jumps above what it pays: stuck until replaced.
            chain.node.setBaseFee(wei: 50_000_000)
            chain.node.mine()
            #expect(chain.node.receiptStatus(first.hash) == nil)
            chain.advance(seconds: 61)
            #expect(await chain.pass().replaced == 1)
            let replacement = try #require(chain.hotTransactions.last)
            #expect(replacement.hash != first.hash)
            #expect(replacement.nonce == first.nonce)
            // Both fees at least 110 % of the stuck one's (here today's dearer fees, which are higher still).
            #expect(replacement.maxFee.multipliedReportingOverflow(by: 10)! >= first.maxFee.multipliedReportingOverflow(by: 11)!)
            #expect(replacement.tip.multipliedReportingOverflow(by: 10)! >= first.tip.multipliedReportingOverflow(by: 11)!)
            chain.node.mine()
            chain.node.markSafe()
            #expect(await chain.pass().settled == 1)
            #expect(chain.node.receiptStatus(replacement.hash) == 1)
            #expect(chain.node.usdcBalance(of: address) == 20_000_000)  // paid once
            #expect(Set(chain.hotTransactions.map(\.nonce)) == [first.nonce])
            try chain.expectClean()
        }
    }

    @Test(arguments: [true, false])
    func aPayoutWhoseBlockIsReorganizedAwayIsCheckedAgainAndPaidOnce(requeued: Bool) async throws {
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.hot, amount: 50_000_000)
            let (task, agent, _, address) = try await Self.submittedUSDCTask(chain)
            _ = try await chain.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            let sent = try #require(chain.hotTransactions.first)
            chain.node.mine()
            #expect(chain.node.receiptStatus(sent.hash) == 1)
            await chain.pass()  // mined, not safe: waits
            chain.node.reorgUnsafeBlocks(requeue: requeued)
            #expect(chain.node.receiptStatus(sent.hash) == nil)
            #expect(chain.node.usdcBalance(of: address) == 0)
            await chain.pass()  // no receipt now; a node that lost it gets the same bytes again
            chain.node.mine()
            chain.node.markSafe()
            #expect(await chain.pass().settled == 1)
            #expect(chain.node.usdcBalance(of: address) == 20_000_000)
            #expect(Set(chain.hotTransactions.map(\.hash)) == [sent.hash])
            #expect(try chain.balance("clearing:base:test:USDC")?.creditsPosted == 20_000_000)
            try chain.expectClean()
        }
    }

    @Test func aPayoutThatRevertsIsVoidedAndTheWorkerKeepsTheBalance() async throws {
        try await Self.withChain { chain in
            // The hot wallet holds no USDC: the transfer reverts on chain.
            let (task, agent, worker, address) = try await Self.submittedUSDCTask(chain)
            _ = try await chain.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            chain.node.mine()
            chain.node.markSafe()
            #expect(await chain.pass().failed == 1)
            #expect(chain.node.usdcBalance(of: address) == 0)
            #expect(try await chain.client.wallet(worker, asset: "USDC").available == 20_000_000)
            #expect(try chain.balance("in-flight:payouts:base:test:USDC")?.creditsPending == 0)
            #expect(try chain.balance("expense:gas:test:ETH")?.debitsPosted ?? 0 > 0)  // a reverted transaction still pays gas
            let (_, notes) = try await chain.client.send(.get, "/v1/notifications", token: worker)
            #expect((notes["data"] as? [[String: Any]])?.contains { $0["kind"] as? String == "payout_failed" } == true)
            try await chain.client.expectWalletMatchesLedger(worker, chain.test, asset: "USDC")
        }
    }

    // MARK: Authorization funding (x402)

    static var fixtures: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(PackageResources.payments_json))) as? [[String: Any]] ?? []
    }

    static func fixture(_ id: String) throws -> (name: String, value: String, version: Int) {
        let found = try #require(fixtures.first { $0["id"] as? String == id })
        return (try #require(found["header_name"] as? String), try #require(found["header_value"] as? String), try #require(found["version"] as? Int))
    }

    /// POSTs the fund request with an x402 header; answers status, headers and body.
    static func pay(_ chain: Chain, task: String, token: String, header: (name: String, value: String)?) async throws
        -> (HTTPResponse.Status, HTTPFields, [String: Any]) {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        if let header { headers[HTTPField.Name(header.name)!] = header.value }
        return try await chain.client.execute(uri: "/v1/tasks/\(task)/fund", method: .post, headers: headers, body: ByteBuffer(string: #"{"source":"usdc"}"#)) {
            ($0.status, $0.headers, try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any] ?? [:])
        }
    }

    /// Budget 0.954545 USDC: with the 10 % fee on top, 1.050000 USDC, the fixtures' price.
    static let fixtureBudget = "0.954545"

    static func decodeHeader(_ value: String?) throws -> [String: Any] {
        let bytes = try #require(value.flatMap { Data(base64Encoded: $0) })
        return try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }

    @Test(arguments: ["v1-1050000-60s", "v2-1050000-60s-server-built-402", "v2-1050000-60s-no-resource"])
    func anX402PaymentBuiltByX402sClientFundsTheTask(_ id: String) async throws {
        let fixture = try Self.fixture(id)
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.payer, amount: 2_000_000)
            let agent = try await chain.client.session("agent@example.com")
            let task = try await chain.client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            let (required, requiredHeaders, requiredBody) = try await Self.pay(chain, task: task, token: agent, header: nil)
            #expect(required.code == 402)
            let accepts = try #require((requiredBody["accepts"] as? [[String: Any]])?.first)
            #expect(accepts["maxAmountRequired"] as? String == "1050000")
            #expect(accepts["payTo"] as? String == chain.hot.checksummed)
            #expect(accepts["network"] as? String == "base-sepolia")
            #expect((accepts["extra"] as? [String: Any])?["name"] as? String == "USDC")
            let v2 = try Self.decodeHeader(requiredHeaders[HTTPField.Name("PAYMENT-REQUIRED")!])
            #expect((v2["accepts"] as? [[String: Any]])?.first?["amount"] as? String == "1050000")
            #expect((v2["accepts"] as? [[String: Any]])?.first?["network"] as? String == "eip155:84532")

            let (status, headers, body) = try await Self.pay(chain, task: task, token: agent, header: (fixture.name, fixture.value))
            #expect(status == .accepted, "\(body)")
            let responseName = fixture.version == 1 ? "X-PAYMENT-RESPONSE" : "PAYMENT-RESPONSE"
            let response = try Self.decodeHeader(headers[HTTPField.Name(responseName)!])
            #expect(response["success"] as? Bool == true)
            #expect(response["payer"] as? String == chain.payer.checksummed)
            #expect(response["network"] as? String == (fixture.version == 1 ? "base-sepolia" : "eip155:84532"))
            let hash = try #require(response["transaction"] as? String)
            // The payer is also a registered deposit address: the settlement's Transfer log must not credit it again.
            _ = try await chain.client.send(.post, "/v1/deposit-addresses", token: agent, json: #"{"address":"\#(chain.payer.checksummed)"}"#)
            await chain.pass()  // the deposit watcher starts reading here
            #expect(try chain.balance(ChartOfAccounts.standard.escrow(task: task, mode: .test, asset: .usdc).code)?.creditsPending == 1_050_000)  // held, not funded
            chain.node.mine()
            chain.node.markSafe()
            #expect(await chain.pass().settled == 1)
            #expect(chain.node.receiptStatus(Hex.decode(hash)!) == 1)
            #expect(chain.node.usdcBalance(of: chain.payer) == 950_000)
            let (_, funding) = try await chain.client.send(.get, "/v1/tasks/\(task)", token: agent)
            #expect(data(funding)["status"] as? String == "published")
            #expect(try chain.balance(ChartOfAccounts.standard.escrow(task: task, mode: .test, asset: .usdc).code)?.creditsPosted == 1_050_000)
            let (again, _, againBody) = try await Self.pay(chain, task: task, token: agent, header: nil)
            #expect(again == .ok)  // funded: the funding, not another 402
            #expect(data(againBody)["source"] as? String == "authorization")
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 0)
            #expect(try Self.count(chain, "SELECT COUNT(*) FROM chain_deposits") == 0)
            try chain.expectClean()
        }
    }

    @Test func aReplayedAuthorizationIsRefusedBeforeAndAfterSettlement() async throws {
        let fixture = try Self.fixture("v1-1050000-60s")
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.payer, amount: 5_000_000)
            let agent = try await chain.client.session("agent@example.com")
            let first = try await chain.client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            let second = try await chain.client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            #expect(try await Self.pay(chain, task: first, token: agent, header: (fixture.name, fixture.value)).0 == .accepted)
            let before = try TestDatabase.snapshot(chain.test.path)
            let (pending, _, pendingBody) = try await Self.pay(chain, task: second, token: agent, header: (fixture.name, fixture.value))
            #expect(pending == .badRequest)
            #expect(errorField(pendingBody) == "authorization.nonce")
            #expect(try TestDatabase.snapshot(chain.test.path) == before)
            chain.node.mine()
            chain.node.markSafe()
            await chain.pass()
            let (settled, _, settledBody) = try await Self.pay(chain, task: second, token: agent, header: (fixture.name, fixture.value))
            #expect(settled.code == 402)  // the chain says the nonce is used
            #expect(settledBody["field"] as? String == "authorization.nonce")
            #expect(chain.hotTransactions.count == 1)
            #expect(chain.node.usdcBalance(of: chain.payer) == 3_950_000)
            try chain.expectClean()
        }
    }

    @Test func anExpiredWindowIsRefusedAndNothingIsWritten() async throws {
        let fixture = try Self.fixture("v2-1050000-60s-no-resource")
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.payer, amount: 5_000_000)
            let agent = try await chain.client.session("agent@example.com")
            let task = try await chain.client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            chain.advance(seconds: 55)  // 60 s window: 5 s left, under the 6 s margin
            let before = try TestDatabase.snapshot(chain.test.path)
            let (status, _, body) = try await Self.pay(chain, task: task, token: agent, header: (fixture.name, fixture.value))
            #expect(status == .badRequest)
            #expect(errorField(body) == "authorization.validBefore")
            #expect(try TestDatabase.snapshot(chain.test.path) == before)
            #expect(chain.hotTransactions.isEmpty)
            try chain.expectClean()
        }
    }

    /// The fixtures x402's own verifier rejects for their signature, at the fixtures' price.
    @Test(arguments: ["v1-invalid-signed-for-base-mainnet", "v2-invalid-signed-for-base-mainnet"])
    func aSignatureByTheWrongKeyOrDomainIsRefused(_ id: String) async throws {
        let fixture = try Self.fixture(id)
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.payer, amount: 5_000_000)
            let agent = try await chain.client.session("agent@example.com")
            let budget = Self.fixtureBudget
            let task = try await chain.client.createTask(agent, Self.usdcTask(budget: budget))
            let before = try TestDatabase.snapshot(chain.test.path)
            let (status, _, body) = try await Self.pay(chain, task: task, token: agent, header: (fixture.name, fixture.value))
            #expect(status.code == 402)
            #expect(body["field"] as? String == "signature")
            #expect((body["error"] as? String)?.hasPrefix("invalid_signature") == true)
            #expect(try TestDatabase.snapshot(chain.test.path) == before)
            #expect(chain.hotTransactions.isEmpty)
        }
    }

    @Test func aSettlementThatRevertsVoidsTheHold() async throws {
        let fixture = try Self.fixture("v1-1050000-60s")
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.payer, amount: 2_000_000)
            let agent = try await chain.client.session("agent@example.com")
            let task = try await chain.client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            #expect(try await Self.pay(chain, task: task, token: agent, header: (fixture.name, fixture.value)).0 == .accepted)
            // The window closes before the settlement is mined: USDC reverts it.
            chain.advance(seconds: 120)
            chain.node.mine()
            chain.node.markSafe()
            #expect(await chain.pass().failed == 1)
            #expect(chain.node.usdcBalance(of: chain.payer) == 2_000_000)
            #expect(try chain.balance(ChartOfAccounts.standard.escrow(task: task, mode: .test, asset: .usdc).code)?.creditsPending == 0)
            #expect(try chain.balance(ChartOfAccounts.standard.escrow(task: task, mode: .test, asset: .usdc).code)?.creditsPosted == 0)
            let (_, again, _) = try await Self.pay(chain, task: task, token: agent, header: nil)
            #expect(again[HTTPField.Name("PAYMENT-REQUIRED")!] != nil)  // not funded: pay again
            try chain.expectClean()
        }
    }

    // MARK: Bad input

    @Test func badAddressesAndPaymentsAreRefusedNamingTheField() async throws {
        try await Self.withChain { chain in
            let agent = try await chain.client.session("agent@example.com")
            let worker = try await chain.client.session("worker@example.com", role: "human")
            let before = try TestDatabase.snapshot(chain.test.path)
            let lowerPayer = chain.payer.checksummed.lowercased()
            let badChecksum = "0x" + String(chain.payer.checksummed.dropFirst(2).map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })
            for (uri, token, json, field) in [
                ("/v1/deposit-addresses", agent, #"{"address":"0x1234"}"#, "address"),
                ("/v1/deposit-addresses", agent, #"{"address":"\#(badChecksum)"}"#, "address"),
                ("/v1/deposit-addresses", agent, #"{"address":"0xZZ\#(String(lowerPayer.dropFirst(4)))"}"#, "address"),
                ("/v1/payout-account", worker, #"{"base_address":"\#(badChecksum)"}"#, "base_address"),
                ("/v1/payout-account", worker, #"{"base_address":"not an address"}"#, "base_address"),
            ] {
                let (status, body) = try await chain.client.send(uri.hasSuffix("account") ? .put : .post, uri, token: token, json: json)
                #expect(status == .badRequest, "\(json)")
                #expect(errorField(body) == field, "\(json)")
                #expect(((body["error"] as? [String: Any])?["message"] as? String)?.isEmpty == false)
            }
            // More than 6 decimals of USDC.
            let (tooPrecise, preciseBody) = try await chain.client.send(.post, "/v1/wallet/deposits", token: agent,
                                                                        json: #"{"amount":"1.0000001","currency":"USDC"}"#, idempotencyKey: "p1")
            #expect(tooPrecise == .badRequest)
            #expect(errorField(preciseBody) == "amount")
            #expect(try TestDatabase.snapshot(chain.test.path) == before)

            let task = try await chain.client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            let valid = try Self.decodeHeader(try Self.fixture("v1-1050000-60s").value)
            func header(_ change: (inout [String: Any]) -> Void) -> (String, String) {
                var object = valid
                change(&object)
                return ("X-PAYMENT", X402.encode(object))
            }
            func authorization(_ name: String, _ value: String) -> (String, String) {
                header { object in
                    var payload = object["payload"] as! [String: Any]
                    var fields = payload["authorization"] as! [String: Any]
                    fields[name] = value
                    payload["authorization"] = fields
                    object["payload"] = payload
                }
            }
            let signature = ((valid["payload"] as? [String: Any])?["signature"] as? String) ?? ""
            let before2 = try TestDatabase.snapshot(chain.test.path)
            for (sent, field) in [
                (("X-PAYMENT", "not base64!"), "X-PAYMENT"),
                (header { $0["network"] = "base" }, "network"),  // another chain id
                (header { $0["scheme"] = "upto" }, "scheme"),
                (authorization("from", "0x1234"), "authorization.from"),
                (authorization("to", badChecksum), "authorization.to"),
                (authorization("value", "1.05"), "authorization.value"),
                (authorization("value", "1050001"), "authorization.value"),
                (header { object in
                    var payload = object["payload"] as! [String: Any]
                    payload["signature"] = String(signature.dropLast(2))  // truncated
                    object["payload"] = payload
                }, "signature"),
                (authorization("nonce", "0x1234"), "authorization.nonce"),
            ] {
                let (status, _, body) = try await Self.pay(chain, task: task, token: agent, header: sent)
                #expect(status == .badRequest, "\(field): \(body)")
                #expect(errorField(body) == field)
            }
            #expect(try TestDatabase.snapshot(chain.test.path) == before2)
            #expect(chain.hotTransactions.isEmpty)
        }
    }

    static func count(_ chain: Chain, _ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: chain.test.path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}
