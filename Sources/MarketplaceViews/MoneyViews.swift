public import LedgerCore
public import Marketplace

/// An amount on the wire: the exact decimal string, the integer in minor units, the asset.
public struct MoneyView: Codable, Sendable, Hashable {
    public let amount: String
    public let amountMinor: Int64
    public let asset: String

    public init(minor: Int64, asset: Asset) {
        amount = MinorUnits.format(minor, scale: asset.scale)
        amountMinor = minor
        self.asset = asset.code
    }
}

/// A task's funding: its escrow and the fee split fixed when it was funded.
public struct FundingView: Encodable, Sendable {
    public let taskId: String
    public let escrowAccountId: Int64
    public let escrow: MoneyView
    public let payout: MoneyView
    public let fee: MoneyView
    public let feeRule: String
    public let source: String

    public init(_ funding: TaskFunding) {
        taskId = funding.taskID
        escrowAccountId = funding.escrowAccountID.rawValue
        escrow = MoneyView(minor: funding.escrowMinor, asset: funding.asset)
        payout = MoneyView(minor: funding.payoutMinor, asset: funding.asset)
        fee = MoneyView(minor: funding.feeMinor, asset: funding.asset)
        feeRule = funding.feeRule
        source = funding.source.rawValue
    }
}

/// A funding above a key's spend policy, awaiting the account owner's approval.
public struct FundingApprovalView: Encodable, Sendable {
    public let id: String
    public let taskId: String
    public let keyId: String
    public let amount: MoneyView
    public let reason: String
    public let status: String
    public let approveUrl: String
    public let createdAt: String
    public let decidedAt: String?

    public init(_ approval: FundingApproval) {
        id = approval.id
        taskId = approval.taskID
        keyId = approval.keyID
        amount = MoneyView(minor: approval.amountMinor, asset: approval.asset)
        reason = approval.reason
        status = approval.status.rawValue
        approveUrl = "/v1/funding-approvals/\(approval.id)/approve"
        createdAt = Timestamps.format(approval.createdAt)
        decidedAt = approval.decidedAt.map(Timestamps.format)
    }
}

/// A card checkout: where to send the payer, and where the funding stands.
public struct CheckoutView: Encodable, Sendable {
    public let taskId: String
    public let status: String
    public let sessionId: String?
    public let checkoutUrl: String?
    public let amount: MoneyView?

    public init(_ checkout: CardCheckout) {
        taskId = checkout.taskID
        status = checkout.status.rawValue
        sessionId = checkout.sessionID
        checkoutUrl = checkout.checkoutURL
        amount = Asset.named(checkout.asset).map { MoneyView(minor: checkout.amountMinor, asset: $0) }
    }
}
