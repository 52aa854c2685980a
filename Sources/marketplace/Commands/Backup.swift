import ArgumentParser
import Foundation
import LedgerCore
import Marketplace
import MarketplaceViews

/// What a backup directory holds beside the database copy: where it came from, the journal's
/// head at the moment of the copy, and whether the sealed-secrets key file came with it.
struct BackupManifest: Codable, Sendable {
    static let fileName = "manifest.json"
    static let databaseName = "marketplace.sqlite"
    static let secretsKeySuffix = ".secrets-key"
    static let formatVersion = 1

    let format: Int
    let source: String
    let createdAt: String
    /// The journal's last row in the copy: `ledger verify`'s head on the copy, and the hash the
    /// source's row at `headSeq` keeps for good (the journal is append-only).
    let headSeq: Int64
    let headHash: String
    let transfers: Int64
    let accounts: Int
    let openHolds: Int
    /// The `<db>.secrets-key` file was copied (no file: MARKETPLACE_SECRETS_KEY seals the secrets
    /// and must be set again on restore).
    let secretsKeyFile: Bool
    let databaseBytes: Int
}

/// `marketplace backup`: an online, consistent copy of the database while `serve` runs.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database (with its sealed-secrets key file) online and consistently, and verify the copy.",
        discussion: """
            Safe while `serve` runs on the file: the copy is one SQLite read transaction (VACUUM INTO), \
            so it holds whole commits only, and writers are not stopped. The copy is verified (balances \
            recomputed, hash chain checked) before the manifest is written; a backup directory without \
            manifest.json is incomplete. Prints the manifest as JSON.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "A new or empty directory for the copy.") var out: String

    func run() async throws {
        let target = try Self.prepare(out: out)
        let source = try database.openExisting()
        defer { source.close() }
        let copyPath = target.appendingPathComponent(BackupManifest.databaseName).path
        try source.copy(to: copyPath)
        let keyPath = database.db + BackupManifest.secretsKeySuffix
        let keyCopied = FileManager.default.fileExists(atPath: keyPath)
        if keyCopied {
            let keyCopy = copyPath + BackupManifest.secretsKeySuffix
            try FileManager.default.copyItem(atPath: keyPath, toPath: keyCopy)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyCopy)
        }
        let manifest = try Self.verifiedManifest(of: copyPath, source: database.db, secretsKeyFile: keyCopied)
        let data = try JSONOutput.encoder(pretty: true).encode(manifest)
        try data.write(to: target.appendingPathComponent(BackupManifest.fileName))
        print(String(decoding: data, as: UTF8.self))
    }

    /// The output directory, created when missing; refused when it holds anything.
    static func prepare(out: String) throws -> URL {
        let url = URL(fileURLWithPath: out)
        let manager = FileManager.default
        if manager.fileExists(atPath: out) {
            guard (try manager.contentsOfDirectory(atPath: out)).isEmpty else {
                throw ValidationError("--out \(out) is not empty; a backup goes to a new or empty directory")
            }
        } else {
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
        }
        return url
    }

    /// Verifies the copy at `path` and describes it; throws naming the fault when it is not clean.
    static func verifiedManifest(of path: String, source: String, secretsKeyFile: Bool) throws -> BackupManifest {
        let copy = try Ledger(readingOnly: path)
        defer { copy.close() }
        let report = try copy.verify()
        guard report.isClean else { throw ValidationError("the copy at \(path) does not verify: \(report.fault.map { "\($0)" } ?? "")") }
        let head = try copy.head()
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return BackupManifest(format: BackupManifest.formatVersion, source: source, createdAt: Timestamps.format(LedgerClock.system.nowMicros()),
                              headSeq: head.seq, headHash: head.hash.description, transfers: report.transfersChecked,
                              accounts: report.accountsChecked, openHolds: report.holdsOpen, secretsKeyFile: secretsKeyFile, databaseBytes: bytes)
    }
}

/// `marketplace restore`: puts a backup back as the database file, checked before and after.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup directory made by `marketplace backup` to --db, verifying it against its manifest.",
        discussion: """
            Refuses an existing --db unless --replace, and refuses while a process writes it (the ledger's \
            writer lock). With --replace the old file (and its -wal, -shm and .secrets-key) is moved aside \
            to <db>.replaced-<time>, never deleted. The restored file must verify with the manifest's head hash.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup directory.") var from: String
    @Flag(help: "Move an existing --db aside instead of refusing.") var replace = false

    func run() async throws {
        let directory = URL(fileURLWithPath: from)
        let manifestPath = directory.appendingPathComponent(BackupManifest.fileName).path
        guard let manifestData = FileManager.default.contents(atPath: manifestPath) else {
            throw ValidationError("no \(BackupManifest.fileName) in \(from): not a backup directory, or a backup that did not finish")
        }
        let manifest = try APIClient.decoder.decode(BackupManifest.self, from: manifestData)
        guard manifest.format == BackupManifest.formatVersion else { throw ValidationError("manifest format \(manifest.format) is not one this version reads") }
        let copyPath = directory.appendingPathComponent(BackupManifest.databaseName).path
        try Self.expect(copyPath, matches: manifest, what: "the backup")
        try database.prepareDirectory()
        if FileManager.default.fileExists(atPath: database.db) {
            guard replace else { throw ValidationError("\(database.db) exists; pass --replace to move it aside and restore") }
            try Self.moveAside(database.db)
        }
        let staging = database.db + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: copyPath, toPath: staging)
        try FileManager.default.moveItem(atPath: staging, toPath: database.db)
        if manifest.secretsKeyFile {
            let key = database.db + BackupManifest.secretsKeySuffix
            try FileManager.default.copyItem(atPath: copyPath + BackupManifest.secretsKeySuffix, toPath: key)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        }
        try Self.expect(database.db, matches: manifest, what: "the restored file")
        print("restored \(database.db): head \(manifest.headHash) at seq \(manifest.headSeq), \(manifest.transfers) transfers, verified")
        if !manifest.secretsKeyFile { print("the backup has no secrets key file: set MARKETPLACE_SECRETS_KEY as when it was taken") }
    }

    /// Verifies the file at `path` and checks its head against the manifest.
    static func expect(_ path: String, matches manifest: BackupManifest, what: String) throws {
        let ledger = try Ledger(readingOnly: path)
        defer { ledger.close() }
        let report = try ledger.verify()
        guard report.isClean else { throw ValidationError("\(what) does not verify: \(report.fault.map { "\($0)" } ?? "")") }
        let head = try ledger.head()
        guard head.seq == manifest.headSeq, head.hash.description == manifest.headHash else {
            throw ValidationError("\(what) ends at seq \(head.seq) hash \(head.hash); the manifest says seq \(manifest.headSeq) hash \(manifest.headHash)")
        }
    }

    /// Moves the database and its companions aside, after taking its writer lock so that no
    /// running process has it open for writing.
    static func moveAside(_ path: String) throws {
        do {
            let probe = try Ledger(path: path)
            probe.close()
        } catch {
            throw ValidationError("\(path) is in use (\(error)); stop the server before restoring over it")
        }
        let suffix = ".replaced-\(Int(Date().timeIntervalSince1970))"
        for companion in ["", "-wal", "-shm", BackupManifest.secretsKeySuffix] where FileManager.default.fileExists(atPath: path + companion) {
            try FileManager.default.moveItem(atPath: path + companion, toPath: path + suffix + companion)
        }
    }
}
