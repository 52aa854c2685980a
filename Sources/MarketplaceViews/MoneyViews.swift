import LedgerCore
import Marketplace

/// An amount: the exact decimal string, the integer in minor units, the asset.
struct MoneyView: Encodable, Sendable {
    let amount: String
    let amountMinor: Int64
    let asset: String

    init(minor: Int64, asset: Asset) {
        amount = MinorUnits.format(minor, scale: asset.scale)
        amountMinor = minor
        self.asset = asset.code
    }
}

/// A task's funding: its escrow and the fee split fixed when it was funded.
struct FundingView: Encodable, Sendable {
    let taskId: String
    let escrowAccountId: Int64
    let escrow: MoneyView
    let payout: MoneyView
    let fee: MoneyView
    let feeRule: String
    let source: String

    init(_ funding: TaskFunding) {
        taskId = funding.taskID
        escrowAccountId = funding.escrowAccountID.rawValue
        escrow = MoneyView(minor: funding.escrowMinor, asset: funding.asset)
        payout = MoneyView(minor: funding.payoutMinor, asset: funding.asset)
        fee = MoneyView(minor: funding.feeMinor, asset: funding.asset)
        feeRule = funding.feeRule
        source = funding.source.rawValue
    }
}

/// A funding held by a key's spend policy, waiting for the account owner.
struct FundingApprovalView: Encodable, Sendable {
    let id: String
    let taskId: String
    let keyId: String
    let amount: MoneyView
    let reason: String
    let status: String
    let approveUrl: String
    let createdAt: String
    let decidedAt: String?

    init(_ approval: FundingApproval) {
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
struct CheckoutView: Encodable, Sendable {
    let taskId: String
    let status: String
    let sessionId: String?
    let checkoutUrl: String?
    let amount: MoneyView?

    init(_ checkout: CardCheckout) {
        taskId = checkout.taskID
        status = checkout.status.rawValue
        sessionId = checkout.sessionID
        checkoutUrl = checkout.checkoutURL
        amount = Asset.named(checkout.asset).map { MoneyView(minor: checkout.amountMinor, asset: $0) }
    }
}
