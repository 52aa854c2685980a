import Foundation
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
        let task = try prepare(draft, by: caller)
        // The write answers the task, so that a keyed request's answer lands in this commit.
        return try await store.write { stores in
            try Self.record(task, stores)
            return task
        }
    }

    /// The published task `draft` makes for `caller`, checked (scopes, fields, risk gate, mock
    /// operators in test mode only) and not yet written.
    func prepare(_ draft: TaskDraft, by caller: Principal) throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        try caller.requirePoster()
        let now = clock.nowMicros()
        let spec = try draft.validated(nowMicros: now)
        try screen(spec)
        guard !spec.mockOperator || caller.mode == .test else {
            throw .validation(field: "mock_operator", message: "mock operators work in test mode only")
        }
        return MarketTask(id: Secrets.id("tsk"), mode: caller.mode, ownerID: caller.userID, status: .published,
                          spec: spec, workerID: nil, createdAt: now, updatedAt: now, milestones: spec.milestones.map(Milestone.init(pending:)))
    }

    /// Writes a prepared task inside the caller's commit: its row, its `task.created` event, and
    /// a test-mode mock operator's application.
    static func record(_ task: MarketTask, _ stores: Stores) throws {
        try stores.tasks.insert(task)
        try stores.milestones.insert(task.spec.milestones, taskID: task.id)
        try Outbox.emit(.taskCreated, to: [task.ownerID], mode: task.mode, task: task, data: Outbox.summary(task), nowMicros: task.createdAt, stores)
        if task.spec.mockOperator { try MockOperator.apply(to: task, nowMicros: task.createdAt, stores) }
    }

    public func task(_ id: String, for caller: Principal) throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksRead)
        let task = try store.read { stores in try stores.tasks.fetch(id) }
        guard let task, task.mode == caller.mode, task.ownerID == caller.userID || task.workerID == caller.userID || task.status == .published else {
            throw .notFound("no task \(id)")
        }
        return task
    }

    public func list(_ filter: TaskFilter, for caller: Principal) throws(MarketplaceError) -> TaskPage {
        try caller.require(.tasksRead)
        return try page(TaskPageQuery(filter, mode: caller.mode, viewerID: caller.userID))
    }

    /// A published task as anyone may read it without credentials (seed 002's public
    /// `GET /api/tasks/:id`, 000's `browse_jobs`), in the server's `mode`. Any other task, a
    /// hidden one included, is not found.
    public func publishedTask(_ id: String, mode: Mode) throws(MarketplaceError) -> MarketTask {
        let task = try store.read { stores in try stores.tasks.fetch(id) }
        guard let task, task.mode == mode, task.status == .published, !task.hidden else { throw .notFound("no task \(id)") }
        return task
    }

    /// The published listing as anyone may read it without credentials, in the server's `mode`:
    /// the same filters and pages as a caller's, without `mine`.
    public func publishedList(_ filter: TaskFilter, mode: Mode) throws(MarketplaceError) -> TaskPage {
        try page(TaskPageQuery(filter, mode: mode, viewerID: nil))
    }

    private func page(_ query: TaskPageQuery) throws(MarketplaceError) -> TaskPage {
        // With an offset the total is counted in the same read, as offset-paged APIs answer it.
        var (tasks, count) = try store.read { stores in (try stores.tasks.page(query), try query.offset.map { _ in try stores.tasks.count(query) }) }
        let hasMore = tasks.count > query.limit
        if hasMore { tasks.removeLast() }
        let cursor = hasMore ? tasks.last.map { TaskPageQuery.cursor(createdAt: $0.createdAt, id: $0.id) } : nil
        return TaskPage(tasks: tasks, hasMore: hasMore, nextCursor: cursor, count: count, offset: query.offset)
    }

    /// Hides the caller's task from listings (`hidden`), or shows it again; in any status. A
    /// hidden task is still read, worked and paid by id, and listed to its owner.
    public func setHidden(_ hidden: Bool, _ id: String, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        let now = clock.nowMicros()
        return try await store.write { stores in
            var task = try TaskService.owned(id, by: caller, stores)
            try stores.tasks.setHidden(hidden, taskID: id, nowMicros: now)
            task.hidden = hidden
            task.updatedAt = now
            return task
        }
    }

    /// Changes a published task's fields; only its owner may.
    public func update(_ id: String, with update: TaskUpdate, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        return try await store.write { stores in
            var task = try TaskService.owned(id, by: caller, stores)
            guard task.status == .published else {
                throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue); only a published task can be changed")
            }
            task.spec = try Self.applying(update, to: task.spec, nowMicros: clock.nowMicros())
            try screen(task.spec)
            task.updatedAt = clock.nowMicros()
            try stores.tasks.save(task, specChanged: true)
            return task
        }
    }

    // MARK: - Storage

    /// The caller's own task; another's (or none) is "not found".
    static func owned(_ id: String, by caller: Principal, _ stores: Stores) throws -> MarketTask {
        guard let task = try stores.tasks.fetch(id), task.mode == caller.mode, task.ownerID == caller.userID else {
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
        // The budget cannot change, so the milestones stay as they were (a due date that has
        // since passed does not make the task unchangeable).
        var validated = try draft.validated(nowMicros: nowMicros)
        validated.milestonesStored = spec.milestonesStored
        return validated
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
