import Marketplace

/// A submission on the wire.
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

/// A dispute on the wire; the split appears once an admin has resolved it.
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

/// A worker profile on the wire.
struct ProfileView: Encodable, Sendable {
    let userId: String
    let displayName: String
    let headline: String?
    let city: String?
    let country: String?
    let skills: [String]
    let available: Bool
    let verified: Bool
    let updatedAt: String

    init(_ profile: WorkerProfile) {
        userId = profile.userID
        displayName = profile.displayName
        headline = profile.headline
        city = profile.city
        country = profile.country
        skills = profile.skills
        available = profile.available
        verified = profile.verified
        updatedAt = Timestamps.format(profile.updatedAt)
    }
}
