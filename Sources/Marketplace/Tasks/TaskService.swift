import Foundation
import GRDB
import Synchronization
public import LedgerCore

/// Creating, listing, reading, changing and cancelling tasks. Another user's task that is not
/// published is "not found" (never "forbidden"), and test and live tasks never meet.
public struct TaskService: Sendable {
    let store: MarketplaceStore
    let clock: LedgerClock
    let riskGate: RiskGate

    public init(store: MarketplaceStore, clock: LedgerClock = .system, riskGate: RiskGate = .standard) {
        self.store = store
        self.clock = clock
        self.riskGate = riskGate
    }

    /// Screens a spec's free text through the risk gate.
    func screen(_ spec: TaskSpec) throws(MarketplaceError) {
        var fields: [(field: String, text: String)] = [("title", spec.title), ("description", spec.description)]
        for (index, requirement) in spec.proofRequirements.enumerated() { fields.append(("proof_requirements[\(index)]", requirement)) }
        try riskGate.check(fields)
    }

    public func create(_ draft: TaskDraft, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        try caller.requirePoster()
        let now = clock.nowMicros()
        let spec = try draft.validated(nowMicros: now)
        try screen(spec)
        guard !spec.mockOperator || caller.mode == .test else {
            throw .validation(field: "mock_operator", message: "mock operators work in test mode only")
        }
        let task = MarketTask(id: Secrets.id("tsk"), mode: caller.mode, ownerID: caller.userID, status: .published,
                              spec: spec, workerID: nil, createdAt: now, updatedAt: now)
        // The write answers the task, so that a keyed request's answer lands in this commit.
        return try await store.write { db in
            try Self.insert(task, db)
            try Outbox.emit(.taskCreated, to: [task.ownerID], mode: task.mode, task: task, data: Outbox.summary(task), nowMicros: now, db)
            if spec.mockOperator { try MockOperator.apply(to: task, nowMicros: now, db) }
            return task
        }
    }

    public func task(_ id: String, for caller: Principal) throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksRead)
        let task = try store.read { db in try Self.fetch(id, db) }
        guard let task, task.mode == caller.mode, task.ownerID == caller.userID || task.workerID == caller.userID || task.status == .published else {
            throw .notFound("no task \(id)")
        }
        return task
    }

    public func list(_ filter: TaskFilter, for caller: Principal) throws(MarketplaceError) -> TaskPage {
        try caller.require(.tasksRead)
        let query = try TaskQuery(filter, caller: caller)
        let rows = try store.read { db in try Row.fetchAll(try db.cachedStatement(sql: query.sql), arguments: query.arguments) }
        var tasks = try rows.map { (row) throws(MarketplaceError) -> MarketTask in try Self.decode(row) }
        let hasMore = tasks.count > query.limit
        if hasMore { tasks.removeLast() }
        let cursor = hasMore ? tasks.last.map { TaskQuery.cursor(createdAt: $0.createdAt, id: $0.id) } : nil
        return TaskPage(tasks: tasks, hasMore: hasMore, nextCursor: cursor)
    }

    /// Changes a published task's fields; only its owner may.
    public func update(_ id: String, with update: TaskUpdate, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        return try await store.write { db in
            var task = try Self.owned(id, by: caller, db)
            guard task.status == .published else {
                throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue); only a published task can be changed")
            }
            task.spec = try Self.applying(update, to: task.spec, nowMicros: clock.nowMicros())
            try screen(task.spec)
            task.updatedAt = clock.nowMicros()
            try Self.save(task, db, specChanged: true)
            return task
        }
    }

    // MARK: - Storage

    static func owned(_ id: String, by caller: Principal, _ db: Database) throws -> MarketTask {
        guard let task = try fetch(id, db), task.mode == caller.mode, task.ownerID == caller.userID else {
            throw MarketplaceError.notFound("no task \(id)")
        }
        return task
    }

    static func applying(_ update: TaskUpdate, to spec: TaskSpec, nowMicros: Int64) throws(MarketplaceError) -> TaskSpec {
        // Re-validate the whole draft so an update can never store what a create would refuse.
        var draft = TaskDraft(spec)
        if let title = update.title { draft.title = title }
        if let description = update.description { draft.description = description }
        if let category = update.category { draft.category = category }
        if let deadline = update.deadline { draft.deadline = deadline }
        if let urgency = update.urgency { draft.urgency = urgency }
        if let deliverables = update.requiredDeliverables { draft.requiredDeliverables = deliverables }
        if let proofs = update.proofRequirements { draft.proofRequirements = proofs }
        if let verifiedOnly = update.verifiedOnly { draft.verifiedOnly = verifiedOnly }
        if let callback = update.callbackURL { draft.callbackURL = callback }
        if update.deadline == nil, let deadline = spec.deadline, deadline <= nowMicros {
            throw .conflict(field: "deadline", message: "the task's deadline has passed")
        }
        return try draft.validated(nowMicros: nowMicros)
    }

    static func insert(_ task: MarketTask, _ db: Database) throws {
        try db.run(sql: """
            INSERT INTO tasks (id, mode, owner_id, status, category, location_type, urgency, spec, deadline, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [task.id, task.mode.rawValue, task.ownerID, task.status.rawValue, task.spec.category,
                             task.spec.locationType.rawValue, task.spec.urgency.rawValue, try encode(task.spec), task.spec.deadline,
                             task.createdAt, task.updatedAt])
    }

    /// Writes a task's status, worker and time; the spec only with `specChanged` (an update),
    /// so status moves do not re-encode it.
    static func save(_ task: MarketTask, _ db: Database, specChanged: Bool = false) throws {
        guard specChanged else {
            try db.run(sql: "UPDATE tasks SET status = ?, worker_id = ?, updated_at = ? WHERE id = ?",
                       arguments: [task.status.rawValue, task.workerID, task.updatedAt, task.id])
            return
        }
        try db.run(sql: """
            UPDATE tasks SET status = ?, category = ?, location_type = ?, urgency = ?, spec = ?, deadline = ?, worker_id = ?, updated_at = ?
            WHERE id = ?
            """, arguments: [task.status.rawValue, task.spec.category, task.spec.locationType.rawValue, task.spec.urgency.rawValue,
                             try encode(task.spec), task.spec.deadline, task.workerID, task.updatedAt, task.id])
    }

    static func fetch(_ id: String, _ db: Database) throws -> MarketTask? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM tasks WHERE id = ?"), arguments: [id]).map { try decode($0) }
    }

    static func decode(_ row: Row) throws(MarketplaceError) -> MarketTask {
        guard let mode = Mode(rawValue: row["mode"]), let status = TaskStatus(rawValue: row["status"]),
              let spec = SpecCache.shared.spec(row["spec"]) else {
            throw .internalError("task \(row["id"] as String? ?? "?") is unreadable")
        }
        return MarketTask(id: row["id"], mode: mode, ownerID: row["owner_id"], status: status, spec: spec, workerID: row["worker_id"],
                          createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static func encode(_ spec: TaskSpec) throws -> String {
        try StoredJSON.string(spec)
    }
}

extension TaskDraft {
    /// The draft that validates to `spec` (for updates).
    init(_ spec: TaskSpec) {
        self.init(title: spec.title, description: spec.description, category: spec.category, taskType: spec.taskType,
                  locationType: spec.locationType.rawValue, address: spec.address, latitude: spec.latitude, longitude: spec.longitude,
                  budget: Budget(amount: MinorUnits.format(spec.amountMinor, scale: spec.asset.scale), currency: spec.asset.code,
                                 type: spec.budgetType.rawValue, estimatedHours: spec.estimatedHours),
                  deadline: spec.deadline.map(Timestamps.format), deliveryType: spec.deliveryType.rawValue,
                  requiredDeliverables: spec.requiredDeliverables.map(\.rawValue), proofRequirements: spec.proofRequirements,
                  verifiedOnly: spec.verifiedOnly, urgency: spec.urgency.rawValue, callbackURL: spec.callbackURL,
                  feePaidBy: spec.feePaidBy.rawValue, mockOperator: spec.mockOperator, autoApprove: spec.autoApprove, autoReject: spec.autoReject)
    }
}

/// Decoded task specs by their stored JSON text: a spec changes only on update (which stores
/// new text), so the text is its own cache key and a hit skips JSON decoding on every read.
final class SpecCache: Sendable {
    static let shared = SpecCache()
    /// Past this many entries the cache starts over.
    static let entriesMax = 20_000

    private let entries = Mutex<[String: TaskSpec]>([:])

    func spec(_ text: String) -> TaskSpec? {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        guard let spec = try? JSONDecoder().decode(TaskSpec.self, from: Data(text.utf8)) else { return nil }
        entries.withLock { entries in
            if entries.count >= Self.entriesMax { entries.removeAll(keepingCapacity: true) }
            entries[text] = spec
        }
        return spec
    }
}
