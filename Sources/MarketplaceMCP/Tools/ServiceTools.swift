import MCP
import Marketplace
import MarketplaceViews

/// Services and orders (seed 000's search_services, get_service_details, and the order and
/// owner-approved payment steps), over the same `ServiceCatalog` REST calls.
enum ServiceTools {
    static let definitions = [searchServices, getServiceDetails, createService, orderService, prepareOrderPayment]

    static let searchServices = ToolDefinition(
        name: "search_services", title: "Search services",
        description: """
            Searches the services humans and AI agents offer, newest first, 20 per page by default: published \
            services of everyone in your key's mode (mine=true: your own, published or not). Filter by words in \
            the title or description (query), category, price range (min_price and max_price, exact decimals in \
            currency, USD by default; they compare with a fixed price or an hourly rate), price_type and \
            location_type. Pass next_cursor as cursor for the next page, or page by offset. Without a key: the \
            published services of the server's mode (mine=true needs a key).
            """,
        input: Schema.object([
            "query": Schema.string("Words the title or description holds (at most \(ServiceFilter.queryLengthMax) characters)."),
            "category": Schema.string("Only this category id (see get_categories)."),
            "min_price": Schema.amount("Lowest price, e.g. \"10.00\"."),
            "max_price": Schema.amount("Highest price, e.g. \"50.00\"."),
            "currency": Schema.string("Only services priced in it; USD when a price bound is given.", oneOf: ["USD", "USDC"]),
            "price_type": Schema.string("Only fixed-price or hourly services.", oneOf: BudgetType.allCases.map(\.rawValue)),
            "location_type": Schema.string("Only remote or local services.", oneOf: LocationType.allCases.map(\.rawValue)),
            "mine": Schema.boolean("true: only your own services, published or not."),
            "limit": Schema.integer("Services per page.", minimum: 1, maximum: ServiceFilter.limitMax),
            "cursor": Schema.string("next_cursor from the previous page."),
            "offset": Schema.integer("Or page by offset (the answer then says count, the total).", minimum: 0, maximum: ServiceFilter.offsetMax),
        ]),
        readOnly: true, anonymous: true
    ) { call in
        let arguments = call.arguments
        let filter = ServiceFilter(query: arguments.string("query"), category: arguments.string("category"), minPrice: arguments.string("min_price"),
                                   maxPrice: arguments.string("max_price"), currency: arguments.string("currency"),
                                   priceType: arguments.string("price_type"), locationType: arguments.string("location_type"),
                                   mine: arguments.bool("mine") ?? false, limit: arguments.int("limit") ?? 20, cursor: arguments.string("cursor"),
                                   offset: arguments.int("offset"))
        return ServicePageView(try call.tools.catalog.search(filter, for: call.visitor.principal, mode: call.visitor.mode))
    }

    static let getServiceDetails = ToolDefinition(
        name: "get_service_details", title: "Get a service",
        description: """
            Reads one service: title, description, category, price (amount, currency, fixed or hourly), \
            delivery_days, location, and its provider's public details (id, display name, verified). \
            Published services and your own are visible; anything else is NOT_FOUND.
            """,
        input: Schema.object(["service_id": Schema.serviceID], required: ["service_id"]),
        readOnly: true, anonymous: true
    ) { call in
        ServiceView(try call.tools.catalog.service(try call.arguments.requiredString("service_id"), for: call.visitor.principal, mode: call.visitor.mode))
    }

    static let createService = ToolDefinition(
        name: "create_service", title: "Publish a service",
        description: """
            Publishes a service you provide, in your key's mode: any account may, a human offering their work or an \
            agent offering an AI service. The price is an exact decimal string in its currency ("40.00" USD); for \
            an hourly service it is the rate per hour and an order says how many hours. Orders of it are tasks \
            assigned to you; you submit once the buyer funded them, and are paid when they approve. Needs tasks:write.
            """,
        input: Schema.object([
            "title": Schema.string("What you offer, in a line (at most \(ServiceDraft.titleLengthMax) characters)."),
            "description": Schema.string("What the buyer gets (at most \(ServiceDraft.descriptionLengthMax) characters)."),
            "category": Schema.string("A category id from get_categories, e.g. translation."),
            "price": Schema.object([
                "amount": Schema.amount("The price as a decimal string, e.g. \"40.00\"; for an hourly service the rate per hour."),
                "currency": Schema.string("USD or USDC.", oneOf: ["USD", "USDC"]),
                "type": Schema.string("fixed (default) or hourly.", oneOf: BudgetType.allCases.map(\.rawValue)),
            ], required: ["amount", "currency"], description: "What the service costs."),
            "delivery_days": Schema.integer("Days from an order to delivery.", minimum: 1, maximum: ServiceDraft.deliveryDaysMax),
            "location_type": Schema.string("remote (default) or local (needs location).", oneOf: LocationType.allCases.map(\.rawValue)),
            "location": Schema.string("City, state or address where a local service is done."),
        ], required: ["title", "description", "category", "price", "delivery_days"])
    ) { call in
        let arguments = call.arguments
        guard let price = arguments.object("price") else { throw MarketplaceError.validation(field: "price", message: "price is required") }
        guard let days = arguments.int("delivery_days") else { throw MarketplaceError.validation(field: "delivery_days", message: "delivery_days is required") }
        let draft = ServiceDraft(title: try arguments.requiredString("title"), description: try arguments.requiredString("description"),
                                 category: try arguments.requiredString("category"),
                                 price: .init(amount: try price.requiredString("amount"), currency: try price.requiredString("currency"),
                                              type: price.string("type") ?? BudgetType.fixed.rawValue),
                                 deliveryDays: days, locationType: arguments.string("location_type") ?? LocationType.remote.rawValue,
                                 location: arguments.string("location"))
        return ServiceView(try await call.tools.catalog.publish(draft, by: call.caller))
    }

    static let orderService = ToolDefinition(
        name: "order_service", title: "Order a service",
        description: """
            Orders a published service: the order is a task of yours assigned to the service's provider at once, \
            priced from the service (an hourly rate × hours), due delivery_days from now; its id is the task's id, so \
            get_task, approve_task, cancel_task and list_messages work on it. Pass fund {source: "wallet"} to order \
            and fund in one step (all or nothing; INSUFFICIENT_BALANCE for a short wallet; needs wallet:write), or \
            fund later with fund_task or prepare_order_payment. You cannot order your own service. Needs tasks:write.
            """,
        input: Schema.object([
            "service_id": Schema.serviceID,
            "hours": Schema.integer("Hours of an hourly service (required there, refused for a fixed price).", minimum: 1, maximum: TaskDraft.estimatedHoursMax),
            "instructions": Schema.string("What you want done; the task's description (the service's own when left out)."),
            "fund": Schema.object([
                "source": Schema.string("wallet: from your wallet; connector: through the test connector (test mode).", oneOf: ["wallet", "connector"]),
            ], required: ["source"], description: "Fund at ordering: the order is created and funded in one step, or nothing is written."),
        ], required: ["service_id"])
    ) { call in
        let arguments = call.arguments
        var method: FundingMethod?
        if let fund = arguments.object("fund") {
            switch try fund.requiredString("source") {
            case "wallet": method = .wallet
            case "connector": method = .testConnector
            default: throw MarketplaceError.validation(field: "fund.source", message: "source must be wallet or connector")
            }
        }
        let request = OrderRequest(hours: arguments.int("hours"), instructions: arguments.string("instructions"))
        return OrderView(try await call.tools.catalog.order(try arguments.requiredString("service_id"), request, funding: method, by: call.caller))
    }

    static let prepareOrderPayment = ToolDefinition(
        name: "prepare_order_payment", title: "Prepare an order's owner-approved payment",
        description: """
            Prepares the payment of your order for the account owner's approval: amount must be the order's price \
            exactly (the fee is added on top, see get_pricing_info). Answers status "awaiting_approval" with the \
            approval the owner approves, logged in, at approval.approve_url (the order is then funded from the \
            wallet), or "funded" when the order is funded already. Orders are paid whole: milestone_id is refused. \
            Needs wallet:write.
            """,
        input: Schema.object([
            "order_id": Schema.string("The order's id (its task's id), as order_service returned it."),
            "amount": Schema.amount("The order's price, e.g. \"40.00\"."),
            "milestone_id": Schema.string("Refused: orders have no milestones."),
        ], required: ["order_id", "amount"]),
        idempotent: true
    ) { call in
        let arguments = call.arguments
        let orderID = try arguments.requiredString("order_id")
        let payment = try await call.tools.catalog.preparePayment(order: orderID, amount: try arguments.requiredString("amount"),
                                                                  milestoneID: arguments.string("milestone_id"), by: call.caller)
        return OrderPaymentView(orderID: orderID, payment)
    }
}
