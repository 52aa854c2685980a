import Foundation
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
        let store = try MarketplaceStore(path: path)
        defer { store.close() }
        _ = try await ChartOfAccounts.standard.install(in: ledger)
        let wallet = try await ledger.createAccounts([ChartOfAccounts.standard.wallet(user: "test:usr_1", asset: .usd)])[0].id
        let clearing = try #require(try ledger.account(code: "clearing:test:USD")).id
        // The process records the deposit, then dies before asking the ledger.
        _ = try await store.write { db in
            try Operation.record(key: "deposit:usr_1:k", in: db, nowMicros: 0) { first in
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
}
