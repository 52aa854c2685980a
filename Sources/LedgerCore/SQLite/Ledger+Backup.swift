import Foundation
import GRDB

extension Ledger {
    /// Writes a consistent copy of the whole database file (the journal and every other table
    /// the file holds) to `path`, as of one moment, while writers go on: SQLite's `VACUUM INTO`
    /// reads in one read transaction of its own, so the copy holds whole commits only. `path`
    /// must not exist. Works on a ledger opened `readingOnly`, beside a running server.
    public func copy(to path: String) throws(LedgerError) {
        guard !FileManager.default.fileExists(atPath: path) else { throw .storage("\(path) exists; a copy goes to a new file") }
        do {
            // VACUUM may not run inside a transaction; it opens its own read transaction.
            try pool.unsafeRead { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        } catch {
            throw .storage("copy to \(path): \(error)")
        }
    }

    /// The hash of the journal row at `seq` (what `head()` answered when `seq` was the head);
    /// nil when the journal has no such row.
    public func hash(atSeq seq: Int64) throws(LedgerError) -> JournalHash? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT hash FROM transfers WHERE seq = ?", arguments: [seq]).flatMap { JournalHash(bytes: $0) }
        }
    }
}
