import ArgumentParser
import Foundation
import LedgerCore
import MarketplaceViews
import Synchronization

/// `bench api --backup-at N --backup-to DIR`: an online backup taken while the load runs, once
/// N lifecycles are done, exactly as `marketplace backup` takes one (`VACUUM INTO`, the copy
/// verified, manifest.json last), then restored as `marketplace restore` does and verified
/// against the head the server reported at that moment.
struct BenchBackup: Sendable {
    /// The lifecycles finished so far, across the virtual users.
    final class Progress: Sendable {
        private let done = Atomic(0)

        func finishedOne() { done.add(1, ordering: .relaxed) }

        var finished: Int { done.load(ordering: .relaxed) }
    }

    /// What the backup and its restore found; every check must hold for the run to pass.
    struct Outcome {
        let atLifecycles: Int
        let manifest: BackupManifest
        /// The server's journal head just before and just after the copy: the copy's head lies
        /// between them (whole commits only).
        let serverHeadBefore: (seq: Int64, hash: String)
        let serverHeadAfter: (seq: Int64, hash: String)
        /// After the run: the live journal's hash at the copy's head seq (append-only: the one
        /// the server reported when that seq was its head).
        var serverHashAtHeadSeq: String?
        var restoredHead: (seq: Int64, hash: String)?

        var report: [String: Any] {
            ["at_lifecycles": atLifecycles, "head_seq": manifest.headSeq, "head_hash": manifest.headHash, "transfers": manifest.transfers,
             "server_head_before": ["seq": serverHeadBefore.seq, "hash": serverHeadBefore.hash],
             "server_head_after": ["seq": serverHeadAfter.seq, "hash": serverHeadAfter.hash],
             "server_hash_at_head_seq": serverHashAtHeadSeq ?? "", "restored_head_seq": restoredHead?.seq ?? -1,
             "restored_head_hash": restoredHead?.hash ?? "", "restored_verified": restoredHead != nil]
        }
    }

    let after: Int
    let directory: String
    let progress = Progress()

    /// Waits until `after` lifecycles are done, then copies the live database and verifies the copy.
    func take(from ledger: Ledger, path: String) async throws -> Outcome {
        let target = try Backup.prepare(out: directory)
        while progress.finished < after { try await Task.sleep(for: .milliseconds(2)) }
        let at = progress.finished
        let before = try ledger.head()
        let copyPath = target.appendingPathComponent(BackupManifest.databaseName).path
        try ledger.copy(to: copyPath)
        let afterCopy = try ledger.head()
        let manifest = try Backup.verifiedManifest(of: copyPath, source: path, secretsKeyFile: false)
        try JSONOutput.encoder(pretty: true).encode(manifest).write(to: target.appendingPathComponent(BackupManifest.fileName))
        return Outcome(atLifecycles: at, manifest: manifest, serverHeadBefore: (before.seq, before.hash.description),
                       serverHeadAfter: (afterCopy.seq, afterCopy.hash.description))
    }

    /// Once the load is over: the live hash at the copy's head, and the copy restored beside it
    /// (`restored.sqlite`) and verified with the manifest's head. Throws naming what does not hold.
    func check(_ taken: Outcome, live ledger: Ledger) throws -> Outcome {
        var outcome = taken
        let head = taken.manifest.headSeq
        guard (taken.serverHeadBefore.seq...taken.serverHeadAfter.seq).contains(head) else {
            throw ValidationError("the copy's head \(head) is outside the server's heads around it (\(taken.serverHeadBefore.seq)...\(taken.serverHeadAfter.seq))")
        }
        outcome.serverHashAtHeadSeq = try ledger.hash(atSeq: head)?.description
        guard outcome.serverHashAtHeadSeq == taken.manifest.headHash else {
            throw ValidationError("the server's hash at seq \(head) is \(outcome.serverHashAtHeadSeq ?? "missing"), the backup's \(taken.manifest.headHash)")
        }
        let restored = URL(fileURLWithPath: directory).appendingPathComponent("restored.sqlite").path
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: directory).appendingPathComponent(BackupManifest.databaseName).path, toPath: restored)
        // Verified clean (balances recomputed, hash chain checked) and ending at the manifest's head.
        try Restore.expect(restored, matches: taken.manifest, what: "the restored backup")
        let copy = try Ledger(readingOnly: restored)
        defer { copy.close() }
        let restoredHead = try copy.head()
        outcome.restoredHead = (restoredHead.seq, restoredHead.hash.description)
        return outcome
    }
}
