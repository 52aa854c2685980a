import Foundation
import Testing

/// One process writes a database file: a second `serve` (or any writing command) on it exits at
/// once naming the file and the holder, while read-only commands keep working beside it.
struct WriterLockTests {
    @Test func aSecondWriterIsRefusedAndReadersStillWork() async throws {
        let db = CommandRunner.temporaryPath("writer-lock") + ".sqlite"
        let server = try ServeProcess(db: db, port: try CommandRunner.freePort(), environment: [:])
        defer { server.stop() }
        try await server.waitUntilUp()

        let started = ContinuousClock.now
        let second = try CommandRunner.run(["serve", "--db", db, "--port", String(try CommandRunner.freePort()), "--mode", "test"],
                                           environment: ["MARKETPLACE_JWT_SECRET": String(repeating: "k", count: 40)])
        #expect(second.status != 0)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(second.output.contains(db), "\(second.output)")
        #expect(second.output.contains("pid \(server.process.processIdentifier)"), "\(second.output)")

        let grant = try CommandRunner.run(["admin", "grant", "nobody@example.com", "--db", db])
        #expect(grant.status != 0)
        #expect(grant.output.contains("open for writing"), "\(grant.output)")

        let verify = try CommandRunner.run(["ledger", "verify", "--db", db])
        #expect(verify.status == 0, "\(verify.output)")
        let report = try CommandRunner.run(["report", "trial-balance", "--db", db])
        #expect(report.status == 0, "\(report.output)")
        #expect(server.process.isRunning)
    }
}
