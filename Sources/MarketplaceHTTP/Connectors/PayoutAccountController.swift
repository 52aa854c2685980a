import Connectors
import Foundation
import Hummingbird
import LedgerCore
import Marketplace
import MarketplaceViews

/// The caller's Connect account for payouts of card-funded work, and the admin's reversal
/// of a payout.
struct PayoutAccountController: Sendable {
    let settlement: SettlementService

    func addRoutes(to router: Router<APIContext>) {
        router.get("v1/payout-account", use: get)
        router.put("v1/payout-account", use: link)
        router.delete("v1/payout-account", use: unlink)
        router.post("v1/admin/payouts/:task/reverse", use: reverse)
        router.post("v1/admin/connectors/stripe/statement", use: statement)
    }

    /// A Connect account (`account_id`) or a Base address for USDC (`base_address`), one of them.
    struct LinkBody: Decodable {
        let accountId: String?
        let baseAddress: String?
    }
    struct ReverseBody: Decodable { let amount: ExactAmount? }

    struct AccountView: Encodable, Sendable {
        let connector: String?
        let accountId: String?
        let linked: Bool
        /// Where USDC earnings are paid on Base, when linked.
        var baseAddress: String?
    }

    struct ReversalView: Encodable, Sendable {
        let taskId: String
        let reversed: MoneyView
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Envelope<AccountView> {
        let caller = try context.requirePrincipal()
        let account = try settlement.payoutAccount(for: caller)
        let address = try settlement.payoutAddress(for: caller)
        return Envelope(AccountView(connector: account?.connector, accountId: account?.accountID, linked: account != nil, baseAddress: address?.accountID))
    }

    @Sendable func link(_ request: Request, context: APIContext) async throws -> Envelope<AccountView> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(LinkBody.self, from: request, context: context)
        switch (body.accountId, body.baseAddress) {
        case (let accountID?, nil):
            let account = try await settlement.linkPayoutAccount(accountID, by: caller)
            return Envelope(AccountView(connector: account.connector, accountId: account.accountID, linked: true))
        case (nil, let address?):
            let account = try await settlement.linkPayoutAddress(address, by: caller)
            return Envelope(AccountView(connector: account.connector, accountId: nil, linked: true, baseAddress: account.accountID))
        default:
            throw APIError.validation("give exactly one of account_id (a Stripe Connect account) and base_address (a Base address)", field: "account_id")
        }
    }

    @Sendable func unlink(_ request: Request, context: APIContext) async throws -> Envelope<AccountView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        let connector = request.uri.queryParameters.get("connector") ?? SettlementService.payoutConnector
        try await settlement.unlinkPayoutAccount(connector: connector, by: caller)
        return Envelope(AccountView(connector: nil, accountId: nil, linked: false))
    }

    @Sendable func reverse(_ request: Request, context: APIContext) async throws -> Envelope<ReversalView> {
        let caller = try context.requirePrincipal()
        let task = try context.parameters.require("task")
        let body = try await RequestBody.decodeIfPresent(ReverseBody.self, from: request, context: context)
        let reversed = try await settlement.reversePayout(of: task, amount: body?.amount?.text, by: caller)
        return Envelope(ReversalView(taskId: task, reversed: MoneyView(minor: reversed, asset: .usd)))
    }

    struct StatementBody: Decodable {
        let from: Int64?
        let to: Int64?
    }

    struct LineView: Encodable, Sendable {
        let id: String
        let kind: String
        let amountMinor: Int64
        let feeMinor: Int64
        let currency: String
        let source: String?
        let created: Int64
    }

    struct StatementView: Encodable, Sendable {
        let connector: String
        let from: Int64
        let to: Int64
        let lines: [LineView]
        let feesBooked: MoneyView
        let linesBooked: Int
    }

    /// Stripe's balance transactions for [from, to) (Unix seconds; the last 7 days by default),
    /// with every fee in them booked once as a processor-fee expense.
    @Sendable func statement(_ request: Request, context: APIContext) async throws -> Envelope<StatementView> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decodeIfPresent(StatementBody.self, from: request, context: context)
        let to = body?.to ?? Int64(Date().timeIntervalSince1970) + 1
        let from = body?.from ?? to - 7 * 86_400
        let statement = try await settlement.syncStatement(from: from, to: to, by: caller)
        return Envelope(StatementView(connector: statement.connector, from: from, to: to,
                                      lines: statement.lines.map { LineView(id: $0.id, kind: $0.kind.rawValue, amountMinor: $0.amountMinor, feeMinor: $0.feeMinor,
                                                                            currency: $0.currency, source: $0.source, created: $0.createdSeconds) },
                                      feesBooked: MoneyView(minor: statement.feesBookedMinor, asset: .usd), linesBooked: statement.linesBooked))
    }
}
