import Foundation
import GRDB
import LedgerCore
import Testing
@testable import Marketplace

/// Funding and closing (cancel, expiry) each land in one commit, so they cannot interleave; a
/// funding an older binary recorded apart from its ledger batch (then stopped) is committed and
/// refunded by the close; and a funding the wallet cannot cover leaves nothing at all.
struct CloseRaceTests {
    private func setUp() async throws -> (Ledger, MarketplaceStore, SettlementService, TaskService, Principal, ManualClock) {
        let clock = ManualClock()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID().uuidString).sqlite").path
        let ledger = try Ledger(path: path, clock: clock.ledgerClock)
        let store = try MarketplaceStore(ledger: ledger)
        try await store.writeDB { db in
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

    /// What an older binary left when it stopped between recording a funding and committing it:
    /// the operation (pending) and the task's funding row.
    private func recordFundingApart(_ taskID: String, ledger: Ledger, store: MarketplaceStore) async throws {
        let wallet = try #require(try ledger.account(code: ChartOfAccounts.standard.wallet(user: "usr_1", mode: .test, asset: .usd).code)).id
        let escrow = try await ledger.createAccounts([ChartOfAccounts.standard.escrow(task: taskID, mode: .test, asset: .usd)])[0].id
        let split = try Pricing.standard.split(budgetMinor: 1_000, paidBy: .agent)
        try await store.writeDB { db in
            _ = try Operation.record(key: "fund:\(taskID)", in: Stores(db), nowMicros: 0) { first in
                PostingRecipes.fundFromWallet(id: first, wallet: wallet, escrow: escrow, split: split, asset: .usd)
            }
            try db.execute(sql: """
                INSERT INTO task_funding (task_id, escrow_account_id, asset, escrow_minor, payout_minor, fee_minor, fee_rule, funded_at, source)
                VALUES (?, ?, 'USD', ?, ?, ?, ?, 0, 'wallet')
                """, arguments: [taskID, escrow.rawValue, split.escrowMinor, split.payoutMinor, split.feeMinor, Pricing.standard.version])
        }
    }

    @Test(arguments: [TaskEvent.cancel, .expire])
    func closingRefundsAFundingRecordedApartFromItsBatch(event: TaskEvent) async throws {
        let (ledger, store, settlement, tasks, caller, clock) = try await setUp()
        defer { store.close(); ledger.close() }
        let task = try await tasks.create(draft(deadline: Timestamps.format(clock.now + 60_000_000)), by: caller)
        try await recordFundingApart(task.id, ledger: ledger, store: store)
        if event == .cancel {
            #expect(try await settlement.cancel(task.id, by: caller).task.status == .canceled)
        } else {
            clock.advance(seconds: 60)
            #expect(try await settlement.expireOverdueTasks() == [task.id])
        }
        #expect(try await settlement.resumePendingOperations() == 0)
        let wallet = try await settlement.wallets(for: caller)[0]
        #expect(wallet.availableMinor == 1_100)
        #expect(wallet.frozenMinor == 0)
        let escrow = try #require(try ledger.account(code: "escrow:task:test:\(task.id)"))
        #expect(escrow.balance.posted(for: .liability) == 0)
        #expect(escrow.balance.creditsPosted > 0)
        #expect(try ledger.verify().isClean)
    }

    @Test(arguments: [TaskEvent.cancel, .expire])
    func fundingAndClosingAtOnceNeverStrandMoney(event: TaskEvent) async throws {
        let (ledger, store, settlement, tasks, caller, clock) = try await setUp()
        defer { store.close(); ledger.close() }
        let task = try await tasks.create(draft(deadline: Timestamps.format(clock.now + 60_000_000)), by: caller)
        if event == .expire { clock.advance(seconds: 60) }
        async let funded = try? settlement.fund(task.id, by: caller)
        async let closed = event == .cancel ? [try settlement.cancel(task.id, by: caller).task.id] : try settlement.expireOverdueTasks()
        _ = await funded
        #expect(try await closed == [task.id])
        let wallet = try await settlement.wallets(for: caller)[0]
        #expect(wallet.availableMinor == 1_100)
        #expect(wallet.frozenMinor == 0)
        #expect(try ledger.account(code: "escrow:task:test:\(task.id)").map { $0.balance.posted(for: .liability) } ?? 0 == 0)
        #expect(try ledger.verify().isClean)
    }

    @Test func aFundingTheWalletCannotCoverLeavesNothing() async throws {
        let (ledger, store, settlement, tasks, caller, _) = try await setUp()
        defer { store.close(); ledger.close() }
        let task = try await tasks.create(TaskDraft(title: "t", description: "d", category: "errands",
                                              budget: .init(amount: "50.00", currency: "USD")), by: caller)
        let before = try ledger.head().seq
        do {
            _ = try await settlement.fund(task.id, by: caller)
            Issue.record("a funding of 55.00 from a wallet of 11.00 went through")
        } catch {
            guard case .insufficientBalance(let available, let required, let asset) = error else { throw error }
            #expect(available == 1_100 && required == 5_500 && asset == "USD")
        }
        // No escrow account, no operation, no funding row, no journal row.
        #expect(try ledger.account(code: "escrow:task:test:\(task.id)") == nil)
        #expect(try ledger.head().seq == before)
        #expect(try settlement.funding(of: task.id) == nil)
        #expect(try store.readDB { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operations WHERE key = ?", arguments: ["fund:\(task.id)"]) } == 0)
        #expect(try await settlement.cancel(task.id, by: caller).task.status == .canceled)
        #expect(try await settlement.wallets(for: caller)[0].availableMinor == 1_100)
        #expect(try ledger.verify().isClean)
    }
}
