import Foundation
import LedgerCore
import Testing

/// `marketplace simulate` run as a user runs it: a seed settles the same money every time,
/// every outcome happens, and the ledger verifies clean.
struct SimulateCommandTests {
    static let arguments = ["simulate", "--agents", "8", "--tasks", "60", "--seed", "7", "--json", "--quiet"]

    @Test func theSameSeedSettlesTheSameMoneyAndTheLedgerVerifiesClean() throws {
        let first = try Self.simulate()
        let second = try Self.simulate()
        #expect(NSDictionary(dictionary: first.money) == NSDictionary(dictionary: second.money))
        #expect(first.timing["wall_seconds"] != nil)

        let outcomes = try #require(first.money["outcomes"] as? [String: Int])
        for outcome in ["approve", "revision", "cancel", "expire", "dispute", "refund_failed", "payout_failed"] {
            #expect((outcomes[outcome] ?? 0) > 0, "no \(outcome) in \(outcomes)")
        }
        #expect(first.money["mock_operator_tasks"] as? Int ?? 0 > 0)
        let paths = try #require(first.money["paths"] as? [String: Int])
        for path in ["funded_at_posting", "completed_without_submission", "paid_by_milestones"] { #expect((paths[path] ?? 0) > 0, "no \(path) in \(paths)") }
        #expect(first.money["service_order_tasks"] as? Int ?? 0 >= 3)  // the orders of services every run covers
        #expect(first.money["tasks_settled"] as? Int == 60)
        let verify = try #require(first.money["verify"] as? [String: Any])
        #expect(verify["consistent"] as? Bool == true)
        #expect(verify["holds_open"] as? Int == 0)
        #expect((first.money["ledger_disagreements"] as? [String])?.isEmpty == true)

        // Every connector moved money, and each failure path left its mark.
        let rows = try #require(first.money["settlement"] as? [[String: Any]])
        func total(_ field: String, connector: String) -> Int {
            rows.filter { $0["connector"] as? String == connector }.reduce(0) { $0 + ($1[field] as? Int ?? 0) }
        }
        for connector in ["test", "stripe", "base"] { #expect(total("funded_minor", connector: connector) > 0, "\(connector)") }
        #expect(total("refunds_failed_minor", connector: "stripe") > 0)
        #expect(total("frozen_minor", connector: "stripe") == total("refunds_failed_minor", connector: "stripe"))
        #expect(total("payouts_failed_minor", connector: "stripe") > 0)
        #expect(total("payouts_failed_minor", connector: "base") > 0)
        #expect(total("paid_out_minor", connector: "base") > 0)
        #expect(first.money["gas_minor"] as? Int ?? 0 > 0)
    }

    /// A simulation is made only of test-mode keys: every cent it moved, processor fees and gas
    /// included, sits in test-mode accounts, and the fee-revenue report has no live line.
    @Test func aTestModeRunTouchesNoLiveAccount() throws {
        let db = CommandRunner.temporaryPath("simulate-modes") + ".sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let run = try CommandRunner.runKeepingErrorsApart(["simulate", "--agents", "8", "--tasks", "60", "--seed", "7", "--quiet", "--db", db])
        try #require(run.status == 0, "\(run.errors)")
        let ledger = try Ledger(path: db)
        let accounts = try ledger.allAccounts()
        ledger.close()
        let moved = accounts.filter { $0.balance != .zero }
        #expect(moved.contains { $0.code.hasPrefix("expense:gas:") } && moved.contains { $0.code.hasPrefix("expense:processor-fees:") })
        for account in moved { #expect(LedgerMode(code: account.code) == .test, "\(account.code) is live and moved money in a test-mode run") }

        let report = try CommandRunner.runKeepingErrorsApart(["report", "fee-revenue", "--db", db, "--by", "month"])
        try #require(report.status == 0, "\(report.errors)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let lines = try #require(json["lines"] as? [[String: Any]], "\(report.output.prefix(400))")
        #expect(lines.contains { $0["processor_fees"] as? String != "0.00" && $0["asset"] as? String == "USD" })
        for line in lines { #expect(line["mode"] as? String == "test", "a fee-revenue line not in test mode: \(line)") }
    }

    /// One run: exit 0, its JSON summary without `timing`, and `timing` apart.
    static func simulate() throws -> (money: [String: Any], timing: [String: Any]) {
        let result = try CommandRunner.runKeepingErrorsApart(arguments)
        #expect(result.status == 0, "\(result.errors)")
        var summary = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        let timing = summary.removeValue(forKey: "timing") as? [String: Any] ?? [:]
        return (summary, timing)
    }
}

extension CommandRunner {
    /// Runs to completion with standard error kept apart from standard output (a document);
    /// returns the exit status, the output and the errors.
    static func runKeepingErrorsApart(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let errorsPath = temporaryPath("errors")
        _ = FileManager.default.createFile(atPath: errorsPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorsPath) }
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorsPath))
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errors.close()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "")
    }
}
