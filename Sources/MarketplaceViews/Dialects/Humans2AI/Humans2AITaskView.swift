public import Foundation
public import LedgerCore
public import Marketplace

/// A task as Humans2AI answers it (the document's create example): camelCase names, `budget`
/// a JSON number made exactly from the minor units, `escrowId` naming the ledger transfer that
/// holds the budget (`fund:<task>`, once funded), the posting agent's id and name, how many
/// humans applied and the selected one.
public struct Humans2AITaskView: Encodable, Sendable {
    let id: String
    let title: String
    let description: String
    let category: String
    let status: String
    let budget: Decimal
    let currency: String
    let escrowId: String?
    let agentId: String
    let agentName: String
    let applicantCount: Int
    let humanId: String?
    let deadline: String?
    let location: String?
    let remote: Bool
    let urgency: String
    let createdAt: String
    let updatedAt: String

    /// `agentName` is the owner's account name (the caller looks it up).
    public init(_ task: MarketTask, agentName: String) {
        let spec = task.spec
        id = task.id
        title = spec.title
        description = spec.description
        category = spec.category
        status = Humans2AIStatus.name(task.status)
        budget = ExactDecimal.of(spec.budgetMinor, spec.asset)
        currency = spec.asset.code
        escrowId = task.facts.funded ? "fund:\(task.id)" : nil
        agentId = task.ownerID
        self.agentName = agentName
        applicantCount = task.facts.applicationCount
        humanId = task.workerID
        deadline = spec.deadline.map(Timestamps.format)
        location = spec.address
        remote = spec.locationType == .remote
        urgency = Humans2AIStatus.urgencyName(spec.urgency)
        createdAt = Timestamps.format(task.createdAt)
        updatedAt = Timestamps.format(task.updatedAt)
    }
}

/// A task as seed 004 posts it, turned into the /v1 draft: the budget in USD, held in escrow
/// whole (the fee comes out of the human's payout: "99.99% to human, 0.01% fee", at the rate
/// of the operator's pricing rule), a local task at `location` unless `remote`.
public struct Humans2AITaskRequest: Sendable {
    public let title: String
    public let description: String
    public let category: String
    /// The budget as the exact decimal text the client sent.
    public let budget: String
    public let deadline: String?
    public let location: String?
    public let remote: Bool?
    public let urgency: String?

    public init(title: String, description: String, category: String, budget: String, deadline: String?, location: String?, remote: Bool?,
                urgency: String?) {
        self.title = title
        self.description = description
        self.category = category
        self.budget = budget
        self.deadline = deadline
        self.location = location
        self.remote = remote
        self.urgency = urgency
    }

    /// Remote unless `remote` is false (the document's example posts a local one with its city).
    public var draft: TaskDraft {
        let local = remote == false
        return TaskDraft(title: title, description: description, category: category, locationType: local ? "local" : "remote",
                         address: local ? location : nil, budget: .init(amount: budget, currency: "USD"), deadline: deadline,
                         urgency: urgency.map(Humans2AIStatus.urgency) ?? Urgency.normal.rawValue, feePaidBy: FeePayer.worker.rawValue)
    }
}
