import ArgumentParser
import Foundation
import Marketplace

/// The one executable: server, migrations, ledger checks and reports, benchmarks.
@main
struct Marketplace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketplace",
        abstract: "Task marketplace with a double-entry settlement ledger.",
        version: ReleaseVersion.current,
        subcommands: [Serve.self, Migrate.self, LedgerCommand.self, Admin.self, Bench.self, BaseCommand.self, MCPCommand.self, Simulate.self, Stress.self,
                      ReportCommand.self, ReconcileCommand.self, ExportCommand.self, PeriodCommand.self, Backup.self, Restore.self]
    )

    /// ArgumentParser's own main, except that a refusal from a subcommand's `run` (a
    /// `ValidationError`) prints that subcommand's usage, not the root's list of subcommands.
    static func main() async {
        let command: any ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        do {
            if var runnable = command as? any AsyncParsableCommand { try await runnable.run() } else {
                var plain = command
                try plain.run()
            }
        } catch let refusal as ValidationError {
            let usage = usageString(for: type(of: command))
            FileHandle.standardError.write(Data("Error: \(refusal.message)\nUsage: \(usage)\n  See '\(usage.split(separator: " ").prefix { !$0.hasPrefix("-") && !$0.hasPrefix("[") && !$0.hasPrefix("<") }.joined(separator: " ")) --help' for more information.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env MARKETPLACE_DB).")
    var db: String = DatabaseOptions.defaultPath

    static var defaultPath: String {
        ProcessInfo.processInfo.environment["MARKETPLACE_DB"] ?? "data/marketplace-test.sqlite"
    }
}
