import Foundation

/// What every operation answers besides its own result: the statuses and headers the
/// middleware adds (429 and the X-RateLimit-* headers, Request-Id, 405 with Allow, 409 and
/// Idempotent-Replayed under an Idempotency-Key, Location on a 201), the money statuses of the
/// routes that move money, and the answers that are not JSON. Applied to every path, the
/// mounts' included, so that no operation can leave one out.
extension OpenAPIDocument {
    /// Writes that refuse an `Idempotency-Key`: their answers carry a secret, which is never
    /// stored (IdempotencyMiddleware.carriesSecret).
    static var unkeyedWrites: Set<String> { IdempotencyMiddleware.secretWrites }
    /// Operations that can answer 402: the wallet is short (INSUFFICIENT_BALANCE), or the task
    /// must be funded first (PAYMENT_REQUIRED, with the fund URL).
    static let paymentOperations: Set<String> = ["fundTask", "fundMilestone", "acceptApplication", "createTask", "withdraw", "approveFunding",
                                                 "orderService", "prepareOrderPayment", "approve", "approveMilestone", "resolveDispute", "reversePayout"]
    /// Operations that call a payment connector: 502 CONNECTOR_REFUSED when it says no
    /// (503 CONNECTOR_UNAVAILABLE when it does not answer is on every operation).
    static let connectorOperations: Set<String> = ["fundTask", "openCheckout", "fundMilestone", "deposit", "withdraw", "approveFunding", "approve",
                                                   "approveMilestone", "cancelTask", "resolveDispute", "reversePayout", "stripeStatement",
                                                   "linkPayoutAccount", "reconcile", "orderService", "prepareOrderPayment"]
    /// Operations a limit or the risk gate refuses with 422 (LIMIT_EXCEEDED, RISK_BLOCKED).
    static let limitedOperations: Set<String> = ["createTask", "updateTask", "createKey", "createWebhook", "updateWebhook", "publishService", "updateService",
                                                 "fundTask", "registerAgent", "register"]

    static let writeMethods: Set<String> = ["post", "put", "patch", "delete"]

    /// `paths` with every operation completed.
    static func completed(_ paths: [String: Any]) -> [String: Any] {
        paths.reduce(into: [:]) { result, entry in
            guard let item = entry.value as? [String: Any] else { result[entry.key] = entry.value; return }
            result[entry.key] = item.reduce(into: [String: Any]()) { operations, method in
                guard let operation = method.value as? [String: Any] else { operations[method.key] = method.value; return }
                operations[method.key] = completed(operation, method: method.key, path: entry.key)
            }
        }
    }

    private static func completed(_ operation: [String: Any], method: String, path: String) -> [String: Any] {
        var operation = operation
        let id = operation["operationId"] as? String ?? ""
        // A write whose answer may hold a secret refuses the key (IdempotencyMiddleware.carriesSecret).
        let keyed = writeMethods.contains(method) && !unkeyedWrites.contains("\(method.uppercased()) \(path)") && !path.hasSuffix("/mcp")
        var responses = (operation["responses"] as? [String: Any] ?? [:]).merging(ownAnswers(id)) { $1 }
        let json = !path.hasSuffix("/mcp")  // MCP transports answer JSON-RPC or nothing
        // A dialect with a refusal shape of its own (seed 002) names its schema in `x-refusal-schema`.
        let errorResponse: [String: Any] = (operation["x-refusal-schema"] as? [String: Any]).map {
            ["description": "Error", "content": ["application/json": ["schema": $0]]]
        } ?? Self.errorResponse
        if json {
            for status in ["400", "404", "503"] where responses[status] == nil { responses[status] = errorResponse }
            if keyed { responses["409"] = responses["409"] ?? errorResponse }
            if paymentOperations.contains(id) { responses["402"] = responses["402"] ?? paymentRequired(x402: id == "fundTask") }
            if connectorOperations.contains(id) { responses["502"] = responses["502"] ?? errorResponse }
            if limitedOperations.contains(id) { responses["422"] = responses["422"] ?? errorResponse }
        }
        if !json && writeMethods.contains(method) {
            // An MCP transport refuses an Idempotency-Key (its tools may answer a secret), with 400.
            responses["400"] = responses["400"] ?? ["description": "An Idempotency-Key (refused: a tool's answer may hold a secret), or a bad request"]
        }
        if isSecured(operation) {
            for status in ["401", "403"] where responses[status] == nil { responses[status] = json ? errorResponse : ["description": "No or bad credentials"] }
        }
        responses["429"] = rateLimited(json: json, error: errorResponse)
        operation["responses"] = Dictionary(uniqueKeysWithValues: responses.map { status, response in
            (status, withHeaders(response, status: status, keyed: keyed))
        })
        if keyed {
            var parameters = operation["parameters"] as? [[String: Any]] ?? []
            if !parameters.contains(where: { ($0["name"] as? String)?.lowercased() == "idempotency-key" }) { parameters.append(idempotencyKey) }
            operation["parameters"] = parameters
        }
        return operation
    }

    /// The answers an operation gives besides its JSON result: text bodies, a funding's 202
    /// (held for approval, an open card checkout, a USDC payment settling), the checkout's 303.
    private static func ownAnswers(_ id: String) -> [String: Any] {
        let text = { (type: String, description: String) -> [String: Any] in
            ["description": description, "content": [type: ["schema": ["type": "string"]]]]
        }
        switch id {
        case "register", "registerAgent": return ["409": errorResponse]
        case "login", "refresh": return ["401": errorResponse]
        case "financeJournal": return ["200": text("text/plain", "The journal, hledger / ledger-cli syntax")]
        case "financeHTML": return ["200": text("text/html", "The finance report, one HTML page")]
        case "financeReport":
            let json: [String: Any] = ["schema": envelopeOf(["$ref": "#/components/schemas/FinanceReport"])]
            return ["200": ["description": "The report; with format=csv one of its tables as CSV",
                            "content": ["application/json": json, "text/csv": ["schema": ["type": "string"]]]]]
        case "fundTask":
            let held: [String: Any] = ["anyOf": ["FundingApproval", "Checkout", "FundingSettling"].map { ["$ref": "#/components/schemas/\($0)"] }]
            return ["202": ["description": "Not funded yet: held for the key owner's approval (FundingApproval), an open card checkout, or a USDC payment settling",
                            "content": ["application/json": ["schema": envelopeOf(held)]],
                            "headers": ["X-PAYMENT-RESPONSE": header("x402 v1: the settlement, base64 JSON (source usdc, X-PAYMENT)"),
                                        "PAYMENT-RESPONSE": header("x402 v2: the settlement, base64 JSON (source usdc, PAYMENT-SIGNATURE)")]]]
        case "openCheckout":
            return ["303": ["description": "To the open checkout page", "headers": ["Location": header("The checkout page's URL", required: true)]]]
        default: return [:]
        }
    }

    /// The success envelope around `data`.
    static func envelopeOf(_ data: [String: Any]) -> [String: Any] {
        ["type": "object", "required": ["success", "data"], "properties": ["success": ["const": true], "data": data]]
    }

    /// True when the operation names credentials (an empty requirement beside them means it also answers without).
    static func isSecured(_ operation: [String: Any]) -> Bool {
        (operation["security"] as? [[String: Any]])?.contains { !$0.isEmpty } ?? false
    }

    static var errorResponse: [String: Any] { ["description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]] }

    /// 402: the error envelope (INSUFFICIENT_BALANCE, PAYMENT_REQUIRED) or, for a USDC funding,
    /// x402's v1 payment requirements with the v2 ones in the PAYMENT-REQUIRED header.
    private static func paymentRequired(x402: Bool) -> [String: Any] {
        let error: [String: Any] = ["$ref": "#/components/schemas/Error"]
        guard x402 else { return ["description": "INSUFFICIENT_BALANCE or PAYMENT_REQUIRED", "content": ["application/json": ["schema": error]]] }
        return ["description": "INSUFFICIENT_BALANCE, PAYMENT_REQUIRED, or (source usdc) the x402 payment requirements",
                "content": ["application/json": ["schema": ["anyOf": [error, ["$ref": "#/components/schemas/X402Requirements"]]]]],
                "headers": ["PAYMENT-REQUIRED": header("x402 v2: the payment requirements, base64 JSON (source usdc)")]]
    }

    private static func rateLimited(json: Bool, error errorResponse: [String: Any]) -> [String: Any] {
        var response: [String: Any] = ["description": "RATE_LIMITED: over the caller's per-minute limit for this class of endpoint",
                                       "headers": ["Retry-After": header("Seconds until the window resets", type: "integer", required: true)]]
        if json { response["content"] = errorResponse["content"] }
        return response
    }

    /// `response` with the headers its status carries: Request-Id and the rate-limit headers on
    /// every answer, Idempotent-Replayed on a keyed write's, Location on a 201.
    private static func withHeaders(_ response: Any, status: String, keyed: Bool) -> Any {
        guard var response = response as? [String: Any] else { return response }
        var headers = response["headers"] as? [String: Any] ?? [:]
        headers["Request-Id"] = header("This request's id (the client's own when it sent a safe one), as in its log line and error envelope; on every answer while the request log runs (the default)")
        headers["X-RateLimit-Limit"] = header("Requests a minute this caller may make to this class of endpoint (absent when limits are off)", type: "integer")
        headers["X-RateLimit-Remaining"] = header("Requests left in the current window", type: "integer")
        headers["X-RateLimit-Reset"] = header("When the window resets, Unix seconds", type: "integer")
        if keyed { headers["Idempotent-Replayed"] = header("true when this is the stored answer to an earlier request with the same Idempotency-Key", enumerated: ["true"]) }
        if status == "201" { headers["Location"] = header("The URL path of the created resource", required: true) }
        response["headers"] = headers
        return response
    }

    static func header(_ description: String, type: String = "string", required: Bool = false, enumerated: [String]? = nil) -> [String: Any] {
        var schema: [String: Any] = ["type": type]
        if let enumerated { schema["enum"] = enumerated }
        return ["description": description, "required": required, "schema": schema]
    }

    static var idempotencyKey: [String: Any] { [
        "name": "Idempotency-Key", "in": "header", "required": false, "schema": ["type": "string", "minLength": 1, "maxLength": 255],
        "description": "Makes a retry safe: the same key with the same request answers the stored answer (Idempotent-Replayed: true) for 24 hours; with another request, 409 CONFLICT",
    ] }
}

/// Which properties an answer always carries: `required` on every object schema.
extension OpenAPIDocument {
    /// Properties the API's encoder may leave out (it leaves nil optionals out): the optional
    /// stored properties of the views and domain values the answers are made from, by JSON name.
    /// A property outside this set that cannot be null is in every answer that has its object.
    static let mayBeAbsent: Set<String> = [
        "account_id", "address", "amount", "amount_minor", "applicant", "approval", "asset", "auto_approve", "auto_reject", "available", "base_address",
        "callback_url", "cancel_url", "category", "checkout_url", "city", "connector", "count", "country", "currency", "deadline", "decided_at",
        "delivered_at", "delivery_days", "delivery_type", "description", "disabled_reason", "due_date", "enabled", "error", "escrow", "estimated_hours",
        "events", "fault", "fee", "fee_minor", "fee_paid_by", "fee_rule", "feedback", "fees", "field", "from", "full_name", "fund", "funded_at", "funding",
        "headline", "hours", "instructions", "kind", "last_error", "last_status", "latitude", "lifetime", "location", "location_type", "longitude",
        "message", "metadata", "milestone_id", "milestones", "mock_operator", "mode", "name", "next_attempt_at", "next_cursor", "note", "offset",
        "owner_id", "owner_kind", "password", "payout", "pending_id", "per_day", "per_task", "price", "proof_requirements", "reference", "referral_code",
        "refund", "refunded_at", "released_at", "required_deliverables", "resolution", "resolved_at", "reversed", "reverses_id", "revoked_at", "role",
        "score", "secret", "session_id", "settled_at", "skills", "source", "spend_policy", "split", "status", "submission_id", "success_url", "task_id",
        "task_type", "tasks", "text", "title", "to", "to_payer", "type", "urgency", "url", "verified_only", "worker_id",
    ]

    /// `schemas` with `required` on every object schema that has none, nested ones included: a
    /// request body's lists what the server insists on (none beyond those already listed), an
    /// answer's every property that is neither nullable nor in `mayBeAbsent`.
    static func requiringProperties(_ schemas: [String: Any], paths: [String: Any]) -> [String: Any] {
        let bodies = requestBodyNames(paths)
        return Dictionary(uniqueKeysWithValues: schemas.map { name, schema in (name, requiring(schema, request: bodies.contains(name))) })
    }

    private static func requiring(_ schema: Any, request: Bool) -> Any {
        guard var object = schema as? [String: Any] else { return schema }
        if let properties = object["properties"] as? [String: Any] {
            object["properties"] = properties.mapValues { requiring($0, request: request) }
            if object["required"] == nil {
                object["required"] = request ? [] : properties.filter { !mayBeAbsent.contains($0.key) && !nullable($0.value) }.keys.sorted()
            }
        }
        if let items = object["items"] { object["items"] = requiring(items, request: request) }
        return object
    }

    private static func nullable(_ schema: Any) -> Bool {
        guard let object = schema as? [String: Any] else { return false }
        if let types = object["type"] as? [String] { return types.contains("null") }
        return ((object["anyOf"] ?? object["oneOf"]) as? [[String: Any]])?.contains { $0["type"] as? String == "null" } ?? false
    }

    /// The request headers of an x402 payment (source usdc).
    static var x402PaymentHeaders: [[String: Any]] { [
        ["name": "X-PAYMENT", "in": "header", "required": false, "schema": ["type": "string"], "description": "x402 v1: the signed USDC authorization, base64 JSON"],
        ["name": "PAYMENT-SIGNATURE", "in": "header", "required": false, "schema": ["type": "string"], "description": "x402 v2: the signed USDC authorization, base64 JSON"],
    ] }

    /// The answers' schemas this file adds: x402's payment requirements and a USDC funding settling.
    static var contractSchemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        return [
            "X402Requirements": ["type": "object", "required": ["x402Version", "error", "accepts"], "properties": [
                "x402Version": ["type": "integer"], "error": string, "field": string,
                "accepts": ["type": "array", "items": ["type": "object",
                                                       "required": ["scheme", "network", "maxAmountRequired", "resource", "payTo", "asset", "maxTimeoutSeconds"],
                                                       "properties": ["scheme": string, "network": string, "maxAmountRequired": string, "resource": string,
                                                                      "description": string, "mimeType": string, "payTo": string, "maxTimeoutSeconds": ["type": "integer"],
                                                                      "asset": string, "extra": ["type": "object", "required": [], "additionalProperties": true]]]],
            ]],
            "FundingSettling": ["type": "object", "required": ["task_id", "status", "payer", "network", "amount"], "properties": [
                "task_id": string, "status": ["const": "settling"], "transaction": string, "payer": string, "network": string,
                "amount": ["$ref": "#/components/schemas/Money"],
            ]],
        ]
    }
}
