import Foundation
import GRDB
import LedgerCore
import Testing
@testable import Marketplace

/// A cancel (or an expiry) that meets a funding still on its way to the ledger refunds it:
/// no money is left in the escrow of a closed task.
struct CloseRaceTests {
    private func setUp() async throws -> (Ledger, MarketplaceStore, SettlementService, TaskService, Principal, ManualClock) {
        let clock = ManualClock()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID().uuidString).sqlite").path
        let ledger = try Ledger(path: path, clock: clock.ledgerClock)
        let store = try MarketplaceStore(path: path)
        try await store.write { db in
            try db.execute(sql: "INSERT INTO users (id, email, password_hash, full_name, role, created_at) VALUES ('usr_1', 'a@example.com', 'x', 'A', 'agent', 0)")
        }
        let caller = Principal(userID: "usr_1", mode: .test, scopes: Set(Scope.allCases), credential: .session)
        let settlement = SettlementService(ledger: ledger, store: store, clock: clock.ledgerClock)
        _ = try await settlement.deposit(amount: "11.00", currency: "USD", idempotencyKey: "k", by: caller)
        return (ledger, store, settlement, TaskService(store: store, clock: clock.ledgerClock), caller, clock)
    }

    private func draft(deadline: String? = nil) -> TaskDraft {
        TaskDraft(title: "t", description: "d", category: "errands", budget: .init(amount: "10.00", currency: "USD"), deadline: deadline)
    }

    @Test(arguments: [TaskEvent.cancel, .expire])
    func closingRefundsAFundingStillInFlight(event: TaskEvent) async throws {
        let (ledger, store, settlement, tasks, caller, clock) = try await setUp()
        defer { store.close(); ledger.close() }
        let task = try await tasks.create(draft(deadline: Timestamps.format(clock.now + 60_000_000)), by: caller)
        // A funding recorded, not yet committed to the ledger (a concurrent fund call, or a crash).
        _ = try await settlement.recordFunding(task.id, by: caller)
        if event == .cancel {
            #expect(try await settlement.cancel(task.id, by: caller).status == .canceled)
        } else {
            clock.advance(seconds: 60)
            #expect(try await settlement.expireOverdueTasks() == [task.id])
        }
        _ = try await settlement.resumePendingOperations()
        let wallet = try await settlement.wallets(for: caller)[0]
        #expect(wallet.availableMinor == 1_100)
        #expect(wallet.frozenMinor == 0)
        let escrow = try #require(try ledger.account(code: "escrow:task:\(task.id)"))
        #expect(escrow.balance.posted(for: .liability) == 0)
        #expect(try ledger.verify().isClean)
    }

    @Test func aFundingRefusedAfterTheCancelLeavesNothingToRefund() async throws {
        let (ledger, store, settlement, tasks, caller, _) = try await setUp()
        defer { store.close(); ledger.close() }
        let task = try await tasks.create(TaskDraft(title: "t", description: "d", category: "errands",
                                              budget: .init(amount: "50.00", currency: "USD")), by: caller)
        _ = try await settlement.recordFunding(task.id, by: caller)  // more than the wallet holds
        #expect(try await settlement.cancel(task.id, by: caller).status == .canceled)
        #expect(try await settlement.resumePendingOperations() == 0)
        #expect(try await settlement.wallets(for: caller)[0].availableMinor == 1_100)
        #expect(try settlement.funding(of: task.id) == nil)
        #expect(try ledger.verify().isClean)
    }
}
