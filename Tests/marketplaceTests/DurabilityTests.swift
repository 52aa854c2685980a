import Foundation
import LedgerCore
import Testing

/// A writer process is killed with SIGKILL in the middle of a stream of group commits, three
/// times over on one database: afterwards `verify` passes and every transfer acknowledged
/// before the kill is in the journal.
struct DurabilityTests {
    static let acknowledgedBeforeKillMin = 500
    static let runs = 3

    @Test func everyAcknowledgedTransferSurvivesSIGKILL() async throws {
        let database = CommandRunner.temporaryPath("durability") + ".sqlite"
        var acknowledged: [Int64] = []
        for run in 0..<Self.runs {
            acknowledged += try await killWriter(database: database, run: run)
            let ledger = try Ledger(path: database)
            defer { ledger.close() }
            let report = try ledger.verify()
            #expect(report.isClean, "run \(run): \(String(describing: report.fault))")
            #expect(report.transfersChecked >= Int64(acknowledged.count))
            let missing = try acknowledged.filter { try ledger.transfer(TransferID($0)) == nil }
            #expect(missing.isEmpty, "run \(run): \(missing.count) acknowledged transfers lost, first \(missing.prefix(5))")
        }
        #expect(acknowledged.count >= Self.runs * Self.acknowledgedBeforeKillMin)
    }

    /// Starts a writer, waits until it has acknowledged enough transfers, kills it mid-stream.
    private func killWriter(database: String, run: Int) async throws -> [Int64] {
        let acks = CommandRunner.temporaryPath("acks")
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = ["ledger", "stress-writer", "--db", database, "--ack-file", acks, "--run", String(run)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while acknowledgedLines(acks) < Self.acknowledgedBeforeKillMin, process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(process.isRunning, "the writer stopped by itself")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // Only whole lines count: the kill may cut the last one.
        let text = (try? String(contentsOfFile: acks, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: true).dropLast(text.hasSuffix("\n") ? 0 : 1).compactMap { Int64($0) }
    }

    private func acknowledgedLines(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
    }
}
