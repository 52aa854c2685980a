import Foundation
import GRDB
public import LedgerCore

/// The human side of a task: applying, the owner accepting (only once the task is funded),
/// submitting deliverables, asking for a revision. Approval pays through `SettlementService`.
public struct WorkService: Sendable {
    let store: MarketplaceStore
    let settlement: SettlementService
    let clock: LedgerClock
    let verifier: any ProofVerifier

    public init(store: MarketplaceStore, settlement: SettlementService, clock: LedgerClock = .system, verifier: any ProofVerifier = RuleVerifier()) {
        self.store = store
        self.settlement = settlement
        self.clock = clock
        self.verifier = verifier
    }

    /// Applies to a published task; once per task.
    public func apply(to taskID: String, message: String, by caller: Principal) async throws(MarketplaceError) -> TaskApplication {
        try caller.require(.tasksWrite)
        try caller.requireWorker()
        let message = message.trimmingWhitespace
        guard message.count <= TaskApplication.messageLengthMax else {
            throw .validation(field: "message", message: "message must be at most \(TaskApplication.messageLengthMax) characters")
        }
        return try await store.writeDB { db in
            guard let task = try Stores(db).tasks.fetch(taskID), task.mode == caller.mode, task.status == .published || task.ownerID == caller.userID else {
                throw MarketplaceError.notFound("no task \(taskID)")
            }
            guard task.ownerID != caller.userID else { throw MarketplaceError.conflict(field: nil, message: "you cannot apply to your own task") }
            guard task.status == .published else { throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue)") }
            guard task.spec.deliveryType != .bounty else {
                throw MarketplaceError.conflict(field: nil, message: "a bounty takes submissions without applying")
            }
            try Self.checkVerified(caller, for: task, Stores(db))
            guard try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM applications WHERE task_id = ? AND applicant_id = ?"), arguments: [taskID, caller.userID]) != true else {
                throw MarketplaceError.conflict(field: nil, message: "you already applied to this task")
            }
            let application = TaskApplication(id: Secrets.id("app"), taskID: taskID, applicantID: caller.userID, message: message,
                                              status: .pending, createdAt: clock.nowMicros())
            try db.run(sql: "INSERT INTO applications (id, task_id, applicant_id, message, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [application.id, taskID, caller.userID, message, "pending", application.createdAt])
            try Notification.add(.applicationReceived, for: task.ownerID, mode: task.mode, task: taskID,
                                 "New application to \"\(task.spec.title)\"", nowMicros: application.createdAt, Stores(db))
            try Outbox.emit(.applicationCreated, to: [task.ownerID], mode: task.mode, task: task,
                            data: ["application_id": application.id, "applicant_id": caller.userID], nowMicros: application.createdAt, Stores(db))
            return application
        }
    }

    /// The applications to the caller's task, oldest first.
    public func applications(of taskID: String, for caller: Principal) throws(MarketplaceError) -> [TaskApplication] {
        try caller.require(.tasksRead)
        return try store.readDB { db in
            _ = try TaskService.owned(taskID, by: caller, Stores(db))
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM applications WHERE task_id = ? ORDER BY created_at, id"), arguments: [taskID]).map(Self.application)
        }
    }

    /// Accepts an application: the task must be funded (402 with the fund URL otherwise).
    public func accept(_ applicationID: String, on taskID: String, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        return try await store.writeDB { db in
            var task = try TaskService.owned(taskID, by: caller, Stores(db))
            guard try SettlementService.committedFunding(of: taskID, Stores(db)) != nil else {
                throw MarketplaceError.paymentRequired(taskID: taskID, fundURL: "/v1/tasks/\(taskID)/fund")
            }
            guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM applications WHERE id = ? AND task_id = ?"), arguments: [applicationID, taskID]) else {
                throw MarketplaceError.notFound("no application \(applicationID)")
            }
            let application = Self.application(row)
            guard application.status == .pending else {
                throw MarketplaceError.conflict(field: "status", message: "the application is \(application.status.rawValue)")
            }
            task.status = try task.status.applying(.assign)
            task.workerID = application.applicantID
            task.updatedAt = clock.nowMicros()
            try Stores(db).tasks.save(task, specChanged: false)
            try db.run(sql: "UPDATE applications SET status = 'accepted' WHERE id = ?", arguments: [applicationID])
            try Notification.add(.applicationAccepted, for: application.applicantID, mode: task.mode, task: taskID,
                                 "You were accepted for \"\(task.spec.title)\"; it is funded", nowMicros: task.updatedAt, Stores(db))
            try Outbox.emit(.applicationAccepted, to: [task.ownerID, application.applicantID], mode: task.mode, task: task,
                            data: ["application_id": applicationID, "worker_id": application.applicantID], nowMicros: task.updatedAt, Stores(db))
            return task
        }
    }

    /// The assigned worker hands in deliverables covering every required kind; on a bounty, any
    /// human (not the owner) enters once while it is published and funded, without applying.
    public func submit(to taskID: String, deliverables: [Submission.Item], note: String?, by caller: Principal) async throws(MarketplaceError) -> Submission {
        try caller.require(.tasksWrite)
        try caller.requireWorker()
        try Self.check(deliverables)
        let note = try note.map { (text) throws(MarketplaceError) -> String in try TaskDraft.text(text, field: "note", max: Submission.valueLengthMax) }
        let verifier = verifier
        let submitted = try await store.writeDB { db -> Submitted in
            guard var task = try Stores(db).tasks.fetch(taskID), task.mode == caller.mode,
                  task.workerID == caller.userID || (task.spec.deliveryType == .bounty && task.status == .published && task.ownerID != caller.userID) else {
                throw MarketplaceError.notFound("no task \(taskID) assigned to you")
            }
            let missing = Set(task.spec.requiredDeliverables).subtracting(deliverables.map(\.kind))
            guard missing.isEmpty else {
                throw MarketplaceError.validation(field: "deliverables", message: "missing required deliverables: \(missing.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            if task.spec.deliveryType == .bounty {
                try Self.checkBountyEntry(task, by: caller, Stores(db))
            } else {
                task.status = try task.status.applying(.submit)
                task.updatedAt = clock.nowMicros()
                try Stores(db).tasks.save(task, specChanged: false)
            }
            let score = verifier.score(deliverables, note: note, for: task.spec)
            let submission = Submission(id: Secrets.id("sub"), taskID: taskID, workerID: caller.userID, deliverables: deliverables,
                                        note: note, status: .submitted, feedback: nil, createdAt: clock.nowMicros(), score: score.value,
                                        scoreNotes: score.notes)
            try db.run(sql: """
                INSERT INTO submissions (id, task_id, worker_id, deliverables, note, status, created_at, score, score_notes)
                VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?, ?)
                """, arguments: [submission.id, taskID, caller.userID, try StoredJSON.string(deliverables),
                                 note, submission.createdAt, score.value, score.notes.joined(separator: "\n")])
            try Notification.add(.submissionReceived, for: task.ownerID, mode: task.mode, task: taskID,
                                 "New submission for \"\(task.spec.title)\" (proof score \(score.value))", nowMicros: submission.createdAt, Stores(db))
            try Outbox.emit(.taskSubmitted, to: [task.ownerID], mode: task.mode, task: task,
                            data: ["submission_id": submission.id, "worker_id": caller.userID, "proof_score": score.value], nowMicros: submission.createdAt, Stores(db))
            return Submitted(submission: submission, task: task)
        }
        return try await applyScorePolicy(to: submitted.submission, of: submitted.task)
    }

    /// A submission's commit: the submission the request answers with, and its task for the
    /// owner's standing orders that follow.
    struct Submitted: CarriesAnswer {
        let submission: Submission
        let task: MarketTask
        var answered: any Sendable { submission }
    }

    /// The owner's standing orders on proof scores: approve at ≥ 90 when auto-approve is on,
    /// reject below 50 when auto-reject is on (with the verifier's reasons). Returns the
    /// submission as it ends up.
    func applyScorePolicy(to submission: Submission, of task: MarketTask) async throws(MarketplaceError) -> Submission {
        guard let score = submission.score else { return submission }
        let owner = Principal.owner(of: task)
        let entry = task.spec.deliveryType == .bounty ? submission.id : nil
        var result = submission
        if task.spec.autoApprove && score >= ProofScore.autoApproveMin {
            _ = try await settlement.approve(task.id, submission: entry, by: owner)
            result.status = .approved
        } else if task.spec.autoReject && score < ProofScore.autoRejectBelow {
            let reasons = submission.scoreNotes.isEmpty ? "it does not meet the task's requirements" : submission.scoreNotes.joined(separator: "; ")
            let reason = "Rejected automatically: the proof score \(score) is below \(ProofScore.autoRejectBelow). Reasons: \(reasons)."
            result = try await reject(submission: entry, of: task.id, reason: reason, by: owner)
        }
        return result
    }

    /// A bounty entry: the bounty must be funded (nobody works for unfunded money), the entrant
    /// verified when the task asks for it, and each human enters once.
    private static func checkBountyEntry(_ task: MarketTask, by caller: Principal, _ stores: Stores) throws {
        let db = stores.db
        guard try Bool.fetchOne(try db.cachedStatement(sql: """
            SELECT 1 FROM task_funding f JOIN operations o ON o.key = 'fund:' || f.task_id AND o.state = 'committed' WHERE f.task_id = ?
            """), arguments: [task.id]) == true else {
            throw MarketplaceError.conflict(field: "status", message: "the bounty is not funded yet; entries open once it is")
        }
        try checkVerified(caller, for: task, Stores(db))
        guard try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM submissions WHERE task_id = ? AND worker_id = ?"), arguments: [task.id, caller.userID]) != true else {
            throw MarketplaceError.conflict(field: nil, message: "you already entered this bounty")
        }
    }

    /// Refuses an unverified human on a verified-only task.
    static func checkVerified(_ caller: Principal, for task: MarketTask, _ stores: Stores) throws {
        let db = stores.db
        guard task.spec.verifiedOnly else { return }
        guard try Bool.fetchOne(try db.cachedStatement(sql: "SELECT verified FROM worker_profiles WHERE user_id = ?"), arguments: [caller.userID]) == true else {
            throw MarketplaceError.forbidden("this task takes verified workers only")
        }
    }

    /// The task's submissions, oldest first: all of them for the owner, their own for a worker.
    public func submissions(of taskID: String, for caller: Principal) throws(MarketplaceError) -> [Submission] {
        try caller.require(.tasksRead)
        return try store.readDB { db in
            guard let task = try Stores(db).tasks.fetch(taskID), task.mode == caller.mode else { throw MarketplaceError.notFound("no task \(taskID)") }
            let rows: [Row]
            if task.ownerID == caller.userID {
                rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM submissions WHERE task_id = ? ORDER BY created_at, rowid"), arguments: [taskID])
            } else {
                rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM submissions WHERE task_id = ? AND worker_id = ? ORDER BY created_at, rowid"),
                                        arguments: [taskID, caller.userID])
                guard !rows.isEmpty || task.workerID == caller.userID else { throw MarketplaceError.notFound("no task \(taskID)") }
            }
            return try rows.map(Self.submission)
        }
    }

    /// The owner rejects a submission with a reason of at least 50 characters. The latest
    /// submission of an assigned task sends it back to assigned (the worker may submit again or
    /// dispute); a bounty entry (named by `submissionID`) is refused and the bounty stays open.
    public func reject(submission submissionID: String?, of taskID: String, reason: String, by caller: Principal) async throws(MarketplaceError) -> Submission {
        try caller.require(.tasksWrite)
        let reason = try TaskDraft.text(reason, field: "reason", max: Submission.valueLengthMax)
        guard reason.count >= Submission.rejectionReasonLengthMin else {
            throw .validation(field: "reason", message: "reason must be at least \(Submission.rejectionReasonLengthMin) characters: say what is wrong")
        }
        return try await store.writeDB { db in
            var task = try TaskService.owned(taskID, by: caller, Stores(db))
            let target = try Self.targetSubmission(submissionID, of: task, Stores(db))
            guard target.status == .submitted else {
                throw MarketplaceError.conflict(field: "status", message: "the submission is \(target.status.rawValue)")
            }
            if task.spec.deliveryType != .bounty {
                task.status = try task.status.applying(.reject)
                task.updatedAt = clock.nowMicros()
                try Stores(db).tasks.save(task, specChanged: false)
            }
            try db.run(sql: "UPDATE submissions SET status = 'rejected', feedback = ? WHERE id = ?", arguments: [reason, target.id])
            try Notification.add(.submissionRejected, for: target.workerID, mode: task.mode, task: taskID,
                                 "Your submission for \"\(task.spec.title)\" was rejected: \(reason)", nowMicros: clock.nowMicros(), Stores(db))
            var rejected = target
            rejected.status = .rejected
            rejected.feedback = reason
            return rejected
        }
    }

    /// The submission an owner acts on: the named one (required for a bounty), else the latest.
    static func targetSubmission(_ submissionID: String?, of task: MarketTask, _ stores: Stores) throws -> Submission {
        let db = stores.db
        if task.spec.deliveryType == .bounty, submissionID == nil {
            throw MarketplaceError.validation(field: "submission_id", message: "name the bounty entry with submission_id")
        }
        let row = if let submissionID {
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM submissions WHERE id = ? AND task_id = ?"), arguments: [submissionID, task.id])
        } else {
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM submissions WHERE task_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1"), arguments: [task.id])
        }
        guard let row else {
            if let submissionID { throw MarketplaceError.notFound("no submission \(submissionID)") }
            throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue); nothing was submitted")
        }
        return try submission(row)
    }

    static func submission(_ row: Row) throws -> Submission {
        let deliverables = try JSONDecoder().decode([Submission.Item].self, from: Data((row["deliverables"] as String).utf8))
        return Submission(id: row["id"], taskID: row["task_id"], workerID: row["worker_id"], deliverables: deliverables, note: row["note"],
                          status: Submission.Status(rawValue: row["status"]) ?? .submitted, feedback: row["feedback"], createdAt: row["created_at"],
                          score: row["score"], scoreNotes: (row["score_notes"] as String?).map { $0.split(separator: "\n").map(String.init) } ?? [])
    }

    /// Rejects a pending application to the caller's task.
    public func rejectApplication(_ applicationID: String, on taskID: String, by caller: Principal) async throws(MarketplaceError) -> TaskApplication {
        try caller.require(.tasksWrite)
        return try await store.writeDB { db in
            let task = try TaskService.owned(taskID, by: caller, Stores(db))
            guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM applications WHERE id = ? AND task_id = ?"), arguments: [applicationID, taskID]) else {
                throw MarketplaceError.notFound("no application \(applicationID)")
            }
            var application = Self.application(row)
            guard application.status == .pending else {
                throw MarketplaceError.conflict(field: "status", message: "the application is \(application.status.rawValue)")
            }
            try db.run(sql: "UPDATE applications SET status = 'rejected' WHERE id = ?", arguments: [applicationID])
            try Notification.add(.applicationRejected, for: application.applicantID, mode: task.mode, task: taskID,
                                 "Your application to \"\(task.spec.title)\" was declined", nowMicros: clock.nowMicros(), Stores(db))
            try Outbox.emit(.applicationRejected, to: [task.ownerID, application.applicantID], mode: task.mode, task: task,
                            data: ["application_id": applicationID, "applicant_id": application.applicantID], nowMicros: clock.nowMicros(), Stores(db))
            application.status = .rejected
            return application
        }
    }

    /// The caller's own applications in this mode, newest first.
    public func myApplications(for caller: Principal) throws(MarketplaceError) -> [TaskApplication] {
        try caller.require(.tasksRead)
        return try store.readDB { db in
            try Row.fetchAll(try db.cachedStatement(sql: """
                SELECT a.* FROM applications a JOIN tasks t ON t.id = a.task_id
                WHERE a.applicant_id = ? AND t.mode = ? ORDER BY a.created_at DESC, a.id DESC LIMIT 500
                """), arguments: [caller.userID, caller.mode.rawValue]).map(Self.application)
        }
    }

    /// Sends the latest submission back with feedback.
    public func requestRevision(of taskID: String, feedback: String, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        let feedback = try TaskDraft.text(feedback, field: "feedback", max: Submission.valueLengthMax)
        return try await store.writeDB { db in
            var task = try TaskService.owned(taskID, by: caller, Stores(db))
            task.status = try task.status.applying(.requestRevision)
            task.updatedAt = clock.nowMicros()
            try Stores(db).tasks.save(task, specChanged: false)
            try db.run(sql: """
                UPDATE submissions SET status = 'revision_requested', feedback = ?
                WHERE id = (SELECT id FROM submissions WHERE task_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1)
                """, arguments: [feedback, taskID])
            if let worker = task.workerID {
                try Notification.add(.revisionRequested, for: worker, mode: task.mode, task: taskID,
                                     "A revision of \"\(task.spec.title)\" is requested: \(feedback)", nowMicros: task.updatedAt, Stores(db))
            }
            try Outbox.emit(.submissionRevisionRequested, to: [task.ownerID] + (task.workerID.map { [$0] } ?? []), mode: task.mode, task: task,
                            data: ["feedback": feedback], nowMicros: task.updatedAt, Stores(db))
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
