import BaseConnector
import BaseFake
import Connectors
import Foundation
import HTTPTypes
import LedgerCore
import Marketplace
import Testing

/// EIP-3009 authorizations may be submitted by anyone: a third party who sends the agent's
/// X-PAYMENT before the hot wallet does moves the USDC to us, and our settlement reverts.
extension BaseChainFlowTests {
    /// The fixture's signed authorization as the token reads it, for a third party to submit.
    static func signedAuthorization(_ fixture: (name: String, value: String, version: Int)) throws -> (TransferAuthorization, RecoverableSignature) {
        let fields = try X402.payment(header: fixture.value, version: fixture.version).authorization
        let transfer = TransferAuthorization(from: try EthereumAddress(fields.from), to: try EthereumAddress(fields.to),
                                             value: UInt256(try #require(UInt64(fields.value))),
                                             validAfter: UInt256(try #require(UInt64(fields.validAfter))),
                                             validBefore: UInt256(try #require(UInt64(fields.validBefore))), nonce: try #require(Hex.decode(fields.nonce)))
        return (transfer, try RecoverableSignature(bytes65: try #require(Hex.decode(fields.signature))))
    }

    @Test(arguments: [false, true])
    func aThirdPartySettlingTheAgentsAuthorizationFirstFundsTheTaskOnce(payerRegistered: Bool) async throws {
        let fixture = try Self.fixture("v1-1050000-60s")
        try await Self.withChain { chain in
            let finance = FinanceService(settlement: chain.settlement)
            chain.node.mintUSDC(to: chain.payer, amount: 2_000_000)
            let agent = try await chain.client.session("agent@example.com")
            if payerRegistered {
                _ = try await chain.client.send(.post, "/v1/deposit-addresses", token: agent, json: #"{"address":"\#(chain.payer.checksummed)"}"#)
            }
            let task = try await chain.client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            await chain.pass()  // the deposit watcher starts reading here
            #expect(try await Self.pay(chain, task: task, token: agent, header: (fixture.name, fixture.value)).0 == .accepted)
            // Broadcast by the request within its 3 s bound, or (on a loaded machine) by the chain loop's next pass.
            if chain.hotTransactions.isEmpty { await chain.pass() }
            let ours = try #require(chain.hotTransactions.first?.hash)

            let (authorization, signature) = try Self.signedAuthorization(fixture)
            let relayer = try Secp256k1.address(of: [UInt8](repeating: 7, count: 32))
            let theirs = chain.node.submitAuthorization(authorization, signature: signature, from: relayer)
            chain.node.mine()
            #expect(chain.node.receiptStatus(theirs) == 1)
            #expect(chain.node.receiptStatus(ours) == 0)  // "authorization is used or canceled"
            chain.node.markSafe()
            #expect(await chain.pass().settled == 1)

            let escrow = ChartOfAccounts.standard.escrow(task: task, mode: .test, asset: .usdc).code
            #expect(try chain.balance(escrow)?.creditsPosted == 1_050_000)
            #expect(try chain.balance(escrow)?.creditsPending == 0)
            let (_, _, funding) = try await Self.pay(chain, task: task, token: agent, header: nil)
            #expect(data(funding)["source"] as? String == "authorization")
            // Later passes see the relayer's Transfer again: it funded the task, so it is no deposit.
            chain.node.mine(blocks: 2)
            chain.node.markSafe()
            await chain.pass()
            #expect(try chain.balance(escrow)?.creditsPosted == 1_050_000)
            #expect(try Self.count(chain, "SELECT COUNT(*) FROM chain_deposits") == 0)
            #expect(try await chain.client.wallet(agent, asset: "USDC").available == 0)

            let clearing = try #require(try chain.balance("clearing:base:test:USDC"))
            #expect(Int64(chain.node.usdcBalance(of: chain.hot)) == clearing.debitsPosted - clearing.creditsPosted)
            #expect(chain.node.usdcBalance(of: chain.payer) == 950_000)
            let run = try await finance.reconcile()
            #expect(run.breaks == [], "\(run.breaks.map(\.detail))")
            try chain.expectClean()
        }
    }

    @Test func aThirdPartysTransferSeenBeforeOurReceiptIsNoDeposit() async throws {
        let fixture = try Self.fixture("v1-1050000-60s")
        try await Self.withChain { chain in
            chain.node.mintUSDC(to: chain.payer, amount: 2_000_000)
            let agent = try await chain.client.session("agent@example.com")
            let task = try await chain.client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            await chain.pass()
            #expect(try await Self.pay(chain, task: task, token: agent, header: (fixture.name, fixture.value)).0 == .accepted)
            let ours = try #require(chain.hotTransactions.first?.hash)
            #expect(chain.node.drop(transaction: ours))  // the node forgot ours: the relayer's is mined alone
            let (authorization, signature) = try Self.signedAuthorization(fixture)
            chain.node.submitAuthorization(authorization, signature: signature, from: try Secp256k1.address(of: [UInt8](repeating: 7, count: 32)))
            chain.node.mine()
            chain.node.markSafe()
            #expect(await chain.pass().settled == 0)  // ours is sent again; the relayer's Transfer waits for it
            #expect(try Self.count(chain, "SELECT COUNT(*) FROM chain_deposits") == 0)
            chain.node.mine()
            chain.node.markSafe()
            #expect(await chain.pass().settled == 1)
            #expect(chain.node.receiptStatus(ours) == 0)
            #expect(try chain.balance(ChartOfAccounts.standard.escrow(task: task, mode: .test, asset: .usdc).code)?.creditsPosted == 1_050_000)
            #expect(try Self.count(chain, "SELECT COUNT(*) FROM chain_deposits") == 0)
            let run = try await FinanceService(settlement: chain.settlement).reconcile()
            #expect(run.breaks == [], "\(run.breaks.map(\.detail))")
            try chain.expectClean()
        }
    }
}
