import ArgumentParser
import LedgerCore

/// `marketplace migrate`: creates or migrates the database forward and prints the applied migrations.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or migrate the database.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try database.prepareDirectory()
        let ledger = try Ledger(path: database.db)
        defer { ledger.close() }
        for migration in try ledger.appliedMigrations() { print("applied \(migration)") }
        let platform = try await ChartOfAccounts.standard.install(in: ledger)
        print("chart of accounts: \(platform.count) platform accounts")
        print("database \(database.db) is up to date")
    }
}
