import GRDB
import LedgerCore

/// The disputes in SQLite: the `disputes` table.
struct SQLiteDisputeStore: DisputeStore {
    let db: Database

    func insert(_ dispute: Dispute) throws {
        try db.run(sql: "INSERT INTO disputes (id, task_id, opened_by, reason, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)",
                   arguments: [dispute.id, dispute.taskID, dispute.openedBy, dispute.reason, dispute.createdAt])
    }

    func dispute(onTask taskID: String) throws -> Dispute? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT d.*, f.asset FROM disputes d LEFT JOIN task_funding f ON f.task_id = d.task_id WHERE d.task_id = ?"),
                         arguments: [taskID]).map(Self.decode)
    }

    func fetch(_ id: String) throws -> Dispute? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM disputes WHERE id = ?"), arguments: [id]).map(Self.decode)
    }

    func open(mode: Mode, limit: Int) throws -> [Dispute] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT d.*, f.asset FROM disputes d JOIN tasks t ON t.id = d.task_id LEFT JOIN task_funding f ON f.task_id = d.task_id
            WHERE d.status = 'open' AND t.mode = ? ORDER BY d.created_at, d.id LIMIT ?
            """), arguments: [mode.rawValue, limit]).map(Self.decode)
    }

    func resolve(_ id: String, split: Dispute.Split, resolution: String, nowMicros: Int64) throws -> Bool {
        try db.run(sql: """
            UPDATE disputes SET status = 'resolved', to_worker_minor = ?, to_payer_minor = ?, fee_minor = ?, resolution = ?, resolved_at = ?
            WHERE id = ? AND status = 'open'
            """, arguments: [split.toWorkerMinor, split.toPayerMinor, split.feeMinor, resolution, nowMicros, id])
        return db.changesCount == 1
    }

    private static func decode(_ row: Row) -> Dispute {
        let asset = (row["asset"] as String?).flatMap(Asset.named)
        var split: Dispute.Split?
        if let asset, let worker = row["to_worker_minor"] as Int64?, let payer = row["to_payer_minor"] as Int64?, let fee = row["fee_minor"] as Int64? {
            split = Dispute.Split(asset: asset, toWorkerMinor: worker, toPayerMinor: payer, feeMinor: fee)
        }
        return Dispute(id: row["id"], taskID: row["task_id"], openedBy: row["opened_by"], reason: row["reason"],
                       status: Dispute.Status(rawValue: row["status"]) ?? .open, split: split, resolution: row["resolution"],
                       createdAt: row["created_at"], resolvedAt: row["resolved_at"])
    }
}

extension Stores {
    var disputes: some DisputeStore { SQLiteDisputeStore(db: db) }
}
