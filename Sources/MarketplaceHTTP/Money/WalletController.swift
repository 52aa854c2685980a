import HTTPTypes
import Hummingbird
import LedgerCore
import Marketplace
import MarketplaceViews

/// The caller's wallets and test-mode deposits.
struct WalletController: Sendable {
    let settlement: SettlementService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get(use: wallets)
        group.post("deposits", use: deposit)
        group.post("withdrawals", use: withdraw)
        group.get("transactions", use: transactions)
    }

    @Sendable func wallets(_ request: Request, context: APIContext) async throws -> Envelope<[WalletView]> {
        let caller = try context.requirePrincipal()
        let totals = try settlement.totals(for: caller)
        return Envelope(try await settlement.wallets(for: caller).map { wallet in
            WalletView(wallet, totals: totals.first { $0.asset == wallet.asset })
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
        let withdrawal = try await settlement.withdraw(amount: body.amount.text, currency: body.currency, idempotencyKey: key, by: caller)
        return EditedResponse(status: .created, response: Envelope(WithdrawalView(withdrawal)))
    }

    @Sendable func transactions(_ request: Request, context: APIContext) async throws -> Envelope<TransactionPageView> {
        let caller = try context.requirePrincipal()
        let query = request.uri.queryParameters
        let limit = try RequestBody.wholeNumber("limit", in: request, default: 50)
        let page = try await settlement.transactions(for: caller, asset: query["asset"].map(String.init) ?? "USD", type: query["type"].map(String.init),
                                                     cursor: query["cursor"].map(String.init), limit: limit)
        return Envelope(TransactionPageView(transactions: page.transactions.map(TransactionView.init), hasMore: page.nextCursor != nil,
                                        nextCursor: page.nextCursor))
    }

    struct DepositBody: Decodable {
        let amount: ExactAmount
        let currency: String
    }

    @Sendable func deposit(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(DepositBody.self, from: request, context: context)
        let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
        return try await KeyedAnswer.respond(Wallet.self, status: { _ in .created }, render: { Envelope(WalletView($0, totals: nil)) }) {
            try await settlement.deposit(amount: body.amount.text, currency: body.currency, idempotencyKey: key, by: caller)
        }
    }
}
