import CSQLite
import Foundation
import LedgerCore

/// The limit on this machine: a plain loop over the sqlite3 C API that writes the same rows
/// as benchmark (b) (a transfer row with its 32-byte hash per transfer, each touched
/// account's balance once per batch, one commit row) into the same schema, durably, with no
/// validation, no hashing and no group commit.
struct BareSQLiteLoop {
    let accounts: Int
    let seed: UInt64

    func run(path: String, batches: Int) throws -> BenchResult {
        try Ledger(path: path).close()  // the real schema, migrated
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else { throw BenchError.sqlite("open") }
        defer { sqlite3_close_v2(db) }
        try exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 8192")
        try exec(db, "BEGIN")
        for index in 1...accounts {
            try exec(db, "INSERT INTO accounts (id, code, type, asset_id, flags, created_at) VALUES (\(index), 'limit:\(index)', 'liability', 1, 1, 0)")
            try exec(db, "INSERT INTO account_balances (id, credits_posted) VALUES (\(index), 1000000000000)")
        }
        try exec(db, "COMMIT")
        let insert = try prepare(db, "INSERT INTO transfers (seq, id, debit_account_id, credit_account_id, amount, asset_id, flags, pending_id, reverses_id, timeout_seconds, code, timestamp, metadata, hash) VALUES (?1, ?2, ?3, ?4, ?5, 1, 0, NULL, NULL, 0, 0, ?6, NULL, ?7)")
        let update = try prepare(db, "UPDATE account_balances SET debits_pending = 0, debits_posted = ?2, credits_pending = 0, credits_posted = ?3 WHERE id = ?1")
        let commitRow = try prepare(db, "INSERT INTO commits (seq, first_transfer_seq, last_transfer_seq, timestamp, wide_accounts) VALUES (?1, ?2, ?3, ?4, ?5)")
        defer { [insert, update, commitRow].forEach { sqlite3_finalize($0) } }

        var random = SplitMix64(seed: seed)
        let size = TransferBatch.transfersMax
        let ids = (1...accounts).map { AccountID(Int64($0)) }
        let pairs = (0..<batches * size).map { _ in random.pair(ids) }
        let amounts = (0..<batches * size).map { _ in random.amount() }
        var debits = [Int64](repeating: 0, count: accounts + 1)
        var credits = [Int64](repeating: 1_000_000_000_000, count: accounts + 1)
        var touched = [Int](repeating: -1, count: accounts + 1)
        let hash = [UInt8](repeating: 0xab, count: 32)
        let blob = [UInt8](repeating: 1, count: accounts)  // one gap byte per account, as a wide commit stores them
        var seq: Int64 = 0
        let start = ContinuousClock.now
        for batch in 0..<batches {
            try exec(db, "BEGIN IMMEDIATE")
            var touchedList: [Int] = []
            for index in batch * size..<(batch + 1) * size {
                let (debit, credit) = pairs[index]
                seq += 1
                sqlite3_bind_int64(insert, 1, seq)
                sqlite3_bind_int64(insert, 2, seq)
                sqlite3_bind_int64(insert, 3, debit.rawValue)
                sqlite3_bind_int64(insert, 4, credit.rawValue)
                sqlite3_bind_int64(insert, 5, amounts[index])
                sqlite3_bind_int64(insert, 6, Int64(batch))
                hash.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 7, $0.baseAddress, 32, nil) }
                guard sqlite3_step(insert) == SQLITE_DONE else { throw BenchError.sqlite(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(insert)
                debits[Int(debit.rawValue)] += amounts[index]
                credits[Int(credit.rawValue)] += amounts[index]
                for account in [Int(debit.rawValue), Int(credit.rawValue)] where touched[account] != batch {
                    touched[account] = batch
                    touchedList.append(account)
                }
            }
            for account in touchedList {
                sqlite3_bind_int64(update, 1, Int64(account))
                sqlite3_bind_int64(update, 2, debits[account])
                sqlite3_bind_int64(update, 3, credits[account])
                guard sqlite3_step(update) == SQLITE_DONE else { throw BenchError.sqlite(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(update)
            }
            sqlite3_bind_int64(commitRow, 1, Int64(batch + 1))
            sqlite3_bind_int64(commitRow, 2, seq - Int64(size) + 1)
            sqlite3_bind_int64(commitRow, 3, seq)
            sqlite3_bind_int64(commitRow, 4, Int64(batch))
            blob.withUnsafeBytes { _ = sqlite3_bind_blob(commitRow, 5, $0.baseAddress, Int32(touchedList.count), nil) }
            guard sqlite3_step(commitRow) == SQLITE_DONE else { throw BenchError.sqlite(String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(commitRow)
            try exec(db, "COMMIT")
        }
        return BenchResult(transfers: batches * size, seconds: (ContinuousClock.now - start).seconds, commits: batches)
    }

    private func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError.sqlite("\(sql): \(String(cString: sqlite3_errmsg(db)))") }
    }

    private func prepare(_ db: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchError.sqlite("\(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
        return statement
    }
}

enum BenchError: Error, CustomStringConvertible {
    case sqlite(String)
    var description: String {
        switch self {
        case .sqlite(let message): "sqlite: \(message)"
        }
    }
}
