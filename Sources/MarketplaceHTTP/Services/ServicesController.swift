import Hummingbird
import Marketplace
import MarketplaceViews

/// Services (seed 000): search and read without credentials, publish and change with them,
/// order one (an order is a task assigned to the provider, funded now or later).
struct ServicesController: Sendable {
    let catalog: ServiceCatalog
    /// The server's mode: reads without credentials see its services.
    let mode: Mode

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get(use: search)
        group.post(use: publish)
        group.get(":service", use: get)
        group.patch(":service", use: update)
        group.post(":service/publish", use: republish)
        group.post(":service/unpublish", use: unpublish)
        group.post(":service/orders", use: order)
    }

    struct PriceBody: Decodable {
        let amount: ExactAmount
        let currency: String
        let type: String?

        var price: ServiceDraft.Price { ServiceDraft.Price(amount: amount.text, currency: currency, type: type ?? BudgetType.fixed.rawValue) }
    }

    struct PublishBody: Decodable {
        let title: String
        let description: String
        let category: String
        let price: PriceBody
        let deliveryDays: Int
        let locationType: String?
        let location: String?
    }

    @Sendable func search(_ request: Request, context: APIContext) async throws -> Envelope<ServicePageView> {
        let query = request.uri.queryParameters
        let text = { (name: String) in query[Substring(name)].map(String.init) }
        let filter = ServiceFilter(query: text("q"), category: text("category"), minPrice: text("min_price"), maxPrice: text("max_price"),
                                   currency: text("currency"), priceType: text("price_type"), locationType: text("location_type"),
                                   mine: query["mine"] == "true", limit: try RequestBody.wholeNumber("limit", in: request, default: 20),
                                   cursor: text("cursor"),
                                   offset: query["offset"] == nil ? nil : try RequestBody.wholeNumber("offset", in: request, default: 0))
        return Envelope(ServicePageView(try catalog.search(filter, for: context.principal, mode: mode)))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Envelope<ServiceView> {
        Envelope(ServiceView(try catalog.service(try context.parameters.require("service"), for: context.principal, mode: mode)))
    }

    @Sendable func publish(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(PublishBody.self, from: request, context: context)
        let draft = ServiceDraft(title: body.title, description: body.description, category: body.category, price: body.price.price,
                                 deliveryDays: body.deliveryDays, locationType: body.locationType ?? LocationType.remote.rawValue,
                                 location: body.location)
        return try await KeyedAnswer.respond(ListedService.self, status: { _ in .created }, render: { Envelope(ServiceView($0)) }) {
            try await catalog.publish(draft, by: caller)
        }
    }

    struct UpdateBody: Decodable {
        let title: String?
        let description: String?
        let category: String?
        let price: PriceBody?
        let deliveryDays: Int?
        let locationType: String?
        let location: String?
    }

    @Sendable func update(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(UpdateBody.self, from: request, context: context)
        let update = ServiceUpdate(title: body.title, description: body.description, category: body.category, price: body.price?.price,
                                   deliveryDays: body.deliveryDays, locationType: body.locationType, location: body.location)
        return try await KeyedAnswer.respond(ListedService.self, render: { Envelope(ServiceView($0)) }) {
            try await catalog.update(try context.parameters.require("service"), with: update, by: caller)
        }
    }

    @Sendable func republish(_ request: Request, context: APIContext) async throws -> Envelope<ServiceView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return Envelope(ServiceView(try await catalog.setPublished(true, try context.parameters.require("service"), by: caller)))
    }

    @Sendable func unpublish(_ request: Request, context: APIContext) async throws -> Envelope<ServiceView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return Envelope(ServiceView(try await catalog.setPublished(false, try context.parameters.require("service"), by: caller)))
    }

    struct OrderBody: Decodable {
        let hours: Int?
        let instructions: String?
        /// Funding at ordering: the order is created and funded in one commit, or not at all.
        let fund: FundBody?

        struct FundBody: Decodable { let source: String }
    }

    /// Orders the service: 201 with the order (its task assigned to the provider), funded in
    /// the same commit when `fund` is given.
    @Sendable func order(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decodeIfPresent(OrderBody.self, from: request, context: context)
        let method = try body?.fund.map { (fund) throws -> FundingMethod in
            switch fund.source {
            case "wallet": return .wallet
            case "connector": return .testConnector
            default: throw APIError.validation("source must be wallet or connector (card and usdc fund the order afterwards)", field: "fund.source")
            }
        }
        let orderRequest = OrderRequest(hours: body?.hours, instructions: body?.instructions)
        let id = try context.parameters.require("service")
        return try await KeyedAnswer.respond(PlacedOrder.self, status: { _ in .created }, render: { Envelope(OrderView($0)) }) {
            try await catalog.order(id, orderRequest, funding: method, by: caller)
        }
    }
}
