import ArgumentParser
import Foundation
import LedgerCore
import Marketplace
import MarketplaceHTTP
import MarketplaceViews

/// `marketplace ledger …`: checks and reports straight from the ledger.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Verify the ledger, list balances, print statements.",
        subcommands: [Verify.self, Balances.self, Statement.self, StressWriter.self]
    )
}

extension LedgerCommand {
    /// Recomputes everything from the journal; exits 1 naming the first fault.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute every balance from the journal and check the hash chain.")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let ledger = try database.openExisting()
            defer { ledger.close() }
            let report = try ledger.verify()
            if json {
                print(try JSONOutput.encode(VerifyView(report)))
            } else {
                print("transfers \(report.transfersChecked), accounts \(report.accountsChecked), commits \(report.commitsChecked), open holds \(report.holdsOpen)")
                print("head \(report.head)")
                print(report.fault.map { "FAULT: \($0)" } ?? "ok: the ledger is consistent")
            }
            if !report.isClean { throw ExitCode(1) }
        }
    }

    /// Balances of every account (or one asset's), now or as of a time.
    struct Balances: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List account balances.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only accounts in this asset (USD, USDC, ETH).") var asset: String?
        @Option(help: "As of this ISO 8601 time (replayed from the journal).") var asOf: String?
        @Option(help: "At most this many accounts.") var limit: Int = 1_000

        func run() async throws {
            let ledger = try database.openExisting()
            defer { ledger.close() }
            let asset = try asset.map { code in
                guard let asset = Asset.named(code) else { throw ValidationError("unknown asset '\(code)'") }
                return asset
            }
            let asOfMicros = try asOf.map(Timestamps.parse)
            let rows = try ledger.accounts(limit: limit, asset: asset).map { account in
                let balance = try asOfMicros.map { try ledger.balance(of: account.id, asOf: $0) ?? .zero } ?? account.balance
                return AccountView(account, balance: balance)
            }
            print(try JSONOutput.encode(rows))
        }
    }

    /// One account's statement, oldest first, a page at a time.
    struct Statement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an account's statement.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Account id or code.") var account: String
        @Option(help: "Cursor from the previous page.") var cursor: String?
        @Option(help: "Entries per page (at most 500).") var limit: Int = 100

        func run() async throws {
            let ledger = try database.openExisting()
            defer { ledger.close() }
            let id = try Int64(account).map(AccountID.init(rawValue:)) ?? ledger.account(code: account)?.id
            guard let id else { throw ValidationError("no account '\(account)'") }
            let cursor = try cursor.map { text in
                guard let cursor = StatementCursor(text) else { throw ValidationError("bad cursor '\(text)'") }
                return cursor
            }
            guard let page = try ledger.statement(of: id, after: cursor, limit: limit) else { throw ValidationError("no account '\(account)'") }
            print(try JSONOutput.encode(StatementView(page)))
        }
    }
}

extension DatabaseOptions {
    /// Opens a database that must already exist (checks must not create an empty one), for
    /// reading only: it works beside a running server.
    func openExisting() throws -> Ledger {
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no database at \(db)") }
        return try Ledger(readingOnly: db)
    }

    /// Creates the database's directory if needed.
    func prepareDirectory() throws {
        let directory = URL(fileURLWithPath: db).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
}
