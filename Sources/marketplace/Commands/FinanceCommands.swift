import ArgumentParser
import Foundation
import LedgerCore
import Logging
import Marketplace
import MarketplaceViews

/// Opens the database with the connectors serve would use (from the same environment), for
/// the finance commands.
struct FinanceContext {
    let ledger: Ledger
    let store: MarketplaceStore
    let finance: FinanceService

    /// `readOnly` opens beside a running server without the writer lock (reports, exports).
    init(_ database: DatabaseOptions, policy: ReconciliationPolicy = .standard, readOnly: Bool = false) throws {
        guard FileManager.default.fileExists(atPath: database.db) else { throw ValidationError("no database at \(database.db)") }
        var logger = Logger(label: "marketplace")
        logger.logLevel = .warning
        ledger = readOnly ? try Ledger(readingOnly: database.db) : try Ledger(path: database.db, logger: logger)
        store = try MarketplaceStore(ledger: ledger)
        var settlement = SettlementService(ledger: ledger, store: store)
        settlement.card = try Serve.cardPayments(host: "127.0.0.1", port: 0, logger: logger)
        settlement.chain = try Serve.chainPayments(logger: logger)
        finance = FinanceService(settlement: settlement, policy: policy)
    }

    func close() {
        store.close()
        ledger.close()
    }
}

/// What a report covers: a time (balances) or a period (flows).
struct ReportOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @Option(help: "As of this ISO 8601 time (balances); default now.") var asOf: String?
    @Option(help: "A calendar period: a day (2026-11-22) or a month (2026-11), UTC.") var period: String?
    @Option(help: "Start of the period, ISO 8601 (with --to).") var from: String?
    @Option(help: "End of the period, ISO 8601, exclusive.") var to: String?
    @Option(help: "Group flows by day, week or month.") var by: String = "day"
    @Option(help: "json or csv.") var format: String = "json"
    @Option(help: "With csv: which table (e.g. totals, buckets, wallets); default the report's lines.") var table: String?
    @Option(help: "Write to this file instead of standard output.") var out: String?

    func validate() throws {
        guard ["json", "csv"].contains(format) else { throw ValidationError("--format must be json or csv") }
        guard ReportGranularity(rawValue: by) != nil else { throw ValidationError("--by must be day, week or month") }
    }

    func asOfMicros() throws -> Int64 {
        try asOf.map(Timestamps.parse) ?? Int64(Date().timeIntervalSince1970 * 1_000) * 1_000
    }

    /// The period asked for: --period, or --from/--to, or everything up to now.
    func reportPeriod() throws -> ReportPeriod {
        if let period { return try ReportPeriod(named: period) }
        let end = try to.map(Timestamps.parse) ?? asOfMicros() + 1
        return try ReportPeriod(from: try from.map(Timestamps.parse) ?? 0, to: end)
    }

    var granularity: ReportGranularity { ReportGranularity(rawValue: by)! }

    /// Opens the database, builds the report and writes it.
    func run(_ build: (FinanceService) throws -> FinanceReport) throws {
        let context = try FinanceContext(database, readOnly: true)
        defer { context.close() }
        try emit(try build(context.finance))
    }

    func emit(_ report: FinanceReport) throws {
        var text = report.json() + "\n"
        if format == "csv" {
            guard let csv = report.csv(table: table) else {
                throw ValidationError("--table must be one of: \(report.tables.map(\.name).joined(separator: ", "))")
            }
            text = csv
        }
        if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }
}

/// `marketplace report …`: finance reports from the ledger alone, in JSON or CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Finance reports computed from the ledger, as of a time or over a period.",
        subcommands: [TrialBalance.self, BalanceSheet.self, FeeRevenue.self, Frozen.self, PayoutsRefunds.self, Statement.self, RollForward.self, HTML.self]
    )

    struct TrialBalance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: ReportName.trialBalance.rawValue, abstract: ReportName.trialBalance.summary)
        @OptionGroup var options: ReportOptions
        func run() async throws {
            try options.run { try $0.trialBalance(asOf: options.asOfMicros()) }
        }
    }

    struct BalanceSheet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: ReportName.balanceSheet.rawValue, abstract: ReportName.balanceSheet.summary)
        @OptionGroup var options: ReportOptions
        func run() async throws {
            try options.run { try $0.balanceSheet(asOf: options.asOfMicros()) }
        }
    }

    struct FeeRevenue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: ReportName.feeRevenue.rawValue, abstract: ReportName.feeRevenue.summary)
        @OptionGroup var options: ReportOptions
        func run() async throws {
            try options.run { try $0.feeRevenue(options.reportPeriod(), by: options.granularity) }
        }
    }

    struct Frozen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: ReportName.frozen.rawValue, abstract: ReportName.frozen.summary)
        @OptionGroup var options: ReportOptions
        func run() async throws {
            try options.run { try $0.frozenFunds(asOf: options.asOfMicros()) }
        }
    }

    struct PayoutsRefunds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: ReportName.payoutsRefunds.rawValue, abstract: ReportName.payoutsRefunds.summary)
        @OptionGroup var options: ReportOptions
        func run() async throws {
            try options.run { try $0.payoutsAndRefunds(options.reportPeriod(), by: options.granularity) }
        }
    }

    struct Statement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: ReportName.statement.rawValue, abstract: ReportName.statement.summary)
        @OptionGroup var options: ReportOptions
        @Option(help: "The user's id.") var user: String
        func run() async throws {
            try options.run { try $0.statement(user: user, options.reportPeriod()) }
        }
    }

    struct RollForward: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: ReportName.rollForward.rawValue, abstract: ReportName.rollForward.summary)
        @OptionGroup var options: ReportOptions
        func run() async throws {
            try options.run { try $0.rollForward(options.reportPeriod()) }
        }
    }

    struct HTML: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "html",
            abstract: "The month-end finance page as one HTML file (no outside resources): balance sheet, fee revenue, roll-forward, trial balance, reconciliation, frozen funds.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A month (2026-11) or a day (2026-11-22), UTC.") var period: String?
        @Option(help: "Start of the period, ISO 8601 (with --to).") var from: String?
        @Option(help: "End of the period, ISO 8601, exclusive.") var to: String?
        @Option(help: "Without a period: the month to date of this ISO 8601 time; default now.") var asOf: String?
        @Option(help: "Write the page here.") var out: String

        func run() async throws {
            let context = try FinanceContext(database, readOnly: true)
            defer { context.close() }
            let asOf = try asOf.map(Timestamps.parse) ?? Int64(Date().timeIntervalSince1970 * 1_000) * 1_000
            let chosen: ReportPeriod
            if let period {
                chosen = try ReportPeriod(named: period)
            } else if from != nil || to != nil {
                chosen = try ReportPeriod(from: try from.map(Timestamps.parse) ?? 0, to: try to.map(Timestamps.parse) ?? asOf + 1)
            } else {
                chosen = try ReportPeriod.monthToDate(asOf)
            }
            try FinancePage(context.finance.monthEnd(chosen)).render().write(toFile: out, atomically: true, encoding: .utf8)
            print("wrote \(out)")
        }
    }
}

/// `marketplace reconcile`: the ledger against every configured connector; exits 1 on any break.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Match the ledger against Stripe, Base and the test connector; exit 1 on any break.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Start, ISO 8601 (default: the beginning).") var from: String?
    @Option(help: "End, ISO 8601, exclusive (default: now).") var to: String?
    @Option(help: "Match on amount and currency within this many days when no reference ties two lines.") var windowDays: Int64 = 3
    @Option(help: "Largest difference in minor units still matched on amount.") var tolerance: Int64 = 0
    @Option(help: "A hold or in-flight balance older than this many days is drift.") var driftDays: Int64 = 3
    @Flag(help: "Print the run as JSON.") var json = false

    func run() async throws {
        let policy = ReconciliationPolicy(windowSeconds: windowDays * 86_400, toleranceMinor: tolerance, driftDays: driftDays)
        let context = try FinanceContext(database, policy: policy)
        defer { context.close() }
        let run = try await context.finance.reconcile(from: try from.map(Timestamps.parse) ?? 0, to: try to.map(Timestamps.parse))
        if json {
            print(run.report().json())
        } else {
            print(Self.describe(run))
        }
        if !run.isClean { throw ExitCode(1) }
    }

    static func describe(_ run: ReconciliationRun) -> String {
        var lines = ["reconciliation run \(run.id) over \(Timestamps.format(run.from)) to \(Timestamps.format(run.to))"]
        for match in run.connectors {
            lines.append("  \(match.connector): \(match.ledgerItems) ledger lines, \(match.processorItems) statement lines, "
                         + "\(match.matchedByReference) matched by reference, \(match.matchedByAmount) by amount and date, \(match.breaks.count) breaks")
        }
        if run.feeLinesBooked > 0 { lines.append("  booked \(run.feeLinesBooked) processor fees (\(run.feesBookedMinor) minor units)") }
        for item in run.breaks {
            lines.append("BREAK \(item.kind.rawValue) [\(item.connector)] \(item.reference)\(run.newBreaks.contains(item.fingerprint) ? " (new)" : ""): \(item.detail)")
        }
        for item in run.resolved { lines.append("resolved since run \(run.previousRunID ?? 0): \(item.kind.rawValue) [\(item.connector)] \(item.reference)") }
        lines.append(run.isClean ? "ok: no breaks" : "\(run.breaks.count) breaks")
        return lines.joined(separator: "\n")
    }
}

/// `marketplace export journal`: the posted journal as hledger / ledger-cli text.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the ledger.", subcommands: [Journal.self])

    struct Journal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The posted journal as a plain-text accounting journal (hledger, ledger-cli).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Write to this file instead of standard output.") var out: String?

        func run() async throws {
            let context = try FinanceContext(database, readOnly: true)
            defer { context.close() }
            let handle: FileHandle
            if let out {
                FileManager.default.createFile(atPath: out, contents: nil)
                guard let file = FileHandle(forWritingAtPath: out) else { throw ValidationError("cannot write \(out)") }
                handle = file
            } else {
                handle = FileHandle.standardOutput
            }
            var buffer = ""
            try context.finance.exportJournal { text in
                buffer += text
                if buffer.utf8.count > 1 << 16 { handle.write(Data(buffer.utf8)); buffer = "" }
            }
            handle.write(Data(buffer.utf8))
            if out != nil { try handle.close() }
        }
    }
}

/// `marketplace period …`: close days or months, list them, post corrections.
struct PeriodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "period", abstract: "Close accounting periods and correct closed ones.",
                                                    subcommands: [Close.self, List.self, Correct.self])

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Freeze a day (2026-11-22) or a month (2026-11); prints its roll-forward.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The period.") var name: String
        @Option(help: "Who closes it.") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "finance"

        func run() async throws {
            let context = try FinanceContext(database)
            defer { context.close() }
            let (closed, rollForward) = try await context.finance.closePeriod(named: name, by: by)
            print(rollForward.json())
            print("closed \(closed.name): [\(Timestamps.format(closed.startsAt)), \(Timestamps.format(closed.endsAt))), journal through seq \(closed.lastSeq)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The closed periods, oldest first.")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            let context = try FinanceContext(database, readOnly: true)
            defer { context.close() }
            for period in try context.finance.closedPeriods() {
                print("\(period.name)\t\(Timestamps.format(period.startsAt))\t\(Timestamps.format(period.endsAt))\tseq \(period.lastSeq)\tclosed by \(period.closedBy) at \(Timestamps.format(period.closedAt))")
            }
        }
    }

    struct Correct: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reverse all or part of a posted transfer, in the open period, naming why.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The transfer id to correct.") var transfer: Int64
        @Option(help: "Minor units to reverse (default: all of it).") var amount: Int64?
        @Option(help: "Why.") var reason: String
        @Option(help: "A key that makes a retry correct once.") var key: String
        @Option(help: "Who corrects it.") var by: String = ProcessInfo.processInfo.environment["USER"] ?? "finance"

        func run() async throws {
            let context = try FinanceContext(database)
            defer { context.close() }
            let row = try await context.finance.correct(transfer: TransferID(transfer), amountMinor: amount, reason: reason, key: key, by: by)
            print("correction #\(row.id.rawValue) at \(Timestamps.format(row.timestamp)): \(row.metadata ?? "")")
        }
    }
}
