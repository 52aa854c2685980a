import Connectors
import GRDB

/// The deposits in SQLite: the `deposit_addresses`, `chain_deposits` and `chain_cursors` tables.
struct SQLiteDepositStore: DepositStore {
    let db: Database

    func addressOwner(_ address: String, mode: Mode) throws -> String? {
        try String.fetchOne(db, sql: "SELECT user_id FROM deposit_addresses WHERE address = ? AND mode = ?", arguments: [address, mode.rawValue])
    }

    func register(_ address: String, mode: Mode, userID: String, nowMicros: Int64) throws {
        try db.run(sql: "INSERT OR IGNORE INTO deposit_addresses (address, mode, user_id, created_at) VALUES (?, ?, ?, ?)",
                   arguments: [address, mode.rawValue, userID, nowMicros])
    }

    func addresses(userID: String, mode: Mode) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT address FROM deposit_addresses WHERE user_id = ? AND mode = ? ORDER BY created_at",
                            arguments: [userID, mode.rawValue])
    }

    func cursor(_ name: String) throws -> UInt64? {
        try Int64.fetchOne(db, sql: "SELECT block FROM chain_cursors WHERE name = ?", arguments: [name]).map { UInt64($0) }
    }

    func startCursor(_ name: String, at block: UInt64) throws {
        try db.run(sql: "INSERT OR IGNORE INTO chain_cursors (name, block) VALUES (?, ?)", arguments: [name, Int64(block)])
    }

    func advanceCursor(_ name: String, to block: Int64) throws {
        try db.run(sql: "UPDATE chain_cursors SET block = MAX(block, ?) WHERE name = ?", arguments: [block, name])
    }

    func seenKeys(fromBlock block: UInt64) throws -> [(hash: String, logIndex: Int64)] {
        try Row.fetchAll(db, sql: "SELECT tx_hash, log_index FROM chain_deposits WHERE state = 'seen' AND block_number >= ?", arguments: [Int64(block)])
            .map { (hash: $0["tx_hash"] as String, logIndex: $0["log_index"] as Int64) }
    }

    func forgetSeen(hash: String, logIndex: Int64) throws {
        try db.run(sql: "DELETE FROM chain_deposits WHERE tx_hash = ? AND log_index = ? AND state = 'seen'", arguments: [hash, logIndex])
    }

    func recordSeen(_ transfer: ChainTransfer, userID: String?, mode: Mode, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT INTO chain_deposits (tx_hash, log_index, block_number, block_hash, from_address, amount_minor, user_id, mode, state, seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'seen', ?)
            ON CONFLICT (tx_hash, log_index) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash
                WHERE state = 'seen'
            """, arguments: [transfer.transactionHash, Int64(transfer.logIndex), Int64(transfer.blockNumber), transfer.blockHash, transfer.from,
                             transfer.amountMinor, userID, mode.rawValue, nowMicros])
    }

    func seen() throws -> [SeenDeposit] {
        try Row.fetchAll(db, sql: "SELECT * FROM chain_deposits WHERE state = 'seen' ORDER BY block_number, log_index").map { row in
            SeenDeposit(hash: row["tx_hash"], logIndex: row["log_index"], blockNumber: UInt64(row["block_number"] as Int64), blockHash: row["block_hash"],
                        from: row["from_address"], amountMinor: row["amount_minor"], userID: row["user_id"])
        }
    }

    func markUnmatched(hash: String, logIndex: Int64) throws {
        try db.run(sql: "UPDATE chain_deposits SET state = 'unmatched' WHERE tx_hash = ? AND log_index = ? AND state = 'seen'", arguments: [hash, logIndex])
    }

    func markCredited(hash: String, logIndex: Int64, nowMicros: Int64) throws -> Bool {
        try db.run(sql: "UPDATE chain_deposits SET state = 'credited', credited_at = ? WHERE tx_hash = ? AND log_index = ? AND state = 'seen'",
                   arguments: [nowMicros, hash, logIndex])
        return db.changesCount == 1
    }
}

extension Stores {
    var deposits: some DepositStore { SQLiteDepositStore(db: db) }
}
