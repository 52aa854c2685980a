public import Foundation
public import LedgerCore
public import Marketplace

/// Seed 002's status names: the document's own (published, assigned, submitted,
/// revision_requested, completed) where it has them; a paid task is `completed` (the document's
/// last status: approval pays out), a canceled one `cancelled` (its event is task_cancelled).
public enum RequestHumanStatus {
    public static func name(_ status: TaskStatus) -> String {
        switch status {
        case .paid: "completed"
        case .canceled: "cancelled"
        default: status.rawValue
        }
    }
}

/// A task as RequestHuman answers it: `price` a JSON number made exactly from the minor units
/// (never a Double), `location_text` the address, `funding_status` and `application_count`.
public struct RequestHumanTaskView: Encodable, Sendable {
    public let id: String
    let title: String
    let description: String
    /// The document prints it; the marketplace keeps no agent identifier, so it is null.
    let agentType: String?
    let estimatedHours: Int?
    let priceType: String
    let price: Decimal
    let currency: String
    let locationType: String
    let locationText: String?
    let status: String
    let deliveryType: String
    let requiredDeliverables: [String]
    let verifiedOnly: Bool
    let fundingStatus: String
    let applicationCount: Int
    let createdAt: String

    public init(_ task: MarketTask) {
        let spec = task.spec
        id = task.id
        title = spec.title
        description = spec.description
        agentType = nil
        estimatedHours = spec.estimatedHours
        priceType = spec.budgetType.rawValue
        price = ExactDecimal.of(spec.amountMinor, spec.asset)
        currency = spec.asset.code
        locationType = spec.locationType.rawValue
        locationText = spec.address
        status = task.hidden ? "hidden" : RequestHumanStatus.name(task.status)
        deliveryType = spec.deliveryType.rawValue
        requiredDeliverables = spec.requiredDeliverables.map(\.rawValue)
        verifiedOnly = spec.verifiedOnly
        fundingStatus = task.fundingStatus.rawValue
        applicationCount = task.facts.applicationCount
        createdAt = Timestamps.format(task.createdAt)
    }
}

/// An application with the applicant's profile, as `GET …/applications` lists it.
public struct RequestHumanApplicationView: Encodable, Sendable {
    struct Profile: Encodable, Sendable {
        let displayName: String
        let headline: String?
        let city: String?
        let country: String?
        let skills: [String]
        let available: Bool
    }

    public let id: String
    let taskId: String
    let userId: String
    let message: String
    let status: String
    let createdAt: String
    let profile: Profile?

    public init(_ received: ReceivedApplication) {
        let application = received.application
        id = application.id
        taskId = application.taskID
        userId = application.applicantID
        message = application.message
        status = application.status.rawValue
        createdAt = Timestamps.format(application.createdAt)
        profile = received.profile.map {
            Profile(displayName: $0.displayName, headline: $0.headline, city: $0.city, country: $0.country, skills: $0.skills, available: $0.available)
        } ?? received.fullName.map { Profile(displayName: $0, headline: nil, city: nil, country: nil, skills: [], available: true) }
    }
}

/// A message of one application's conversation: `sender_type` agent (the task's owner) or
/// human (the applicant), `sender_id` the human's id and null for the agent.
public struct RequestHumanMessageView: Encodable, Sendable {
    public let id: String
    let applicationId: String
    let senderType: String
    let senderId: String?
    let body: String
    let createdAt: String

    public init(_ message: Message, applicationID: String) {
        let fromHuman = message.senderID == message.applicantID
        id = message.id
        applicationId = applicationID
        senderType = fromHuman ? "human" : "agent"
        senderId = fromHuman ? message.senderID : nil
        body = message.body
        createdAt = Timestamps.format(message.createdAt)
    }
}

/// A submission: its deliverables as the document's object keyed by kind (the first of a kind
/// when a submission carries several), its status `pending` while it waits for review.
public struct RequestHumanSubmissionView: Encodable, Sendable {
    public let id: String
    let taskId: String
    let applicationId: String?
    let userId: String
    let deliverables: [String: String]
    let note: String?
    let status: String
    let feedback: String?
    let createdAt: String

    public init(_ submission: Submission, applicationID: String?) {
        id = submission.id
        taskId = submission.taskID
        applicationId = applicationID
        userId = submission.workerID
        var items: [String: String] = [:]
        for item in submission.deliverables where items[item.kind.rawValue] == nil { items[item.kind.rawValue] = item.value }
        deliverables = items
        note = submission.note
        status = submission.status == .submitted ? "pending" : submission.status.rawValue
        feedback = submission.feedback
        createdAt = Timestamps.format(submission.createdAt)
    }
}
