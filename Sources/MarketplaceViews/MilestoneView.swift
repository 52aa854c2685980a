public import Marketplace
public import LedgerCore

/// A milestone as REST and the tools show it: its definition, where its money stands
/// (`pending`, `funded`, `released`, `refunded`) and, once funded, its part of the task's
/// fee split (escrow = payout + fee).
public struct MilestoneView: Encodable, Sendable {
    public let id: String
    public let title: String
    public let amount: MoneyView
    public let dueDate: String?
    public let status: String
    /// Nil while pending: the part is fixed when the milestone is funded.
    public let escrow: MoneyView?
    public let payout: MoneyView?
    public let fee: MoneyView?
    public let fundedAt: String?
    public let releasedAt: String?
    public let refundedAt: String?

    public init(_ milestone: Milestone, asset: Asset) {
        id = milestone.id
        title = milestone.spec.title
        amount = MoneyView(minor: milestone.spec.amountMinor, asset: asset)
        dueDate = milestone.spec.dueAt.map(Timestamps.format)
        status = milestone.status.rawValue
        escrow = milestone.escrowMinor.map { MoneyView(minor: $0, asset: asset) }
        payout = milestone.payoutMinor.map { MoneyView(minor: $0, asset: asset) }
        fee = milestone.feeMinor.map { MoneyView(minor: $0, asset: asset) }
        fundedAt = milestone.fundedAt.map(Timestamps.format)
        releasedAt = milestone.releasedAt.map(Timestamps.format)
        refundedAt = milestone.refundedAt.map(Timestamps.format)
    }
}

/// The answer to funding or approving one milestone: the milestone, and the task's status and
/// milestones after it (the last approval leaves the task `paid`).
public struct MilestoneAnswerView: Encodable, Sendable {
    public let taskId: String
    public let taskStatus: String
    public let milestone: MilestoneView
    public let milestones: [MilestoneView]

    /// Nil when the task has no milestone `milestoneID`.
    public init?(_ task: MarketTask, milestoneID: String) {
        guard let milestone = task.milestones.first(where: { $0.id == milestoneID }) else { return nil }
        taskId = task.id
        taskStatus = task.status.rawValue
        self.milestone = MilestoneView(milestone, asset: task.spec.asset)
        milestones = task.milestones.map { MilestoneView($0, asset: task.spec.asset) }
    }
}
