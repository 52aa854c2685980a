import Foundation
import GRDB
import LedgerCore
import Testing
@testable import Marketplace

/// A crash between recording an operation and committing it to the ledger: the next start
/// commits the recorded batch exactly once.
struct SettlementResumeTests {
    @Test func aRecordedOperationIsCommittedOnceAfterACrash() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).sqlite").path
        let ledger = try Ledger(path: path)
        defer { ledger.close() }
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        _ = try await ChartOfAccounts.standard.install(in: ledger)
        let wallet = try await ledger.createAccounts([ChartOfAccounts.standard.wallet(user: "usr_1", mode: .test, asset: .usd)])[0].id
        let clearing = try #require(try ledger.account(code: "clearing:test:USD")).id
        // The process records the deposit, then dies before asking the ledger.
        _ = try await store.writeDB { db in
            try Operation.record(key: "deposit:usr_1:k", in: Stores(db), nowMicros: 0) { first in
                PostingRecipes.deposit(id: first, clearing: clearing, wallet: wallet, amountMinor: 4_200, asset: .usd)
            }
        }
        #expect(try ledger.account(wallet)?.balance.creditsPosted == 0)
        let settlement = SettlementService(ledger: ledger, store: store)
        #expect(try await settlement.resumePendingOperations() == 1)
        #expect(try ledger.account(wallet)?.balance.creditsPosted == 4_200)
        #expect(try await settlement.resumePendingOperations() == 0)
        #expect(try ledger.account(wallet)?.balance.creditsPosted == 4_200)
        #expect(try ledger.verify().isClean)
    }

    /// A stop between a withdrawal's intent and its settlement: the next start settles it (the
    /// test connector pays at once), and a withdrawal whose intent never reached the ledger is failed.
    @Test func aWithdrawalStoppedBetweenItsTwoCommitsIsFinished() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).sqlite").path
        let ledger = try Ledger(path: path)
        defer { ledger.close() }
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        _ = try await ChartOfAccounts.standard.install(in: ledger)
        try await store.writeDB { db in
            try db.execute(sql: "INSERT INTO users (id, email, password_hash, full_name, role, created_at) VALUES ('usr_1', 'h@example.com', 'x', 'H', 'human', 0)")
        }
        let caller = Principal(userID: "usr_1", mode: .test, scopes: Set(Scope.allCases), credential: .session, role: .human)
        let settlement = SettlementService(ledger: ledger, store: store)
        _ = try await settlement.deposit(amount: "30.00", currency: "USD", idempotencyKey: "d", by: caller)
        let wallet = try #require(try ledger.account(code: "wallet:user:test:usr_1:USD")).id
        let inFlight = try #require(try ledger.account(code: "in-flight:payouts:test:USD")).id
        // Intent recorded and committed, then the process stops before the settlement.
        let intent = try await store.writeDB { db in
            let operation = try Operation.record(key: "withdraw:usr_1:w1:intent", in: Stores(db), nowMicros: 0) { first in
                PostingRecipes.withdrawalIntent(id: first, wallet: wallet, inFlight: inFlight, amountMinor: 1_000, asset: .usd)
            }
            try db.execute(sql: "INSERT INTO withdrawals (id, user_id, mode, asset, amount_minor, connector, status, created_at) VALUES (?, 'usr_1', 'test', 'USD', 1000, 'test', 'pending', 0)",
                           arguments: ["wdr_\(operation.id)"])
            return operation
        }
        try await settlement.commit(intent)
        // A second withdrawal recorded only in the marketplace (its intent never reached the ledger, and was refused).
        try await store.writeDB { db in
            try db.execute(sql: "INSERT INTO withdrawals (id, user_id, mode, asset, amount_minor, connector, status, created_at) VALUES ('wdr_999', 'usr_1', 'test', 'USD', 500, 'test', 'pending', 0)")
        }
        #expect(try await settlement.wallets(for: caller)[0].pendingMinor == 1_000)

        _ = try await settlement.resumePendingOperations()
        let statuses = try await store.writeDB { db in try Row.fetchAll(db, sql: "SELECT id, status FROM withdrawals ORDER BY id").map { $0["status"] as String } }
        #expect(statuses == ["paid", "failed"])
        #expect(try ledger.account(inFlight)?.balance.posted(for: .liability) == 0)
        #expect(try ledger.account(wallet)?.balance.posted(for: .liability) == 2_000)
        #expect(try await settlement.wallets(for: caller)[0].pendingMinor == 0)
        #expect(try ledger.verify().isClean)
    }
}
