import GRDB
import LedgerCore

/// The funding approvals in SQLite: the `funding_approvals` table.
struct SQLiteFundingApprovalStore: FundingApprovalStore {
    let db: Database

    func pending(forTask taskID: String) throws -> FundingApproval? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM funding_approvals WHERE task_id = ? AND status = 'pending'"), arguments: [taskID])
            .map(Self.decode)
    }

    func fetch(_ id: String) throws -> FundingApproval? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM funding_approvals WHERE id = ?"), arguments: [id]).map(Self.decode)
    }

    func fetch(_ id: String, user userID: String, mode: Mode) throws -> FundingApproval? {
        try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT a.* FROM funding_approvals a JOIN tasks t ON t.id = a.task_id WHERE a.id = ? AND a.user_id = ? AND t.mode = ?
            """), arguments: [id, userID, mode.rawValue]).map(Self.decode)
    }

    func list(user userID: String, mode: Mode, limit: Int) throws -> [FundingApproval] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT a.* FROM funding_approvals a JOIN tasks t ON t.id = a.task_id WHERE a.user_id = ? AND t.mode = ?
            ORDER BY a.created_at DESC, a.id DESC LIMIT ?
            """), arguments: [userID, mode.rawValue, limit]).map(Self.decode)
    }

    func insert(_ approval: FundingApproval, userID: String) throws {
        try db.run(sql: """
            INSERT INTO funding_approvals (id, task_id, user_id, key_id, amount_minor, asset, reason, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)
            """, arguments: [approval.id, approval.taskID, userID, approval.keyID, approval.amountMinor, approval.asset.code, approval.reason,
                             approval.createdAt])
    }

    func decide(_ id: String, as status: FundingApproval.Status, nowMicros: Int64) throws -> Bool {
        try db.run(sql: "UPDATE funding_approvals SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
                   arguments: [status.rawValue, nowMicros, id])
        return db.changesCount == 1
    }

    private static func decode(_ row: Row) -> FundingApproval {
        FundingApproval(id: row["id"], taskID: row["task_id"], keyID: row["key_id"], asset: Asset.named(row["asset"]) ?? .usd,
                        amountMinor: row["amount_minor"], reason: row["reason"], status: FundingApproval.Status(rawValue: row["status"]) ?? .pending,
                        createdAt: row["created_at"], decidedAt: row["decided_at"])
    }
}

extension Stores {
    var fundingApprovals: some FundingApprovalStore { SQLiteFundingApprovalStore(db: db) }
}
