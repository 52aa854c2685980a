import BaseConnector
import BaseFake
import Connectors
import Foundation
import HTTPTypes
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// A receipt without op-geth's `l1Fee` on Base, which charges one to every signed transaction:
/// the fee is read as 0 (the execution gas is all the ledger can book), and the transaction is
/// named by reconciliation, so nobody takes the gas figure for the whole cost.
extension BaseChainFlowTests {
    @Test func aReceiptWithoutAnL1FeeIsNamedByReconciliation() async throws {
        try await Self.withChain { chain in
            let finance = FinanceService(settlement: chain.settlement)
            chain.node.mintUSDC(to: chain.hot, amount: 50_000_000)
            chain.node.omitL1FeeInReceipts()
            let (task, agent, _, _) = try await Self.submittedUSDCTask(chain)
            _ = try await chain.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            chain.node.mine()
            chain.node.markSafe()
            #expect(await chain.pass().settled == 1)
            let hash = Hex.encode(try #require(chain.hotTransactions.first).hash)
            let receipt = try #require(try await chain.settlement.chain?.chain.receipt(of: hash))
            #expect(receipt.l1FeeUnreported)
            // Only the execution gas is known and booked: gasUsed × price, rounded up to gwei.
            let gas = try #require(try chain.balance("expense:gas:test:ETH"))
            #expect(gas.debitsPosted == (Int64(receipt.feeWei) + 999_999_999) / 1_000_000_000)
            let run = try await finance.reconcile()
            let unreported = run.breaks.filter { $0.kind == .feeUnreported }
            #expect(unreported.map(\.reference) == [hash.lowercased()])
            #expect(unreported.first?.detail.contains("no l1Fee") == true)
            #expect(run.breaks.count == 1, "\(run.breaks.map(\.detail))")  // the payout and its gas still match

            // A receipt that reports the fee is not named.
            chain.node.omitL1FeeInReceipts(false)
            let reported = try #require(try await chain.settlement.chain?.chain.receipt(of: hash))
            #expect(!reported.l1FeeUnreported)
            #expect(reported.feeWei > receipt.feeWei)
            try chain.expectClean()
        }
    }
}
