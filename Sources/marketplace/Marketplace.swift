import ArgumentParser
import Foundation

/// The one executable: server, migrations, ledger checks and reports, benchmarks.
@main
struct Marketplace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketplace",
        abstract: "Task marketplace with a double-entry settlement ledger.",
        subcommands: [Serve.self, Migrate.self, LedgerCommand.self, Admin.self, Bench.self, BaseCommand.self, MCPCommand.self, Simulate.self, Stress.self,
                      ReportCommand.self, ReconcileCommand.self, ExportCommand.self, PeriodCommand.self]
    )
}

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env MARKETPLACE_DB).")
    var db: String = DatabaseOptions.defaultPath

    static var defaultPath: String {
        ProcessInfo.processInfo.environment["MARKETPLACE_DB"] ?? "data/marketplace-test.sqlite"
    }
}
