import Foundation
import GRDB
public import LedgerCore

/// The human side of a task: applying, the owner accepting (only once the task is funded),
/// submitting deliverables, asking for a revision. Approval pays through `SettlementService`.
public struct WorkService: Sendable {
    let store: MarketplaceStore
    let settlement: SettlementService
    let clock: LedgerClock

    public init(store: MarketplaceStore, settlement: SettlementService, clock: LedgerClock = .system) {
        self.store = store
        self.settlement = settlement
        self.clock = clock
    }

    /// Applies to a published task; once per task.
    public func apply(to taskID: String, message: String, by caller: Principal) throws(MarketplaceError) -> TaskApplication {
        try caller.require(.tasksWrite)
        let message = message.trimmingWhitespace
        guard message.count <= TaskApplication.messageLengthMax else {
            throw .validation(field: "message", message: "message must be at most \(TaskApplication.messageLengthMax) characters")
        }
        return try store.write { db in
            guard let task = try TaskService.fetch(taskID, db), task.mode == caller.mode, task.status == .published || task.ownerID == caller.userID else {
                throw MarketplaceError.notFound("no task \(taskID)")
            }
            guard task.ownerID != caller.userID else { throw MarketplaceError.conflict(field: nil, message: "you cannot apply to your own task") }
            guard task.status == .published else { throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue)") }
            guard task.spec.deliveryType != .bounty else {
                throw MarketplaceError.conflict(field: nil, message: "a bounty takes submissions without applying")
            }
            guard !task.spec.verifiedOnly else { throw MarketplaceError.forbidden("this task takes verified workers only") }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM applications WHERE task_id = ? AND applicant_id = ?", arguments: [taskID, caller.userID]) != true else {
                throw MarketplaceError.conflict(field: nil, message: "you already applied to this task")
            }
            let application = TaskApplication(id: Secrets.id("app"), taskID: taskID, applicantID: caller.userID, message: message,
                                              status: .pending, createdAt: clock.nowMicros())
            try db.execute(sql: "INSERT INTO applications (id, task_id, applicant_id, message, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [application.id, taskID, caller.userID, message, "pending", application.createdAt])
            return application
        }
    }

    /// The applications to the caller's task, oldest first.
    public func applications(of taskID: String, for caller: Principal) throws(MarketplaceError) -> [TaskApplication] {
        try caller.require(.tasksRead)
        return try store.read { db in
            _ = try TaskService.owned(taskID, by: caller, db)
            return try Row.fetchAll(db, sql: "SELECT * FROM applications WHERE task_id = ? ORDER BY created_at, id", arguments: [taskID]).map(Self.application)
        }
    }

    /// Accepts an application: the task must be funded (402 with the fund URL otherwise).
    public func accept(_ applicationID: String, on taskID: String, by caller: Principal) throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        guard try settlement.funding(of: taskID) != nil else {
            _ = try store.read { db in try TaskService.owned(taskID, by: caller, db) }
            throw .paymentRequired(taskID: taskID, fundURL: "/v1/tasks/\(taskID)/fund")
        }
        return try store.write { db in
            var task = try TaskService.owned(taskID, by: caller, db)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM applications WHERE id = ? AND task_id = ?", arguments: [applicationID, taskID]) else {
                throw MarketplaceError.notFound("no application \(applicationID)")
            }
            task.status = try task.status.applying(.assign)
            task.workerID = Self.application(row).applicantID
            task.updatedAt = clock.nowMicros()
            try TaskService.save(task, db)
            try db.execute(sql: "UPDATE applications SET status = 'accepted' WHERE id = ?", arguments: [applicationID])
            return task
        }
    }

    /// The assigned worker hands in deliverables covering every required kind.
    public func submit(to taskID: String, deliverables: [Submission.Item], note: String?, by caller: Principal) throws(MarketplaceError) -> Submission {
        try caller.require(.tasksWrite)
        try Self.check(deliverables)
        return try store.write { db in
            guard var task = try TaskService.fetch(taskID, db), task.mode == caller.mode, task.workerID == caller.userID else {
                throw MarketplaceError.notFound("no task \(taskID) assigned to you")
            }
            let missing = Set(task.spec.requiredDeliverables).subtracting(deliverables.map(\.kind))
            guard missing.isEmpty else {
                throw MarketplaceError.validation(field: "deliverables", message: "missing required deliverables: \(missing.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            task.status = try task.status.applying(.submit)
            task.updatedAt = clock.nowMicros()
            try TaskService.save(task, db)
            let submission = Submission(id: Secrets.id("sub"), taskID: taskID, workerID: caller.userID, deliverables: deliverables,
                                        note: note, status: .submitted, feedback: nil, createdAt: clock.nowMicros())
            try db.execute(sql: "INSERT INTO submissions (id, task_id, worker_id, deliverables, note, status, created_at) VALUES (?, ?, ?, ?, ?, 'submitted', ?)",
                           arguments: [submission.id, taskID, caller.userID, String(decoding: try JSONEncoder().encode(deliverables), as: UTF8.self),
                                       note, submission.createdAt])
            return submission
        }
    }

    /// Sends the latest submission back with feedback.
    public func requestRevision(of taskID: String, feedback: String, by caller: Principal) throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        let feedback = try TaskDraft.text(feedback, field: "feedback", max: Submission.valueLengthMax)
        return try store.write { db in
            var task = try TaskService.owned(taskID, by: caller, db)
            task.status = try task.status.applying(.requestRevision)
            task.updatedAt = clock.nowMicros()
            try TaskService.save(task, db)
            try db.execute(sql: """
                UPDATE submissions SET status = 'revision_requested', feedback = ?
                WHERE id = (SELECT id FROM submissions WHERE task_id = ? ORDER BY created_at DESC, id DESC LIMIT 1)
                """, arguments: [feedback, taskID])
            return task
        }
    }

    static func check(_ deliverables: [Submission.Item]) throws(MarketplaceError) {
        guard !deliverables.isEmpty, deliverables.count <= Submission.deliverablesMax else {
            throw .validation(field: "deliverables", message: "send 1 to \(Submission.deliverablesMax) deliverables")
        }
        for (index, item) in deliverables.enumerated() {
            let value = try TaskDraft.text(item.value, field: "deliverables[\(index)].value", max: Submission.valueLengthMax)
            if item.kind == .photo || item.kind == .url { _ = try TaskDraft.httpURL(value, field: "deliverables[\(index)].value") }
        }
    }

    static func application(_ row: Row) -> TaskApplication {
        TaskApplication(id: row["id"], taskID: row["task_id"], applicantID: row["applicant_id"], message: row["message"],
                        status: TaskApplication.Status(rawValue: row["status"]) ?? .pending, createdAt: row["created_at"])
    }
}
