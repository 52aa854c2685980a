import HTTPTypes
import Hummingbird
import LedgerCore
import Marketplace

/// The caller's wallets and test-mode deposits.
struct WalletController: Sendable {
    let settlement: SettlementService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get(use: wallets)
        group.post("deposits", use: deposit)
    }

    struct WalletView: Encodable, Sendable {
        let asset: String
        let accountId: Int64
        let available: MoneyView
        let pending: MoneyView
        let frozen: MoneyView

        init(_ wallet: Wallet) {
            asset = wallet.asset.code
            accountId = wallet.accountID.rawValue
            available = MoneyView(minor: wallet.availableMinor, asset: wallet.asset)
            pending = MoneyView(minor: wallet.pendingMinor, asset: wallet.asset)
            frozen = MoneyView(minor: wallet.frozenMinor, asset: wallet.asset)
        }
    }

    @Sendable func wallets(_ request: Request, context: APIContext) async throws -> Envelope<[WalletView]> {
        let caller = try context.requirePrincipal()
        return Envelope(try await apiAsync { try await settlement.wallets(for: caller) }.map(WalletView.init))
    }

    struct DepositBody: Decodable {
        let amount: ExactAmount
        let currency: String
    }

    @Sendable func deposit(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<WalletView>> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(DepositBody.self, from: request, context: context)
        let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
        let wallet = try await apiAsync {
            try await settlement.deposit(amount: body.amount.text, currency: body.currency, idempotencyKey: key, by: caller)
        }
        return EditedResponse(status: .created, response: Envelope(WalletView(wallet)))
    }
}

/// A task's funding on the wire.
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
