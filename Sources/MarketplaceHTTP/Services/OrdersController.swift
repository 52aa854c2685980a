import Hummingbird
import Marketplace
import MarketplaceViews

/// Orders of services: the caller's, as buyer or provider, and the owner-approved payment of
/// one (seed 000's prepare-order-payment), which goes through the spend-policy approvals.
struct OrdersController: Sendable {
    let catalog: ServiceCatalog

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get(use: list)
        group.get(":order", use: get)
        group.post(":order/prepare-payment", use: preparePayment)
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Envelope<[OrderView]> {
        let caller = try context.requirePrincipal()
        let limit = try RequestBody.wholeNumber("limit", in: request, default: 50)
        return Envelope(try catalog.orders(for: caller, limit: limit).map(OrderView.init))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Envelope<OrderView> {
        let caller = try context.requirePrincipal()
        return Envelope(OrderView(try catalog.order(try context.parameters.require("order"), for: caller)))
    }

    struct PaymentBody: Decodable {
        let amount: ExactAmount
        let milestoneId: String?
    }

    /// 202 with the funding approval the account owner decides (through an API key), or 200
    /// with the funding (the owner's own session, or an order funded already).
    @Sendable func preparePayment(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(PaymentBody.self, from: request, context: context)
        let id = try context.parameters.require("order")
        return try await KeyedAnswer.respond(OrderPayment.self, status: Self.status, render: { Envelope(OrderPaymentView(orderID: id, $0)) }) {
            try await catalog.preparePayment(order: id, amount: body.amount.text, milestoneID: body.milestoneId, by: caller)
        }
    }

    static func status(_ payment: OrderPayment) -> HTTPResponse.Status {
        if case .awaitingApproval = payment { return .accepted }
        return .ok
    }
}
