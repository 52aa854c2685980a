import Foundation
import Testing

/// `marketplace stress` at a size for CI: the real `serve` SIGKILLed 4 times while 16 clients
/// deposit, post, fund, apply, accept, submit, approve and cancel with Idempotency-Keys. The
/// command itself checks every retried key completes (no 409 after a restart), answered keys
/// replay their bytes, every wallet equals the clients' books and the ledger verifies; this
/// test reads its JSON summary. (It found submit answering in a commit after its effect: a
/// submission retried after a kill answered 409 "the task is submitted".)
struct StressCommandTests {
    struct Summary: Decodable {
        let kills: Int
        let tasks: Int
        let approved: Int
        let cancelled: Int
        let acknowledged: Int
        let retried: Int
        let retriedReplayed: Int
        let retriedRan: Int
        let replaysChecked: Int
        let violations: [String]
        let verify: String
    }

    @Test func sigkillsUnderSixteenKeyedClientsLoseAndDoubleNothing() throws {
        let run = try CommandRunner.run(["stress", "--kills", "4", "--clients", "16", "--seed", String(UInt64.random(in: 1...1_000_000)), "--json"])
        let line = try #require(run.output.split(separator: "\n").last { $0.hasPrefix("{") }, "no summary: \(run.output)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let summary = try decoder.decode(Summary.self, from: Data(line.utf8))
        #expect(run.status == 0, "\(summary.violations)")
        #expect(summary.violations.isEmpty, "\(summary.violations)")
        #expect(summary.kills == 4)
        #expect(summary.retried > 0, "no request was cut by a kill: the run proved nothing about restarts")
        #expect(summary.retried == summary.retriedReplayed + summary.retriedRan)
        #expect(summary.approved > 0 && summary.cancelled > 0)
        #expect(summary.tasks == summary.approved + summary.cancelled)
        #expect(summary.replaysChecked > 0)
        #expect(summary.verify.hasSuffix("clean"), "\(summary.verify)")
    }
}
