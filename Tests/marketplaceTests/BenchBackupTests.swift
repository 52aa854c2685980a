import Foundation
import LedgerCore
import Testing

/// `bench api --backup-at N --backup-to DIR` on a small load: the backup taken while lifecycles
/// run restores to a database that verifies with the head hash the server reported at that
/// moment (the live journal's hash at the copy's head seq), and the load went on past it.
struct BenchBackupTests {
    @Test func aBackupDuringBenchAPIRestoresToTheHeadTheServerReported() throws {
        let out = CommandRunner.temporaryPath("bench-backup")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try CommandRunner.runKeepingErrorsApart(["bench", "api", "--concurrency", "2", "--lifecycles", "10", "--backup-at", "4",
                                                           "--backup-to", out, "--directory", NSTemporaryDirectory()])
        try #require(run.status == 0, "\(run.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let backup = try #require(report["backup"] as? [String: Any])
        let headSeq = try #require(backup["head_seq"] as? Int)
        let headHash = try #require(backup["head_hash"] as? String)
        #expect(headHash.count == 64)
        #expect(backup["server_hash_at_head_seq"] as? String == headHash)
        #expect(backup["restored_head_hash"] as? String == headHash)
        #expect(backup["restored_head_seq"] as? Int == headSeq)
        #expect(backup["restored_verified"] as? Bool == true)
        let before = try #require((backup["server_head_before"] as? [String: Any])?["seq"] as? Int)
        let after = try #require((backup["server_head_after"] as? [String: Any])?["seq"] as? Int)
        #expect(before <= headSeq && headSeq <= after)
        #expect(try #require(backup["at_lifecycles"] as? Int) >= 4)
        // The load went on past the copy: the run's journal is longer than the backup's.
        #expect(try #require(backup["transfers"] as? Int) < (try #require(report["transfers"] as? Int)))
        #expect(report["ledger_consistent"] as? Bool == true)

        // Read apart from the command: the manifest, and the restored file verified here.
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as? [String: Any])
        #expect(manifest["head_hash"] as? String == headHash)
        let restored = try Ledger(readingOnly: out + "/restored.sqlite")
        defer { restored.close() }
        #expect(try restored.verify().isClean)
        let head = try restored.head()
        #expect(head.seq == Int64(headSeq))
        #expect(head.hash.description == headHash)
    }

    @Test func backupAtWantsADirectoryAndALifecycleOfTheRun() throws {
        for arguments in [["--backup-at", "4"], ["--backup-at", "0", "--backup-to", CommandRunner.temporaryPath("x")],
                          ["--backup-at", "21", "--backup-to", CommandRunner.temporaryPath("x")]] {
            let run = try CommandRunner.runKeepingErrorsApart(["bench", "api", "--concurrency", "2", "--lifecycles", "10"] + arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.errors.contains("--backup-"), "\(run.errors)")
        }
    }
}
