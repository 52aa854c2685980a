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
        group.post("withdrawals", use: withdraw)
        group.get("transactions", use: transactions)
    }

    struct TotalsView: Encodable, Sendable {
        let funded: MoneyView
        let paidOut: MoneyView
        let refunded: MoneyView
        let fees: MoneyView
        let earned: MoneyView
        let withdrawn: MoneyView

        init(_ totals: WalletTotals) {
            let asset = totals.asset
            funded = MoneyView(minor: totals.fundedMinor, asset: asset)
            paidOut = MoneyView(minor: totals.paidOutMinor, asset: asset)
            refunded = MoneyView(minor: totals.refundedMinor, asset: asset)
            fees = MoneyView(minor: totals.feesMinor, asset: asset)
            earned = MoneyView(minor: totals.earnedMinor, asset: asset)
            withdrawn = MoneyView(minor: totals.withdrawnMinor, asset: asset)
        }
    }

    struct WalletView: Encodable, Sendable {
        let asset: String
        let accountId: Int64
        let available: MoneyView
        let pending: MoneyView
        let frozen: MoneyView
        var lifetime: TotalsView?

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
        let totals = try api { try settlement.totals(for: caller) }
        return Envelope(try await apiAsync { try await settlement.wallets(for: caller) }.map { wallet in
            var view = WalletView(wallet)
            view.lifetime = totals.first { $0.asset == wallet.asset }.map(TotalsView.init)
            return view
        })
    }

    struct WithdrawalView: Encodable, Sendable {
        let id: String
        let amount: MoneyView
        let connector: String
        let status: String
        let createdAt: String
        let settledAt: String?

        init(_ withdrawal: Withdrawal) {
            id = withdrawal.id
            amount = MoneyView(minor: withdrawal.amountMinor, asset: withdrawal.asset)
            connector = withdrawal.connector
            status = withdrawal.status.rawValue
            createdAt = Timestamps.format(withdrawal.createdAt)
            settledAt = withdrawal.settledAt.map(Timestamps.format)
        }
    }

    /// Test mode: withdraws through the test connector, which pays at once (Idempotency-Key required).
    @Sendable func withdraw(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<WithdrawalView>> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(DepositBody.self, from: request, context: context)
        let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
        let withdrawal = try await apiAsync {
            try await settlement.withdraw(amount: body.amount.text, currency: body.currency, idempotencyKey: key, by: caller)
        }
        return EditedResponse(status: .created, response: Envelope(WithdrawalView(withdrawal)))
    }

    struct TransactionView: Encodable, Sendable {
        let type: String
        let direction: String
        let amount: MoneyView
        let transferId: Int64
        let code: Int64
        let pending: Bool
        let metadata: String?
        let timestamp: String

        init(_ transaction: WalletTransaction) {
            let transfer = transaction.entry.transfer
            type = transaction.type
            direction = transaction.entry.isDebit ? "out" : "in"
            amount = MoneyView(minor: transfer.amountMinor, asset: Asset.withID(transfer.assetID) ?? Asset(id: transfer.assetID, code: "?", scale: 0))
            transferId = transfer.id.rawValue
            code = Int64(transfer.code)
            pending = TransferView.kind(of: transfer) == "pending"
            metadata = transfer.metadata
            timestamp = Timestamps.format(transfer.timestamp)
        }
    }

    struct TransactionPage: Encodable, Sendable {
        let transactions: [TransactionView]
        let hasMore: Bool
        let nextCursor: String?
    }

    @Sendable func transactions(_ request: Request, context: APIContext) async throws -> Envelope<TransactionPage> {
        let caller = try context.requirePrincipal()
        let query = request.uri.queryParameters
        let limit = try RequestBody.wholeNumber("limit", in: request, default: 50)
        let page = try await apiAsync {
            try await settlement.transactions(for: caller, asset: query["asset"].map(String.init) ?? "USD", type: query["type"].map(String.init),
                                              cursor: query["cursor"].map(String.init), limit: limit)
        }
        return Envelope(TransactionPage(transactions: page.transactions.map(TransactionView.init), hasMore: page.nextCursor != nil,
                                        nextCursor: page.nextCursor))
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
