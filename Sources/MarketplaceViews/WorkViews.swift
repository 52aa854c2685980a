public import Marketplace

/// A human's application to a task.
public struct ApplicationView: Encodable, Sendable {
    public let id: String
    public let taskId: String
    public let applicantId: String
    public let message: String
    public let status: String
    public let createdAt: String
    /// Who applied, in the owner's list of applications (absent in other answers).
    public let applicant: ApplicantView?

    public init(_ application: TaskApplication, applicant: ApplicantView? = nil) {
        id = application.id
        taskId = application.taskID
        applicantId = application.applicantID
        message = application.message
        status = application.status.rawValue
        createdAt = Timestamps.format(application.createdAt)
        self.applicant = applicant
    }

    public init(_ received: ReceivedApplication) {
        self.init(received.application, applicant: ApplicantView(profile: received.profile, fullName: received.fullName))
    }
}

/// An applicant's public details, as the task's owner sees them: their worker profile, or only
/// their account name (not available, not verified, no skills) without one.
public struct ApplicantView: Encodable, Sendable {
    public let displayName: String
    public let headline: String?
    public let city: String?
    public let country: String?
    public let skills: [String]
    public let available: Bool
    public let verified: Bool

    public init(profile: WorkerProfile?, fullName: String?) {
        displayName = profile?.displayName ?? fullName ?? ""
        headline = profile?.headline
        city = profile?.city
        country = profile?.country
        skills = profile?.skills ?? []
        available = profile?.available ?? false
        verified = profile?.verified ?? false
    }
}

/// A submission of work, with its proof score.
public struct SubmissionView: Encodable, Sendable {
    public let id: String
    public let taskId: String
    public let workerId: String
    public let status: String
    public let deliverables: [Submission.Item]
    public let note: String?
    public let feedback: String?
    public let score: Int?
    public let scoreNotes: [String]
    public let createdAt: String

    public init(_ submission: Submission) {
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
public struct DisputeView: Encodable, Sendable {
    public struct SplitView: Encodable, Sendable {
        public let toWorker: MoneyView
        public let toPayer: MoneyView
        public let fee: MoneyView
    }

    public let id: String
    public let taskId: String
    public let openedBy: String
    public let reason: String
    public let status: String
    public let split: SplitView?
    public let resolution: String?
    public let createdAt: String
    public let resolvedAt: String?

    public init(_ dispute: Dispute) {
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
public struct MessageView: Encodable, Sendable {
    public let id: String
    public let taskId: String
    public let applicantId: String
    public let senderId: String
    public let body: String
    public let createdAt: String

    public init(_ message: Message) {
        id = message.id
        taskId = message.taskID
        applicantId = message.applicantID
        senderId = message.senderID
        body = message.body
        createdAt = Timestamps.format(message.createdAt)
    }
}
