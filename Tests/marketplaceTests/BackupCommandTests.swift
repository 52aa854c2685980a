import AsyncHTTPClient
import Foundation
import LedgerCore
import Synchronization
import Testing

/// `marketplace backup` while `serve` takes deposits, then `marketplace restore`: the copy holds
/// whole commits only, ends at a head the live journal keeps for good, and restores to a file
/// that verifies with that head; the sealed-secrets key comes along.
struct BackupCommandTests {
    struct TrafficFailure: Error {
        let status: Int
        let body: String
    }

    @Test func aBackupDuringTrafficRestoresToTheHeadItRecorded() async throws {
        let db = CommandRunner.temporaryPath("backup-live") + ".sqlite"
        let out = CommandRunner.temporaryPath("backup-out")
        let restored = CommandRunner.temporaryPath("backup-restored") + ".sqlite"
        let server = try ServeProcess(db: db, port: try CommandRunner.freePort(), environment: [:])
        defer { server.stop() }
        try await server.waitUntilUp()
        let site = server.base
        _ = try await IdempotencyCrashTests.post("\(site)/v1/auth/register", token: nil, key: nil,
                                                 json: #"{"email":"agent@example.com","password":"correct horse","full_name":"A","role":"agent"}"#)
        let login = try await IdempotencyCrashTests.post("\(site)/v1/auth/login", token: nil, key: nil, json: #"{"email":"agent@example.com","password":"correct horse"}"#)
        let token = try #require(((try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any])?["data"] as? [String: Any])?["access_token"] as? String)

        // Deposits keep committing before, during and after the copy.
        let answered = Mutex(0)
        let traffic = Task {
            for index in 0..<200 {
                let answer = try await IdempotencyCrashTests.post("\(site)/v1/wallet/deposits", token: token, key: "d\(index)",
                                                                  json: IdempotencyCrashTests.deposit(0, index))
                guard answer.status == 201 else { throw TrafficFailure(status: answer.status, body: answer.body) }
                answered.withLock { $0 += 1 }
            }
        }
        while answered.withLock({ $0 }) < 40 { try await Task.sleep(for: .milliseconds(10)) }
        let backup = try CommandRunner.runKeepingErrorsApart(["backup", "--db", db, "--out", out])
        try #require(backup.status == 0, "\(backup.errors)")
        try await traffic.value
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(backup.output.utf8)) as? [String: Any])
        let headSeq = try #require(manifest["head_seq"] as? Int)
        let headHash = try #require(manifest["head_hash"] as? String)
        #expect(manifest["secrets_key_file"] as? Bool == true)
        #expect(FileManager.default.fileExists(atPath: out + "/marketplace.sqlite.secrets-key"))

        // The live journal went on past the copy and keeps, at the copy's head, the same hash.
        let live = try Ledger(readingOnly: db)
        let liveHead = try live.head()
        let kept = try live.hash(atSeq: Int64(headSeq))
        live.close()
        #expect(liveHead.seq > Int64(headSeq), "the copy was taken after all the traffic")
        #expect(kept?.description == headHash)

        let restore = try CommandRunner.runKeepingErrorsApart(["restore", "--from", out, "--db", restored])
        try #require(restore.status == 0, "\(restore.errors)")
        let copy = try Ledger(readingOnly: restored)
        defer { copy.close() }
        let report = try copy.verify()
        #expect(report.isClean)
        #expect(report.head.description == headHash)
        #expect(try String(contentsOfFile: restored + ".secrets-key", encoding: .utf8) == String(contentsOfFile: db + ".secrets-key", encoding: .utf8))
        // Whole commits only: every deposit in the copy is in the wallet exactly as in the journal.
        #expect(report.holdsOpen == 0)

        // Over an existing file only with --replace, and never over one a process writes.
        let refused = try CommandRunner.runKeepingErrorsApart(["restore", "--from", out, "--db", restored])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("--replace"))
        let busy = try CommandRunner.runKeepingErrorsApart(["restore", "--from", out, "--db", db, "--replace"])
        #expect(busy.status != 0)
        #expect(busy.errors.contains("in use"))
        let again = try CommandRunner.runKeepingErrorsApart(["backup", "--db", db, "--out", out])
        #expect(again.status != 0)
        #expect(again.errors.contains("not empty"))
    }
}
