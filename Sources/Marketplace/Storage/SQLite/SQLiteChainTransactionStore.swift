import Connectors
import GRDB

/// The chain transactions in SQLite: the `chain_transactions` table (fees as 64-bit integers)
/// and the `chain_nonces` table of each wallet's next nonce.
struct SQLiteChainTransactionStore: ChainTransactionStore {
    let db: Database

    func insert(_ transaction: SignedChainTransaction, call: Int64, nowMicros: Int64) throws -> ChainTransactionRecord {
        try db.run(sql: """
            INSERT INTO chain_transactions (call_id, nonce, hash, raw, max_fee, tip, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'signed', ?, ?)
            """, arguments: [call, Int64(transaction.nonce), transaction.hash, transaction.raw, Int64(clamping: transaction.fees.maxFeePerGas),
                             Int64(clamping: transaction.fees.maxPriorityFeePerGas), nowMicros, nowMicros])
        return ChainTransactionRecord(id: db.lastInsertedRowID, callID: call, nonce: transaction.nonce, hash: transaction.hash, raw: transaction.raw,
                                      fees: transaction.fees, state: .signed, createdAt: nowMicros, sentAt: nil)
    }

    func live(call: Int64) throws -> [ChainTransactionRecord] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM chain_transactions WHERE call_id = ? AND state <> 'abandoned' ORDER BY id"),
                         arguments: [call]).map(Self.decode)
    }

    func mark(_ ids: [Int64], _ state: ChainTransactionRecord.State, nowMicros: Int64) throws {
        for id in ids {
            try db.run(sql: """
                UPDATE chain_transactions SET state = ?, sent_at = CASE WHEN ? = 'sent' THEN COALESCE(sent_at, ?) ELSE sent_at END, updated_at = ?
                WHERE id = ?
                """, arguments: [state.rawValue, state.rawValue, nowMicros, nowMicros, id])
        }
    }

    func contains(hash: String) throws -> Bool {
        try Int64.fetchOne(db, sql: "SELECT 1 FROM chain_transactions WHERE hash = ?", arguments: [hash]) != nil
    }

    func nonceAfterUnsettled() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(nonce) + 1 FROM chain_transactions WHERE state IN ('signed', 'sent')") ?? 0
    }

    func hasNonce(_ address: String) throws -> Bool {
        try Int64.fetchOne(db, sql: "SELECT 1 FROM chain_nonces WHERE address = ?", arguments: [address]) != nil
    }

    func takeNonce(_ address: String) throws -> UInt64? {
        guard let next = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT next_nonce FROM chain_nonces WHERE address = ?"),
                                            arguments: [address]) else { return nil }
        try db.run(sql: "UPDATE chain_nonces SET next_nonce = next_nonce + 1 WHERE address = ?", arguments: [address])
        return UInt64(next)
    }

    func setNextNonce(_ address: String, _ next: Int64) throws {
        try db.run(sql: """
            INSERT INTO chain_nonces (address, next_nonce) VALUES (?, ?) ON CONFLICT (address) DO UPDATE SET next_nonce = excluded.next_nonce
            """, arguments: [address, next])
    }

    private static func decode(_ row: Row) -> ChainTransactionRecord {
        ChainTransactionRecord(id: row["id"], callID: row["call_id"], nonce: UInt64(row["nonce"] as Int64), hash: row["hash"], raw: row["raw"],
                               fees: ChainFees(maxFeePerGas: UInt64(row["max_fee"] as Int64), maxPriorityFeePerGas: UInt64(row["tip"] as Int64)),
                               state: ChainTransactionRecord.State(rawValue: row["state"]) ?? .signed, createdAt: row["created_at"], sentAt: row["sent_at"])
    }

    func allHashes() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT hash FROM chain_transactions ORDER BY id")
    }
}

extension Stores {
    var chainTransactions: some ChainTransactionStore { SQLiteChainTransactionStore(db: db) }
}
