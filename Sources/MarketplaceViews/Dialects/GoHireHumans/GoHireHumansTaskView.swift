public import Foundation
public import LedgerCore
public import Marketplace

/// A task (a "job" in seed 000) as GoHireHumans answers it: the request's own field names,
/// `budget_amount` a JSON number made exactly from the minor units (a Decimal parsed from the
/// decimal text, never a Double), its status among the document's five, the assigned
/// professional and (reading one task) its deliverables.
public struct GoHireHumansTaskView: Encodable, Sendable {
    let id: String
    let title: String
    let description: String
    let category: String
    let locationType: String
    let location: String?
    let budgetAmount: Decimal
    let budgetType: String
    let currency: String
    let deadline: String?
    let status: String
    /// unfunded, pending, funded, refunded or released (the /v1 `funding_status`).
    let fundingStatus: String
    let professionalId: String?
    /// The latest submission's deliverables when one task is read (empty before any);
    /// absent from lists.
    let deliverables: [Submission.Item]?
    let createdAt: String
    let updatedAt: String

    /// `submissions`: the task's, oldest first, when one task is read; nil in a list.
    public init(_ task: MarketTask, submissions: [Submission]? = nil) {
        let spec = task.spec
        id = task.id
        title = spec.title
        description = spec.description
        category = spec.category
        locationType = spec.locationType.rawValue
        location = spec.address
        budgetAmount = ExactDecimal.of(spec.amountMinor, spec.asset)
        budgetType = spec.budgetType.rawValue
        currency = spec.asset.code
        deadline = spec.deadline.map(Timestamps.format)
        status = GoHireHumansStatus.name(task.status)
        fundingStatus = task.fundingStatus.rawValue
        professionalId = task.workerID
        deliverables = submissions.map { $0.last?.deliverables ?? [] }
        createdAt = Timestamps.format(task.createdAt)
        updatedAt = Timestamps.format(task.updatedAt)
    }
}
