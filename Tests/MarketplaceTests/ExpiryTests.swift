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
        let store = try MarketplaceStore(path: path)
        defer { store.close() }
        try await store.write { db in
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
