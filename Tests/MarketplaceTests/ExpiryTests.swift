import Foundation
import GRDB
import LedgerCore
import Testing
@testable import Marketplace

/// Published tasks past their deadline expire, and a funded one's escrow goes back in full.
struct ExpiryTests {
    @Test func overdueTasksExpireAndFundedOnesAreRefunded() async throws {
        let clock = ManualClock()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("expiry-\(UUID().uuidString).sqlite").path
        let ledger = try Ledger(path: path, clock: clock.ledgerClock)
        defer { ledger.close() }
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        try await store.writeDB { db in
            try db.execute(sql: "INSERT INTO users (id, email, password_hash, full_name, role, created_at) VALUES ('usr_1', 'a@example.com', 'x', 'A', 'agent', 0)")
        }
        let caller = Principal(userID: "usr_1", mode: .test, scopes: Set(Scope.allCases), credential: .session)
        let tasks = TaskService(store: store, clock: clock.ledgerClock)
        let settlement = SettlementService(ledger: ledger, store: store, clock: clock.ledgerClock)
        let deadline = Timestamps.format(clock.now + 3_600_000_000)
        func draft(_ title: String, deadline: String?) -> TaskDraft {
            TaskDraft(title: title, description: "d", category: "errands", budget: .init(amount: "10.00", currency: "USD"), deadline: deadline)
        }
        let funded = try await tasks.create(draft("funded", deadline: deadline), by: caller)
        let unfunded = try await tasks.create(draft("unfunded", deadline: deadline), by: caller)
        let open = try await tasks.create(draft("no deadline", deadline: nil), by: caller)
        _ = try await settlement.deposit(amount: "11.00", currency: "USD", idempotencyKey: "k", by: caller)
        _ = try await settlement.fund(funded.id, by: caller)
        #expect(try await settlement.wallets(for: caller)[0].availableMinor == 0)

        #expect(try await settlement.expireOverdueTasks().isEmpty)
        clock.advance(seconds: 3_600)
        let expired = try await settlement.expireOverdueTasks()
        #expect(Set(expired) == [funded.id, unfunded.id])
        #expect(try tasks.task(funded.id, for: caller).status == .expired)
        #expect(try tasks.task(open.id, for: caller).status == .published)
        #expect(try await settlement.wallets(for: caller)[0].availableMinor == 1_100)
        #expect(try await settlement.wallets(for: caller)[0].frozenMinor == 0)
        #expect(try await settlement.expireOverdueTasks().isEmpty)  // nothing twice
        #expect(try ledger.verify().isClean)
    }
}

/// A pricing change applies only to tasks funded after it: each funding keeps the rule (and
/// its version) it was made under, and approval pays by that rule.
struct PricingChangeTests {
    @Test func aNewFeeRuleAppliesOnlyToLaterFundings() async throws {
        let clock = ManualClock()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pricing-\(UUID().uuidString).sqlite").path
        let ledger = try Ledger(path: path, clock: clock.ledgerClock)
        defer { ledger.close() }
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        try await store.writeDB { db in
            try db.execute(sql: "INSERT INTO users (id, email, password_hash, full_name, role, created_at) VALUES ('usr_1', 'a@example.com', 'x', 'A', 'agent', 0)")
            try db.execute(sql: "INSERT INTO users (id, email, password_hash, full_name, role, created_at) VALUES ('usr_2', 'h@example.com', 'x', 'H', 'human', 0)")
        }
        let agent = Principal(userID: "usr_1", mode: .test, scopes: Set(Scope.allCases), credential: .session)
        let human = Principal(userID: "usr_2", mode: .test, scopes: Set(Scope.allCases), credential: .session, role: .human)
        let tasks = TaskService(store: store, clock: clock.ledgerClock)
        let before = SettlementService(ledger: ledger, store: store, clock: clock.ledgerClock)
        let after = SettlementService(ledger: ledger, store: store, pricing: Pricing(version: "2027-01-v2", policy: try FeePolicy(basisPoints: 500, fixedMinor: 25, payer: .agentOnTop)),
                                      clock: clock.ledgerClock)
        func task() async throws -> String {
            try await tasks.create(TaskDraft(title: "t", description: "d", category: "errands", budget: .init(amount: "10.00", currency: "USD")), by: agent).id
        }
        _ = try await before.deposit(amount: "100.00", currency: "USD", idempotencyKey: "k", by: agent)
        let old = try await task()
        let oldFunding = try await before.fund(old, by: agent)
        // The rule changes; the next funding uses it, the first keeps its own.
        let new = try await task()
        let newFunding = try await after.fund(new, by: agent)
        #expect(oldFunding.feeMinor == 100 && oldFunding.feeRule == "2026-11-v1")
        #expect(newFunding.feeMinor == 75 && newFunding.feeRule == "2027-01-v2")  // 5% of 10.00 + 0.25
        let work = WorkService(store: store, settlement: after, clock: clock.ledgerClock)
        for id in [old, new] {
            let application = try await work.apply(to: id, message: "me", by: human)
            _ = try await work.accept(application.id, on: id, by: agent)
            _ = try await work.submit(to: id, deliverables: [.init(kind: .text, value: "done well")], note: nil, by: human)
            _ = try await after.approve(id, by: agent)  // approved under the new rule, paid by each funding's own
        }
        #expect(try ledger.account(code: "revenue:fees:test:USD")?.balance.posted(for: .revenue) == 175)
        let revenue = try #require(try ledger.account(code: "revenue:fees:test:USD"))
        let fees = try #require(try ledger.statement(of: revenue.id)).entries
        #expect(fees.compactMap(\.transfer.metadata).map { $0.contains("2026-11-v1") } == [true, false])
        #expect(try ledger.verify().isClean)
    }
}
