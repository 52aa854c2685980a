import Marketplace

/// Services and their orders (seed 000) in the document: searched and read without
/// credentials, published, changed and ordered with them.
extension OpenAPIDocument {
    static var servicePaths: [String: Any] {
        let service: [String: Any] = ["name": "service", "in": "path", "required": true, "schema": ["type": "string"]]
        let order: [String: Any] = ["name": "order", "in": "path", "required": true, "schema": ["type": "string"],
                                    "description": "An order's id: the id of the task it is"]
        let query = { (name: String, description: String, schema: [String: Any]) -> [String: Any] in
            ["name": name, "in": "query", "description": description, "schema": schema]
        }
        let decimal: [String: Any] = ["type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"]
        return [
            "/v1/services": [
                "get": operation("searchServices", "Search published services, newest first; no credentials needed (a key reads its own mode; mine=true lists the caller's own, published or not)",
                                 "ServicePage", parameters: [
                                     query("q", "Words the title or description holds (ASCII case ignored)", ["type": "string", "maxLength": ServiceFilter.queryLengthMax]),
                                     query("category", "A category id (GET /v1/categories)", ["type": "string"]),
                                     query("min_price", "Lowest price (a fixed price, or an hourly rate), exact decimal in currency", decimal),
                                     query("max_price", "Highest price, exact decimal in currency", decimal),
                                     query("currency", "Only services priced in it; USD when a price bound is given without it", ["type": "string", "enum": ["USD", "USDC"]]),
                                     query("price_type", "fixed or hourly", ["type": "string", "enum": BudgetType.allCases.map(\.rawValue)]),
                                     query("location_type", "remote or local", ["type": "string", "enum": LocationType.allCases.map(\.rawValue)]),
                                     query("mine", "Only the caller's own services, in any status (needs credentials)", ["type": "boolean"]),
                                     query("limit", "Services per page", ["type": "integer", "minimum": 1, "maximum": ServiceFilter.limitMax]),
                                     query("cursor", "next_cursor of the previous page", ["type": "string"]),
                                     query("offset", "Offset pagination instead of cursor (not both): the answer then carries count, the total",
                                           ["type": "integer", "minimum": 0, "maximum": ServiceFilter.offsetMax]),
                                 ]),
                "post": operation("publishService", "Publish a service the caller provides (scope tasks:write); any account: a human's work or an agent's AI service",
                                  "Service", body: "ServiceCreate", created: true, secured: true),
            ],
            "/v1/services/{service}": [
                "get": operation("getService", "One service: published ones for anyone, no credentials needed; the provider's own in any status", "Service", parameters: [service]),
                "patch": operation("updateService", "Change the caller's service (provider)", "Service", parameters: [service], body: "ServiceUpdate", secured: true),
            ],
            "/v1/services/{service}/publish": ["post": operation("republishService", "Publish the caller's unpublished service again", "Service",
                                                                 parameters: [service], secured: true)],
            "/v1/services/{service}/unpublish": ["post": operation("unpublishService", "Take the caller's service out of searches; it can no longer be ordered (orders placed keep their tasks)",
                                                                   "Service", parameters: [service], secured: true)],
            "/v1/services/{service}/orders": ["post": operation(
                "orderService", "Order a published service (scope tasks:write; agents and clients): the order is a task assigned to the provider at once, priced from the service (hourly: rate × hours), due delivery_days from now. With fund it is created and funded in one commit (402 INSUFFICIENT_BALANCE and nothing written when short; wallet:write); without, fund it later at POST /v1/tasks/{id}/fund or through prepare-payment. The provider submits once it is funded; the buyer approves as for any task. A provider cannot order their own service (409)",
                "Order", parameters: [service], body: "OrderCreate", created: true, secured: true)],
            "/v1/orders": ["get": operation("listOrders", "The caller's orders, as buyer or provider, newest first", "OrderList",
                                            parameters: [query("limit", "Orders to list", ["type": "integer", "minimum": 1, "maximum": ServiceFilter.limitMax])], secured: true)],
            "/v1/orders/{order}": ["get": operation("getOrder", "One of the caller's orders (buyer or provider), with its task and funding", "Order", parameters: [order], secured: true)],
            "/v1/orders/{order}/prepare-payment": ["post": operation(
                "prepareOrderPayment", "The buyer prepares the order's owner-approved payment (wallet:write): amount must be the order's price (400 naming amount otherwise). Through an API key: 202 with a funding approval the account owner approves (logged in) at /v1/funding-approvals/{approval}/approve, which funds the order from the wallet; from the owner's own session: 200, funded at once. An order funded already answers its funding. milestone_id is refused: orders are paid whole",
                "OrderPayment", parameters: [order], body: "OrderPaymentRequest", secured: true)],
        ]
    }

    static var serviceSchemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let nullableString: [String: Any] = ["type": ["string", "null"]]
        let amount: [String: Any] = ["oneOf": [["type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"], ["type": "number"]],
                                     "description": "Exact decimal: no more decimals than the currency has"]
        let price: [String: Any] = ["type": "object", "required": ["amount", "currency"], "properties": [
            "amount": amount, "currency": ["type": "string", "enum": ["USD", "USDC"]],
            "type": ["type": "string", "enum": BudgetType.allCases.map(\.rawValue), "description": "fixed (default): the whole price; hourly: the rate per hour"],
        ]]
        let fields: [String: Any] = [
            "title": ["type": "string", "maxLength": ServiceDraft.titleLengthMax], "description": ["type": "string", "maxLength": ServiceDraft.descriptionLengthMax],
            "category": ["type": "string", "description": "A category id from GET /v1/categories"], "price": price,
            "delivery_days": ["type": "integer", "minimum": 1, "maximum": ServiceDraft.deliveryDaysMax, "description": "Days from an order to delivery"],
            "location_type": ["type": "string", "enum": LocationType.allCases.map(\.rawValue), "description": "remote (default) or local (needs location)"],
            "location": ["type": "string", "maxLength": ServiceDraft.locationLengthMax, "description": "City, state or address of a local service"],
        ]
        let ref = { (name: String) -> [String: Any] in ["$ref": "#/components/schemas/\(name)"] }
        return [
            "ServiceCreate": ["type": "object", "required": ["title", "description", "category", "price", "delivery_days"], "properties": fields],
            "ServiceUpdate": ["type": "object", "properties": fields],
            "Service": ["type": "object", "properties": fields.merging([
                "id": string, "mode": string, "status": ["type": "string", "enum": ServiceStatus.allCases.map(\.rawValue)], "location": nullableString,
                "price": ["type": "object", "properties": ["amount": string, "amount_minor": ["type": "integer"], "currency": string, "type": string]],
                "provider": ["type": "object", "description": "The provider's public details only", "properties": [
                    "id": string, "display_name": string, "verified": ["type": "boolean"],
                ]],
                "order_url": string, "created_at": string, "updated_at": string,
            ] as [String: Any]) { $1 }],
            "ServicePage": ["type": "object", "properties": [
                "services": ["type": "array", "items": ref("Service")], "has_more": ["type": "boolean"], "next_cursor": nullableString,
                "count": ["type": "integer", "description": "With offset: the total of matching services"], "offset": ["type": "integer"],
            ]],
            "OrderCreate": ["type": "object", "properties": [
                "hours": ["type": "integer", "minimum": 1, "maximum": TaskDraft.estimatedHoursMax, "description": "Required for an hourly service, refused for a fixed price"],
                "instructions": ["type": "string", "maxLength": TaskDraft.descriptionLengthMax, "description": "What you want done; the task's description (the service's own when left out)"],
                "fund": ["type": "object", "required": ["source"], "description": "Fund at ordering: created and funded in one commit, or nothing is written",
                         "properties": ["source": ["type": "string", "enum": ["wallet", "connector"]]]],
            ]],
            "Order": ["type": "object", "required": ["id", "number", "service_id", "buyer_id", "provider_id", "price", "task", "funding"], "properties": [
                "id": ["type": "string", "description": "The order's task's id"],
                "number": ["type": "integer", "description": "1, 2, 3, … in the order orders were placed (seed 000's integer order_id)"], "service_id": string, "buyer_id": string, "provider_id": string,
                "hours": ["type": ["integer", "null"]], "price": ref("Money"), "task": ref("Task"),
                "funding": ["oneOf": [["type": "null"], ref("Funding")]], "fund_url": string, "created_at": string,
            ]],
            "OrderList": ["type": "array", "items": ref("Order")],
            "OrderPaymentRequest": ["type": "object", "required": ["amount"], "properties": [
                "amount": amount, "milestone_id": ["type": "string", "description": "Refused: orders have no milestones"],
            ]],
            "OrderPayment": ["type": "object", "required": ["order_id", "status"], "properties": [
                "order_id": string, "status": ["type": "string", "enum": ["awaiting_approval", "funded"]],
                "approval": ref("FundingApproval"), "funding": ref("Funding"),
            ]],
        ]
    }
}
