import Foundation
import GRDB
import Testing
@testable import LedgerCore

struct MigrationTests {
    @Test func aFreshDatabaseMigratesItselfAndReopens() async throws {
        let test = try TestLedger()
        #expect(try test.ledger.appliedMigrations() == Migrations.all.map(\.identifier))
        let (source, wallets) = try await test.accounts(wallets: 1)
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 3, asset: .usd)])
        test.ledger.close()
        let reopened = try Ledger(path: test.path)
        defer { reopened.close() }
        #expect(try reopened.account(wallets[0])?.balance.creditsPosted == 3)
        #expect(try reopened.appliedMigrations() == Migrations.all.map(\.identifier))
    }

    @Test func aDatabaseFromANewerBinaryIsRefused() throws {
        let test = try TestLedger()
        test.ledger.close()
        let queue = try DatabaseQueue(path: test.path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9999_from_the_future')") }
        try queue.close()
        #expect(throws: LedgerError.databaseNewerThanBinary(migrations: ["v9999_from_the_future"])) { _ = try Ledger(path: test.path) }
    }

    @Test func migrationsAreEmbeddedInOrder() {
        let identifiers = Migrations.all.map(\.identifier)
        #expect(identifiers == identifiers.sorted())
        #expect(identifiers.allSatisfy { $0.hasPrefix("v") })
        #expect(Migrations.all[0].sql.contains("CREATE TABLE transfers"))
    }

    @Test func newDatabasesUseTheLedgersPageSize() throws {
        let test = try TestLedger()
        let pageSize = try test.ledger.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
        #expect(pageSize == Ledger.pageSizeBytes)
        let journalMode = try test.ledger.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journalMode == "wal")
    }
}
