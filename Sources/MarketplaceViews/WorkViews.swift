import Marketplace

/// A human's application to a task.
struct ApplicationView: Encodable, Sendable {
    let id: String
    let taskId: String
    let applicantId: String
    let message: String
    let status: String
    let createdAt: String

    init(_ application: TaskApplication) {
        id = application.id
        taskId = application.taskID
        applicantId = application.applicantID
        message = application.message
        status = application.status.rawValue
        createdAt = Timestamps.format(application.createdAt)
    }
}

/// A submission of work, with its proof score.
struct SubmissionView: Encodable, Sendable {
    let id: String
    let taskId: String
    let workerId: String
    let status: String
    let deliverables: [Submission.Item]
    let note: String?
    let feedback: String?
    let score: Int?
    let scoreNotes: [String]
    let createdAt: String

    init(_ submission: Submission) {
        id = submission.id
        taskId = submission.taskID
        workerId = submission.workerID
        status = submission.status.rawValue
        deliverables = submission.deliverables
        note = submission.note
        feedback = submission.feedback
        score = submission.score
        scoreNotes = submission.scoreNotes
        createdAt = Timestamps.format(submission.createdAt)
    }
}

/// A dispute; the split appears once an admin has resolved it.
struct DisputeView: Encodable, Sendable {
    struct SplitView: Encodable, Sendable {
        let toWorker: MoneyView
        let toPayer: MoneyView
        let fee: MoneyView
    }

    let id: String
    let taskId: String
    let openedBy: String
    let reason: String
    let status: String
    let split: SplitView?
    let resolution: String?
    let createdAt: String
    let resolvedAt: String?

    init(_ dispute: Dispute) {
        id = dispute.id
        taskId = dispute.taskID
        openedBy = dispute.openedBy
        reason = dispute.reason
        status = dispute.status.rawValue
        split = dispute.split.map { split in
            SplitView(toWorker: MoneyView(minor: split.toWorkerMinor, asset: split.asset), toPayer: MoneyView(minor: split.toPayerMinor, asset: split.asset),
                      fee: MoneyView(minor: split.feeMinor, asset: split.asset))
        }
        resolution = dispute.resolution
        createdAt = Timestamps.format(dispute.createdAt)
        resolvedAt = dispute.resolvedAt.map(Timestamps.format)
    }
}

/// One message in a task's thread with an applicant.
struct MessageView: Encodable, Sendable {
    let id: String
    let taskId: String
    let applicantId: String
    let senderId: String
    let body: String
    let createdAt: String

    init(_ message: Message) {
        id = message.id
        taskId = message.taskID
        applicantId = message.applicantID
        senderId = message.senderID
        body = message.body
        createdAt = Timestamps.format(message.createdAt)
    }
}
