import GRDB
import LedgerCore

/// The withdrawals in SQLite: the `withdrawals` table.
struct SQLiteWithdrawalStore: WithdrawalStore {
    let db: Database

    func fetch(_ id: String) throws -> Withdrawal? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM withdrawals WHERE id = ?"), arguments: [id]).map(Self.decode)
    }

    func insertPending(_ withdrawal: Withdrawal, userID: String, mode: Mode) throws {
        try db.run(sql: """
            INSERT OR IGNORE INTO withdrawals (id, user_id, mode, asset, amount_minor, connector, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)
            """, arguments: [withdrawal.id, userID, mode.rawValue, withdrawal.asset.code, withdrawal.amountMinor, withdrawal.connector, withdrawal.createdAt])
    }

    func deletePending(_ id: String) throws {
        try db.run(sql: "DELETE FROM withdrawals WHERE id = ? AND status = 'pending'", arguments: [id])
    }

    func markPaid(_ id: String, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE withdrawals SET status = 'paid', settled_at = COALESCE(settled_at, ?) WHERE id = ?", arguments: [nowMicros, id])
    }

    func markFailed(_ id: String, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE withdrawals SET status = 'failed', settled_at = ? WHERE id = ? AND status = 'pending'", arguments: [nowMicros, id])
    }

    func pendingThroughTestConnector() throws -> [Withdrawal] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM withdrawals WHERE status = 'pending' AND connector = 'test'")).map(Self.decode)
    }

    private static func decode(_ row: Row) -> Withdrawal {
        Withdrawal(id: row["id"], asset: Asset.named(row["asset"]) ?? .usd, amountMinor: row["amount_minor"], connector: row["connector"],
                   status: Withdrawal.Status(rawValue: row["status"]) ?? .pending, createdAt: row["created_at"], settledAt: row["settled_at"])
    }
}

extension Stores {
    var withdrawals: some WithdrawalStore { SQLiteWithdrawalStore(db: db) }
}
