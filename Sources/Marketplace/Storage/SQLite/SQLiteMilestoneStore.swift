import GRDB

/// The milestones in SQLite: the `task_milestones` table.
struct SQLiteMilestoneStore: MilestoneStore {
    let db: Database

    func insert(_ specs: [MilestoneSpec], taskID: String) throws {
        for (position, spec) in specs.enumerated() {
            try db.run(sql: "INSERT INTO task_milestones (task_id, milestone_id, position, status) VALUES (?, ?, ?, 'pending')",
                       arguments: [taskID, spec.id, position])
        }
    }

    func milestones(of taskID: String, specs: [MilestoneSpec]) throws -> [Milestone] {
        let rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM task_milestones WHERE task_id = ? ORDER BY position"),
                                    arguments: [taskID])
        var byID: [String: Row] = [:]
        for row in rows { byID[row["milestone_id"]] = row }
        return try specs.map { spec in
            guard let row = byID[spec.id] else { throw MarketplaceError.internalError("milestone \(spec.id) of \(taskID) has no row") }
            return Self.decode(row, spec: spec)
        }
    }

    func markFunded(_ milestoneID: String, taskID: String, escrowMinor: Int64, payoutMinor: Int64, feeMinor: Int64, nowMicros: Int64) throws -> Bool {
        try db.run(sql: """
            UPDATE task_milestones SET status = 'funded', escrow_minor = ?, payout_minor = ?, fee_minor = ?, funded_at = ?
            WHERE task_id = ? AND milestone_id = ? AND status = 'pending'
            """, arguments: [escrowMinor, payoutMinor, feeMinor, nowMicros, taskID, milestoneID])
        return db.changesCount == 1
    }

    func markReleased(_ milestoneID: String, taskID: String, nowMicros: Int64) throws -> Bool {
        try db.run(sql: "UPDATE task_milestones SET status = 'released', released_at = ? WHERE task_id = ? AND milestone_id = ? AND status = 'funded'",
                   arguments: [nowMicros, taskID, milestoneID])
        return db.changesCount == 1
    }

    func markRefunded(_ milestoneID: String, taskID: String, nowMicros: Int64) throws -> Bool {
        try db.run(sql: "UPDATE task_milestones SET status = 'refunded', refunded_at = ? WHERE task_id = ? AND milestone_id = ? AND status = 'funded'",
                   arguments: [nowMicros, taskID, milestoneID])
        return db.changesCount == 1
    }

    private static func decode(_ row: Row, spec: MilestoneSpec) -> Milestone {
        Milestone(spec: spec, status: MilestoneStatus(rawValue: row["status"]) ?? .pending, escrowMinor: row["escrow_minor"],
                  payoutMinor: row["payout_minor"], feeMinor: row["fee_minor"], fundedAt: row["funded_at"], releasedAt: row["released_at"],
                  refundedAt: row["refunded_at"])
    }
}

extension Stores {
    var milestones: some MilestoneStore { SQLiteMilestoneStore(db: db) }
}
