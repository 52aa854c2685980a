import ArgumentParser
import Foundation
import LedgerCore

/// `marketplace bench ledger`: durable (synchronous=FULL) transfers per second for one
/// transfer per commit, batches of 8,190 random transfers, 64 concurrent single-transfer
/// callers through group commit, and a bare sqlite3 loop writing the same rows as the
/// batches with no checks (the limit). Prints JSON.
struct LedgerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Benchmark the ledger's durable commit paths.")

    @Option(help: "Directory for the benchmark's database files (deleted afterwards).")
    var directory: String = NSTemporaryDirectory()
    @Option(help: "Accounts the random transfers run between.")
    var accounts: Int = 10_000
    @Option(help: "Batches of 8,190 transfers for (b) and for the limit loop.")
    var batches: Int = 100
    @Option(help: "Batches kept in flight by the (b) caller.")
    var inFlight: Int = 1
    @Option(help: "Commits of one transfer for (a).")
    var singles: Int = 2_000
    @Option(help: "Concurrent callers for (c).")
    var callers: Int = 64
    @Option(help: "Transfers each (c) caller commits.")
    var perCaller: Int = 500
    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    func run() async throws {
        let root = URL(fileURLWithPath: directory).appendingPathComponent("ledger-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let setup = BenchSetup(accounts: accounts, seed: seed)

        let single = try await setup.singleCommits(path: root.appendingPathComponent("a.sqlite").path, count: singles)
        let batched = try await setup.batches(path: root.appendingPathComponent("b.sqlite").path, batches: batches, inFlight: inFlight)
        let grouped = try await setup.concurrentCallers(path: root.appendingPathComponent("c.sqlite").path, callers: callers, perCaller: perCaller)
        let limit = try BareSQLiteLoop(accounts: accounts, seed: seed).run(path: root.appendingPathComponent("limit.sqlite").path, batches: batches)

        let report: [String: Any] = [
            "machine": ["cores": ProcessInfo.processInfo.activeProcessorCount, "durability": "WAL, synchronous=FULL"],
            "a_one_transfer_per_commit": single.json,
            "b_batches_of_8190": batched.json,
            "c_concurrent_single_callers": grouped.json,
            "limit_bare_sqlite3_loop": limit.json,
            "ratio_b_over_limit": (batched.transfersPerSecond / limit.transfersPerSecond * 1_000).rounded() / 1_000,
            "targets": ["b_transfers_per_second_min": 200_000, "ratio_b_over_limit_min": 0.5, "c_transfers_per_second_min": 20_000],
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

/// One measured run.
struct BenchResult {
    let transfers: Int
    let seconds: Double
    let commits: Int
    var extra: [String: Any] = [:]

    var transfersPerSecond: Double { Double(transfers) / seconds }

    var json: [String: Any] {
        var object: [String: Any] = [
            "transfers": transfers, "seconds": (seconds * 1_000).rounded() / 1_000,
            "transfers_per_second": Int(transfersPerSecond.rounded()), "commits": commits,
        ]
        object.merge(extra) { $1 }
        return object
    }
}
