import Foundation
import GRDB
import Synchronization

/// The tasks in SQLite: the `tasks` table, the spec as JSON text decoded through `SpecCache`.
struct SQLiteTaskStore: TaskStore {
    let db: Database

    func fetch(_ id: String) throws -> MarketTask? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT \(Self.columns) FROM tasks WHERE id = ?"), arguments: [id]).map { try withMilestones(Self.decode($0)) }
    }

    /// The task with its milestones' statuses read beside it (no read for a task paid whole).
    private func withMilestones(_ task: MarketTask) throws -> MarketTask {
        guard !task.spec.milestones.isEmpty else { return task }
        var task = task
        task.milestones = try SQLiteMilestoneStore(db: db).milestones(of: task.id, specs: task.spec.milestones)
        return task
    }

    func insert(_ task: MarketTask) throws {
        try db.run(sql: """
            INSERT INTO tasks (id, mode, owner_id, status, worker_id, category, location_type, urgency, spec, deadline, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [task.id, task.mode.rawValue, task.ownerID, task.status.rawValue, task.workerID, task.spec.category,
                             task.spec.locationType.rawValue, task.spec.urgency.rawValue, try SpecCache.shared.text(of: task.spec), task.spec.deadline,
                             task.createdAt, task.updatedAt])
    }

    func save(_ task: MarketTask, specChanged: Bool) throws {
        guard specChanged else {
            try db.run(sql: "UPDATE tasks SET status = ?, worker_id = ?, updated_at = ? WHERE id = ?",
                       arguments: [task.status.rawValue, task.workerID, task.updatedAt, task.id])
            return
        }
        try db.run(sql: """
            UPDATE tasks SET status = ?, category = ?, location_type = ?, urgency = ?, spec = ?, deadline = ?, worker_id = ?, updated_at = ?
            WHERE id = ?
            """, arguments: [task.status.rawValue, task.spec.category, task.spec.locationType.rawValue, task.spec.urgency.rawValue,
                             try SpecCache.shared.text(of: task.spec), task.spec.deadline, task.workerID, task.updatedAt, task.id])
    }

    func setHidden(_ hidden: Bool, taskID: String, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE tasks SET hidden = ?, updated_at = ? WHERE id = ?", arguments: [hidden, nowMicros, taskID])
    }

    func page(_ query: TaskPageQuery) throws -> [MarketTask] {
        var (conditions, values) = Self.filters(query)
        if let before = query.before {
            conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
            values += [before.createdAt, before.createdAt, before.id]
        }
        values.append(query.limit + 1)
        values.append(query.offset ?? 0)
        let sql = "SELECT \(Self.columns) FROM tasks WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        return try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: StatementArguments(values)).map { try withMilestones(Self.decode($0)) }
    }

    func count(_ query: TaskPageQuery) throws -> Int {
        let (conditions, values) = Self.filters(query)
        let sql = "SELECT COUNT(*) FROM tasks WHERE \(conditions.joined(separator: " AND "))"
        return try Int.fetchOne(try db.cachedStatement(sql: sql), arguments: StatementArguments(values)) ?? 0
    }

    /// The WHERE conditions of the query's filters, and their arguments.
    private static func filters(_ query: TaskPageQuery) -> (conditions: [String], values: [any DatabaseValueConvertible]) {
        var conditions = ["mode = ?"]
        var values: [any DatabaseValueConvertible] = [query.mode.rawValue]
        if let owner = query.ownerID {
            conditions.append("owner_id = ?")
            values.append(owner)
        } else {
            conditions.append("hidden = 0")  // a hidden task is listed to its owner only
        }
        if let status = query.status {
            conditions.append("status = ?")
            values.append(status.rawValue)
        }
        if let category = query.category {
            conditions.append("category = ?")
            values.append(category)
        }
        if let location = query.locationType {
            conditions.append("location_type = ?")
            values.append(location.rawValue)
        }
        if let urgency = query.urgency {
            conditions.append("urgency = ?")
            values.append(urgency.rawValue)
        }
        return (conditions, values)
    }

    func pastDeadline(nowMicros: Int64, limit: Int) throws -> [String] {
        try String.fetchAll(try db.cachedStatement(sql: """
            SELECT id FROM tasks WHERE status = 'published' AND deadline IS NOT NULL AND deadline <= ? ORDER BY deadline, id LIMIT ?
            """), arguments: [nowMicros, limit])
    }

    /// A task's row and its facts (`TaskFacts`), each read through an index: the committed
    /// funding (operations' unique key), an open funding call or approval, a resolved
    /// dispute's split, the applications; in the order `decode` reads them by position.
    static let columns = """
        tasks.id, tasks.mode, tasks.owner_id, tasks.status, tasks.spec, tasks.worker_id, tasks.created_at, tasks.updated_at, tasks.hidden,
        EXISTS (SELECT 1 FROM operations o WHERE o.key = 'fund:' || tasks.id AND o.state = 'committed') AS fact_funded,
        (EXISTS (SELECT 1 FROM funding_approvals a WHERE a.task_id = tasks.id AND a.status = 'pending')
         OR EXISTS (SELECT 1 FROM connector_calls c WHERE c.task_id = tasks.id AND c.kind IN ('checkout', 'authorization')
                    AND c.state IN ('pending', 'sent'))) AS fact_pending,
        COALESCE((SELECT d.to_worker_minor > 0 FROM disputes d WHERE d.task_id = tasks.id AND d.status = 'resolved'), 0) AS fact_worker_paid,
        (SELECT COUNT(*) FROM applications p WHERE p.task_id = tasks.id) AS fact_applications
        """

    /// A task from a row of `columns`.
    static func decode(_ row: Row) throws(MarketplaceError) -> MarketTask {
        // By position, as `columns` lists them: GRDB's lookup by name folds the case of every
        // column name on every read (0.8 % of `bench api`'s CPU).
        guard let mode = Mode(rawValue: row[1]), let status = TaskStatus(rawValue: row[3]), let spec = SpecCache.shared.spec(row[4]) else {
            throw .internalError("task \(row[0] as String? ?? "?") is unreadable")
        }
        return MarketTask(id: row[0], mode: mode, ownerID: row[2], status: status, spec: spec, workerID: row[5], createdAt: row[6], updatedAt: row[7],
                          hidden: row[8], facts: TaskFacts(funded: row[9], fundingPending: row[10], disputePaidWorker: row[11], applicationCount: row[12]))
    }
}

extension Stores {
    var tasks: some TaskStore { SQLiteTaskStore(db: db) }
}
