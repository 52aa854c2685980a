import MCP
import Marketplace
import MarketplaceViews

/// The work on a task: applications, submissions, approval (which pays), disputes
/// (WorkService, SettlementService).
enum WorkTools {
    static let definitions = [listApplications, respondToApplication, listSubmissions, respondToSubmission, openDispute]

    static let listApplications = ToolDefinition(
        name: "list_applications", title: "List applications",
        description: """
            Lists the humans who applied to your task, oldest first, with their message, status (pending, \
            accepted, rejected) and applicant profile (display name, headline, city, country, skills, available, verified). Accept one with respond_to_application. Needs tasks:read.
            """,
        input: Schema.object(["task_id": Schema.taskID], required: ["task_id"]),
        readOnly: true
    ) { call in
        Applications(applications: try call.tools.work.applications(of: try call.arguments.requiredString("task_id"), for: call.caller)
            .map { ApplicationView($0) })
    }

    struct Applications: Encodable, Sendable { let applications: [ApplicationView] }

    static let respondToApplication = ToolDefinition(
        name: "respond_to_application", title: "Accept or reject an application",
        description: """
            accept: makes the applicant the task's worker (the task becomes assigned and the worker is told). \
            The task must be funded first, else PAYMENT_REQUIRED (use fund_task). reject: declines this one \
            application. Answers with the task (accept) or the application (reject). Needs tasks:write.
            """,
        input: Schema.object([
            "task_id": Schema.taskID,
            "application_id": Schema.string("The application's id (app_…), from list_applications."),
            "action": Schema.string("accept or reject.", oneOf: ["accept", "reject"]),
        ], required: ["task_id", "application_id", "action"])
    ) { call in
        let taskID = try call.arguments.requiredString("task_id")
        let applicationID = try call.arguments.requiredString("application_id")
        if try call.arguments.requiredString("action") == "accept" {
            return ApplicationAnswer(task: TaskView(try await call.tools.work.accept(applicationID, on: taskID, by: call.caller)), application: nil)
        }
        return ApplicationAnswer(task: nil, application: ApplicationView(try await call.tools.work.rejectApplication(applicationID, on: taskID, by: call.caller)))
    }

    struct ApplicationAnswer: Encodable, Sendable {
        let task: TaskView?
        let application: ApplicationView?
    }

    static let listSubmissions = ToolDefinition(
        name: "list_submissions", title: "List submissions",
        description: """
            Lists the work submitted for your task, oldest first: deliverables, the worker's note, status \
            (submitted, approved, revision_requested, rejected, declined) and the proof score with its notes. \
            Answer one with respond_to_submission. Needs tasks:read.
            """,
        input: Schema.object(["task_id": Schema.taskID], required: ["task_id"]),
        readOnly: true
    ) { call in
        Submissions(submissions: try call.tools.work.submissions(of: try call.arguments.requiredString("task_id"), for: call.caller)
            .map(SubmissionView.init))
    }

    struct Submissions: Encodable, Sendable { let submissions: [SubmissionView] }

    static let respondToSubmission = ToolDefinition(
        name: "respond_to_submission", title: "Approve, reject or ask for a revision",
        description: """
            approve: accepts the latest submission (on a bounty, the entry named by submission_id) and pays: the \
            escrow goes to the worker and the platform fee; the task ends "paid". request_revision: sends it back \
            with feedback (required). reject: refuses it with a reason of at least \(Submission.rejectionReasonLengthMin) \
            characters (required); the worker may submit again or open a dispute. Needs tasks:write.
            """,
        input: Schema.object([
            "task_id": Schema.taskID,
            "action": Schema.string("approve, request_revision or reject.", oneOf: ["approve", "request_revision", "reject"]),
            "submission_id": Schema.string("approve or reject: the submission (sub_…); default the latest. Required to pick a bounty's winner."),
            "feedback": Schema.string("request_revision: what to change."),
            "reason": Schema.string("reject: why, at least \(Submission.rejectionReasonLengthMin) characters."),
        ], required: ["task_id", "action"])
    ) { call in
        let arguments = call.arguments
        let taskID = try arguments.requiredString("task_id")
        switch try arguments.requiredString("action") {
        case "approve":
            try arguments.refuse(["feedback", "reason"], with: "action approve")
            return SubmissionAnswer(task: TaskView(try await call.tools.settlement.approve(taskID, submission: arguments.string("submission_id"), by: call.caller)))
        case "request_revision":
            try arguments.refuse(["submission_id", "reason"], with: "action request_revision")
            let feedback = try arguments.requiredString("feedback")
            return SubmissionAnswer(task: TaskView(try await call.tools.work.requestRevision(of: taskID, feedback: feedback, by: call.caller)))
        default:
            try arguments.refuse(["feedback"], with: "action reject")
            let reason = try arguments.requiredString("reason")
            let submission = try await call.tools.work.reject(submission: arguments.string("submission_id"), of: taskID, reason: reason, by: call.caller)
            return SubmissionAnswer(submission: SubmissionView(submission))
        }
    }

    struct SubmissionAnswer: Encodable, Sendable {
        var task: TaskView?
        var submission: SubmissionView?
    }

    static let openDispute = ToolDefinition(
        name: "open_dispute", title: "Open a dispute",
        description: """
            Opens a dispute on your assigned, submitted or revision_requested task when you and the worker \
            disagree. The task leaves the normal flow (no approval, cancel or expiry) and its escrow stays frozen \
            until an admin splits it exactly between worker and payer. Needs tasks:write.
            """,
        input: Schema.object([
            "task_id": Schema.taskID,
            "reason": Schema.string("What went wrong, for the admin who resolves it."),
        ], required: ["task_id", "reason"])
    ) { call in
        DisputeView(try await call.tools.settlement.openDispute(on: try call.arguments.requiredString("task_id"),
                                                                reason: try call.arguments.requiredString("reason"), by: call.caller))
    }
}
