import Foundation
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
        return try await store.write { stores in
            guard let task = try stores.tasks.fetch(taskID), task.mode == caller.mode, task.status == .published || task.ownerID == caller.userID else {
                throw MarketplaceError.notFound("no task \(taskID)")
            }
            guard task.ownerID != caller.userID else { throw MarketplaceError.conflict(field: nil, message: "you cannot apply to your own task") }
            guard task.status == .published else { throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue)") }
            guard task.spec.deliveryType != .bounty else {
                throw MarketplaceError.conflict(field: nil, message: "a bounty takes submissions without applying")
            }
            try Self.checkVerified(caller, for: task, stores)
            guard try !stores.applications.exists(taskID: taskID, applicantID: caller.userID) else {
                throw MarketplaceError.conflict(field: nil, message: "you already applied to this task")
            }
            let application = TaskApplication(id: Secrets.id("app"), taskID: taskID, applicantID: caller.userID, message: message,
                                              status: .pending, createdAt: clock.nowMicros())
            try stores.applications.insert(application)
            try Notification.add(.applicationReceived, for: task.ownerID, mode: task.mode, task: taskID,
                                 "New application to \"\(task.spec.title)\"", nowMicros: application.createdAt, stores)
            try Outbox.emit(.applicationCreated, to: [task.ownerID], mode: task.mode, task: task,
                            data: try Outbox.application(application, stores), nowMicros: application.createdAt, stores)
            return application
        }
    }

    /// The applications to the caller's task, oldest first, each with its applicant's profile.
    public func applications(of taskID: String, for caller: Principal) throws(MarketplaceError) -> [ReceivedApplication] {
        try caller.require(.tasksRead)
        return try store.read { stores in
            _ = try TaskService.owned(taskID, by: caller, stores)
            return try stores.applications.applications(to: taskID).map { application in
                ReceivedApplication(application: application, profile: try stores.workerProfiles.fetch(application.applicantID),
                                    fullName: try stores.users.fullName(ofUser: application.applicantID))
            }
        }
    }

    /// Accepts an application: the task must be funded (402 with the fund URL otherwise).
    public func accept(_ applicationID: String, on taskID: String, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        return try await store.write { stores in
            var task = try TaskService.owned(taskID, by: caller, stores)
            guard task.facts.funded else {  // read with the row: the committed `fund:<task>`
                throw MarketplaceError.paymentRequired(taskID: taskID, fundURL: "/v1/tasks/\(taskID)/fund")
            }
            guard let application = try stores.applications.fetch(applicationID, taskID: taskID) else {
                throw MarketplaceError.notFound("no application \(applicationID)")
            }
            guard application.status == .pending else {
                throw MarketplaceError.conflict(field: "status", message: "the application is \(application.status.rawValue)")
            }
            task.status = try task.status.applying(.assign)
            task.workerID = application.applicantID
            task.updatedAt = clock.nowMicros()
            try stores.tasks.save(task, specChanged: false)
            try stores.applications.markAccepted(applicationID)
            try Notification.add(.applicationAccepted, for: application.applicantID, mode: task.mode, task: taskID,
                                 "You were accepted for \"\(task.spec.title)\"; it is funded", nowMicros: task.updatedAt, stores)
            try Outbox.emit(.applicationAccepted, to: [task.ownerID, application.applicantID], mode: task.mode, task: task,
                            data: ["application_id": applicationID, "worker_id": application.applicantID], nowMicros: task.updatedAt, stores)
            return task
        }
    }

    /// The assigned worker hands in deliverables covering every required kind, once the task is
    /// funded; on a bounty, any human (not the owner) enters once while it is published and
    /// funded, without applying. The assigned worker of an order is the service's provider,
    /// who may be an agent offering an AI service. The verifier scores it before the commit
    /// (never inside it); a verifier that gives no score leaves the submission for the owner's review.
    public func submit(to taskID: String, deliverables: [Submission.Item], note: String?, by caller: Principal) async throws(MarketplaceError) -> Submission {
        try caller.require(.tasksWrite)
        try Self.check(deliverables)
        let note = try note.map { (text) throws(MarketplaceError) -> String in try TaskDraft.text(text, field: "note", max: Submission.valueLengthMax) }
        // Checked first, so that the verifier only ever sees submissions that will be recorded.
        let spec = try store.read { stores in try Self.submissionTarget(taskID, deliverables: deliverables, by: caller, stores).spec }
        let proof = SubmittedProof(submissionID: Secrets.id("sub"), taskID: taskID, workerID: caller.userID, deliverables: deliverables,
                                   note: note, spec: spec)
        let (score, scoreNotes) = await scored(proof)
        let submitted = try await store.write { stores -> Submitted in
            var task = try Self.submissionTarget(taskID, deliverables: deliverables, by: caller, stores)
            guard task.spec == spec else {
                throw MarketplaceError.conflict(field: nil, message: "the task changed while the proof was scored; submit again")
            }
            if task.spec.deliveryType != .bounty {
                task.status = try task.status.applying(.submit)
                task.updatedAt = clock.nowMicros()
                try stores.tasks.save(task, specChanged: false)
            }
            let submission = Submission(id: proof.submissionID, taskID: taskID, workerID: caller.userID, deliverables: deliverables,
                                        note: note, status: .submitted, feedback: nil, createdAt: clock.nowMicros(), score: score?.value,
                                        scoreNotes: scoreNotes)
            try stores.submissions.insert(submission)
            let scoreText = score.map { "proof score \($0.value)" } ?? "no proof score: for your review"
            try Notification.add(.submissionReceived, for: task.ownerID, mode: task.mode, task: taskID,
                                 "New submission for \"\(task.spec.title)\" (\(scoreText))", nowMicros: submission.createdAt, stores)
            try Outbox.emit(.taskSubmitted, to: [task.ownerID], mode: task.mode, task: task,
                            data: ["submission_id": submission.id, "worker_id": caller.userID, "proof_score": score.map { $0.value as Any } ?? NSNull()],
                            nowMicros: submission.createdAt, stores)
            return Submitted(submission: submission, task: task)
        }
        return try await applyScorePolicy(to: submitted.submission, of: submitted.task)
    }

    /// The verifier's score and notes, or no score and a note saying why there is none.
    private func scored(_ proof: SubmittedProof) async -> (score: ProofScore?, notes: [String]) {
        do throws(ProofVerifierFailure) {
            let score = try await verifier.verify(proof)
            return (score, score.notes)
        } catch {
            return (nil, ["the proof verifier gave no score: \(error); left for the owner's review"])
        }
    }

    /// The task the caller may submit these deliverables to now, or the reason they may not:
    /// not theirs (404), a required kind missing, a bounty entry refused, or a status that
    /// takes no submission.
    static func submissionTarget(_ taskID: String, deliverables: [Submission.Item], by caller: Principal, _ stores: Stores) throws -> MarketTask {
        guard let task = try stores.tasks.fetch(taskID), task.mode == caller.mode,
              task.workerID == caller.userID || (task.spec.deliveryType == .bounty && task.status == .published && task.ownerID != caller.userID) else {
            throw MarketplaceError.notFound("no task \(taskID) assigned to you")
        }
        if task.workerID != caller.userID { try caller.requireWorker() }  // a bounty's entrants are humans
        if task.spec.deliveryType != .bounty, !task.facts.funded {
            throw MarketplaceError.paymentRequired(taskID: taskID, fundURL: "/v1/tasks/\(taskID)/fund")
        }
        let missing = Set(task.spec.requiredDeliverables).subtracting(deliverables.map(\.kind))
        guard missing.isEmpty else {
            throw MarketplaceError.validation(field: "deliverables", message: "missing required deliverables: \(missing.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        if task.spec.deliveryType == .bounty {
            try checkBountyEntry(task, by: caller, stores)
        } else {
            _ = try task.status.applying(.submit)
        }
        return task
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
        guard try stores.fundings.isFunded(task.id) else {
            throw MarketplaceError.conflict(field: "status", message: "the bounty is not funded yet; entries open once it is")
        }
        try checkVerified(caller, for: task, stores)
        guard try !stores.submissions.exists(taskID: task.id, workerID: caller.userID) else {
            throw MarketplaceError.conflict(field: nil, message: "you already entered this bounty")
        }
    }

    /// Refuses an unverified human on a verified-only task.
    static func checkVerified(_ caller: Principal, for task: MarketTask, _ stores: Stores) throws {
        guard task.spec.verifiedOnly else { return }
        guard try stores.workerProfiles.isVerified(caller.userID) else {
            throw MarketplaceError.forbidden("this task takes verified workers only")
        }
    }

    /// The task's submissions, oldest first: all of them for the owner, their own for a worker.
    public func submissions(of taskID: String, for caller: Principal) throws(MarketplaceError) -> [Submission] {
        try caller.require(.tasksRead)
        return try store.read { stores in
            guard let task = try stores.tasks.fetch(taskID), task.mode == caller.mode else { throw MarketplaceError.notFound("no task \(taskID)") }
            if task.ownerID == caller.userID { return try stores.submissions.submissions(to: taskID, workerID: nil) }
            let own = try stores.submissions.submissions(to: taskID, workerID: caller.userID)
            guard !own.isEmpty || task.workerID == caller.userID else { throw MarketplaceError.notFound("no task \(taskID)") }
            return own
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
        return try await store.write { stores in
            var task = try TaskService.owned(taskID, by: caller, stores)
            let target = try Self.targetSubmission(submissionID, of: task, stores)
            guard target.status == .submitted else {
                throw MarketplaceError.conflict(field: "status", message: "the submission is \(target.status.rawValue)")
            }
            if task.spec.deliveryType != .bounty {
                task.status = try task.status.applying(.reject)
                task.updatedAt = clock.nowMicros()
                try stores.tasks.save(task, specChanged: false)
            }
            try stores.submissions.markRejected(target.id, feedback: reason)
            try Notification.add(.submissionRejected, for: target.workerID, mode: task.mode, task: taskID,
                                 "Your submission for \"\(task.spec.title)\" was rejected: \(reason)", nowMicros: clock.nowMicros(), stores)
            var rejected = target
            rejected.status = .rejected
            rejected.feedback = reason
            return rejected
        }
    }

    /// The submission an owner acts on: the named one (required for a bounty), else the latest.
    static func targetSubmission(_ submissionID: String?, of task: MarketTask, _ stores: Stores) throws -> Submission {
        if task.spec.deliveryType == .bounty, submissionID == nil {
            throw MarketplaceError.validation(field: "submission_id", message: "name the bounty entry with submission_id")
        }
        let submission = if let submissionID {
            try stores.submissions.fetch(submissionID, taskID: task.id)
        } else {
            try stores.submissions.latest(taskID: task.id)
        }
        guard let submission else {
            if let submissionID { throw MarketplaceError.notFound("no submission \(submissionID)") }
            throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue); nothing was submitted")
        }
        return submission
    }

    /// Rejects a pending application to the caller's task.
    public func rejectApplication(_ applicationID: String, on taskID: String, by caller: Principal) async throws(MarketplaceError) -> TaskApplication {
        try caller.require(.tasksWrite)
        return try await store.write { stores in
            let task = try TaskService.owned(taskID, by: caller, stores)
            guard var application = try stores.applications.fetch(applicationID, taskID: taskID) else {
                throw MarketplaceError.notFound("no application \(applicationID)")
            }
            guard application.status == .pending else {
                throw MarketplaceError.conflict(field: "status", message: "the application is \(application.status.rawValue)")
            }
            try stores.applications.markRejected(applicationID)
            try Notification.add(.applicationRejected, for: application.applicantID, mode: task.mode, task: taskID,
                                 "Your application to \"\(task.spec.title)\" was declined", nowMicros: clock.nowMicros(), stores)
            try Outbox.emit(.applicationRejected, to: [task.ownerID, application.applicantID], mode: task.mode, task: task,
                            data: ["application_id": applicationID, "applicant_id": application.applicantID], nowMicros: clock.nowMicros(), stores)
            application.status = .rejected
            return application
        }
    }

    /// The caller's own applications in this mode, newest first.
    public func myApplications(for caller: Principal) throws(MarketplaceError) -> [TaskApplication] {
        try caller.require(.tasksRead)
        return try store.read { stores in
            try stores.applications.applications(by: caller.userID, mode: caller.mode)
        }
    }

    /// Sends the latest submission back with feedback.
    public func requestRevision(of taskID: String, feedback: String, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        let feedback = try TaskDraft.text(feedback, field: "feedback", max: Submission.valueLengthMax)
        return try await store.write { stores in
            var task = try TaskService.owned(taskID, by: caller, stores)
            task.status = try task.status.applying(.requestRevision)
            task.updatedAt = clock.nowMicros()
            try stores.tasks.save(task, specChanged: false)
            try stores.submissions.requestRevisionOfLatest(taskID: taskID, feedback: feedback)
            if let worker = task.workerID {
                try Notification.add(.revisionRequested, for: worker, mode: task.mode, task: taskID,
                                     "A revision of \"\(task.spec.title)\" is requested: \(feedback)", nowMicros: task.updatedAt, stores)
            }
            try Outbox.emit(.submissionRevisionRequested, to: [task.ownerID] + (task.workerID.map { [$0] } ?? []), mode: task.mode, task: task,
                            data: ["feedback": feedback], nowMicros: task.updatedAt, stores)
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

}
