import GRDB
import LedgerCore

/// The fundings in SQLite: the `task_funding` table, committed when `operations` says so.
struct SQLiteFundingStore: FundingStore {
    let db: Database

    /// Tasks in these states have emptied their escrow (paid out or refunded).
    private static let closedStatuses = TaskStatus.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    func committed(of taskID: String) throws -> TaskFunding? {
        try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT f.* FROM task_funding f JOIN operations o ON o.key = 'fund:' || f.task_id
            WHERE f.task_id = ? AND o.state = 'committed'
            """), arguments: [taskID]).map(Self.decode)
    }

    func isFunded(_ taskID: String) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: """
            SELECT 1 FROM task_funding f JOIN operations o ON o.key = 'fund:' || f.task_id AND o.state = 'committed' WHERE f.task_id = ?
            """), arguments: [taskID]) == true
    }

    func recorded(of taskID: String) throws -> TaskFunding? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM task_funding WHERE task_id = ?"), arguments: [taskID]).map(Self.decode)
    }

    func insert(_ funding: TaskFunding, fundedAt: Int64, keyID: String?) throws {
        try db.run(sql: """
            INSERT OR IGNORE INTO task_funding (task_id, escrow_account_id, asset, escrow_minor, payout_minor, fee_minor, fee_rule, funded_at, source, key_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [funding.taskID, funding.escrowAccountID.rawValue, funding.asset.code, funding.escrowMinor, funding.payoutMinor,
                             funding.feeMinor, funding.feeRule, fundedAt, funding.source.rawValue, keyID])
    }

    func delete(of taskID: String) throws {
        try db.run(sql: "DELETE FROM task_funding WHERE task_id = ?", arguments: [taskID])
    }

    func fundedThroughKey(_ keyID: String, asset: Asset, sinceMicros: Int64) throws -> Int64 {
        try Int64.fetchOne(try db.cachedStatement(sql: """
            SELECT COALESCE(SUM(f.escrow_minor), 0) FROM task_funding f JOIN operations o ON o.key = 'fund:' || f.task_id
            WHERE f.key_id = ? AND f.asset = ? AND f.funded_at >= ?
            """), arguments: [keyID, asset.code, sinceMicros]) ?? 0
    }

    func openEscrows(owner: String, mode: Mode, asset: Asset) throws -> [AccountID] {
        try Int64.fetchAll(try db.cachedStatement(sql: """
            SELECT f.escrow_account_id FROM task_funding f JOIN tasks t ON t.id = f.task_id
            JOIN operations o ON o.key = 'fund:' || f.task_id AND o.state = 'committed'
            WHERE t.owner_id = ? AND t.mode = ? AND f.asset = ? AND t.status NOT IN (\(Self.closedStatuses))
            """), arguments: [owner, mode.rawValue, asset.code]).map { AccountID($0) }
    }

    /// A funding from its row (also for reads that join `task_funding` with another table).
    static func decode(_ row: Row) -> TaskFunding {
        TaskFunding(taskID: row["task_id"], escrowAccountID: AccountID(row["escrow_account_id"] as Int64), asset: Asset.named(row["asset"]) ?? .usd,
                    escrowMinor: row["escrow_minor"], payoutMinor: row["payout_minor"], feeMinor: row["fee_minor"], feeRule: row["fee_rule"],
                    source: FundingSource(rawValue: row["source"]) ?? .wallet)
    }
}

extension Stores {
    var fundings: some FundingStore { SQLiteFundingStore(db: db) }
}
