import Foundation
import MarketplaceHTTP
import MarketplaceViews

extension GoHireHumansMount {
    /// The dialect's paths in /openapi.json; each answer is the document's own shape, without
    /// /v1's envelope, and each refusal /v1's error envelope.
    public var openAPIPaths: [String: Any] {
        let secured: [[String: [String]]] = [["bearer": []]]
        let error: [String: Any] = ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]
        func answers(_ success: String, _ schema: [String: Any], refusals: [String]) -> [String: Any] {
            var responses: [String: Any] = [success: ["description": "OK", "content": ["application/json": ["schema": schema]]]]
            for code in refusals { responses[code] = ["description": Self.refusal[code] ?? "Refused", "content": error] }
            return responses
        }
        func body(_ schema: [String: Any]) -> [String: Any] { ["required": true, "content": ["application/json": ["schema": schema]]] }
        let task: [String: Any] = ["name": "task", "in": "path", "required": true, "schema": ["type": "string"]]
        let listParameters: [[String: Any]] = [
            ["name": "status", "in": "query", "schema": ["type": "string", "enum": GoHireHumansStatus.names]],
            ["name": "category", "in": "query", "schema": ["type": "string"]],
            ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
            ["name": "offset", "in": "query", "schema": ["type": "integer", "minimum": 0]],
        ]
        let base = "/" + Self.prefix
        var paths: [String: Any] = [
            base + "/openapi.json": ["get": ["operationId": "gohirehumansOpenAPI", "tags": ["GoHireHumans"], "summary": "This dialect's own OpenAPI document",
                                             "responses": ["200": ["description": "The document", "content": ["application/json": ["schema": ["type": "object"]]]]]]],
            base + "/auth/register": ["post": ["operationId": "gohirehumansRegister", "tags": ["GoHireHumans"], "summary": "An account (role ai_client or client)",
                                               "requestBody": body(Self.registerSchema), "responses": answers("201", Self.userSchema, refusals: ["400", "409", "429"])]],
            base + "/auth/login": ["post": ["operationId": "gohirehumansLogin", "tags": ["GoHireHumans"], "summary": "A JWT for the Authorization header",
                                            "requestBody": body(Self.loginSchema), "responses": answers("200", Self.tokenSchema, refusals: ["400", "401", "429"])]],
            base + "/auth/me": ["get": ["operationId": "gohirehumansMe", "tags": ["GoHireHumans"], "security": secured, "summary": "The caller's profile",
                                        "responses": answers("200", Self.userSchema, refusals: ["401", "429"])]],
            base + "/api/v1/payments/checkout": ["post": ["operationId": "gohirehumansCheckout", "tags": ["GoHireHumans"], "security": secured,
                                                          "summary": "A Stripe Checkout Session for a task's escrow; amount is the task's budget, the fee is charged on top",
                                                          "requestBody": body(Self.checkoutSchema),
                                                          "responses": answers("201", Self.checkoutAnswer, refusals: ["400", "401", "403", "404", "409", "429", "503"])]],
            base + "/api/v1/payments/balance": ["get": ["operationId": "gohirehumansBalance", "tags": ["GoHireHumans"], "security": secured,
                                                        "summary": "Balances with what is in escrow", "responses": answers("200", Self.balanceSchema, refusals: ["401", "429"])]],
            base + "/api/v1/payments/prepare-order-payment": ["post": [
                "operationId": "gohirehumansPrepareOrderPayment", "tags": ["GoHireHumans"], "security": secured,
                "summary": "The owner-approved payment of an order (order_id: the order's number in /v1/orders): 202 awaiting the owner's approval (an API key), 200 funded (the owner's session)",
                "requestBody": body(["type": "object", "additionalProperties": false, "required": ["order_id", "amount"],
                                     "properties": ["order_id": ["type": "integer", "minimum": 1], "amount": ["oneOf": [["type": "number"], ["type": "string"]]],
                                                    "milestone_id": ["type": "string", "description": "Refused: orders are paid whole"]]]),
                "responses": answers("200", Self.preparedSchema, refusals: ["400", "401", "402", "403", "404", "409", "429"])
                    .merging(["202": ["description": "Awaiting the account owner's approval", "content": ["application/json": ["schema": Self.preparedSchema]]]]) { $1 },
            ]],
            base + "/api/v1/payments/history": ["get": ["operationId": "gohirehumansPaymentHistory", "tags": ["GoHireHumans"], "security": secured,
                                                        "summary": "The caller's payment events (Stripe checkouts, refunds, payouts), newest first",
                                                        "parameters": [["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 200]],
                                                                       ["name": "status", "in": "query",
                                                                        "schema": ["type": "string", "enum": ["pending", "sent", "settled", "failed"]]]],
                                                        "responses": answers("200", Self.historySchema, refusals: ["400", "401", "403", "429"])]],
        ]
        for noun in ["tasks", "jobs"] {
            let name = noun == "tasks" ? "Task" : "Job"
            paths[base + "/api/v1/\(noun)"] = [
                "post": ["operationId": "gohirehumansCreate\(name)", "tags": ["GoHireHumans"], "security": secured, "summary": "Posts a \(noun.dropLast())",
                         "requestBody": body(Self.createSchema), "responses": answers("201", Self.taskSchema, refusals: ["400", "401", "403", "422", "429"])],
                "get": ["operationId": "gohirehumansList\(name)s", "tags": ["GoHireHumans"], "security": secured, "summary": "The caller's \(noun), newest first",
                        "parameters": listParameters,
                        "responses": answers("200", ["type": "object", "required": ["tasks", "total", "limit", "offset"],
                                                     "properties": ["tasks": ["type": "array", "items": Self.taskSchema], "total": ["type": "integer"],
                                                                    "limit": ["type": "integer"], "offset": ["type": "integer"]]], refusals: ["400", "401", "429"])],
            ]
            paths[base + "/api/v1/\(noun)/{task}"] = ["get": ["operationId": "gohirehumansGet\(name)", "tags": ["GoHireHumans"], "security": secured,
                                                              "parameters": [task], "summary": "One \(noun.dropLast()) and its status",
                                                              "responses": answers("200", Self.taskSchema, refusals: ["401", "404", "429"])]]
            paths[base + "/api/v1/\(noun)/{task}/approve"] = ["post": [
                "operationId": "gohirehumansApprove\(name)", "tags": ["GoHireHumans"], "security": secured, "parameters": [task],
                "summary": "Approves the submitted work: the professional is paid, the platform keeps its fee",
                "responses": answers("200", Self.taskSchema, refusals: ["401", "403", "404", "409", "429"])]]
            paths[base + "/api/v1/\(noun)/{task}/cancel"] = ["post": [
                "operationId": "gohirehumansCancel\(name)", "tags": ["GoHireHumans"], "security": secured, "parameters": [task],
                "summary": "Cancels an open or in-progress \(noun.dropLast()); its escrow, fee included, is refunded",
                "responses": answers("200", Self.canceledSchema, refusals: ["401", "403", "404", "409", "429"])]]
        }
        let serviceParameters: [[String: Any]] = ["query", "category", "min_price", "max_price", "currency", "price_type", "location_type"].map {
            ["name": $0, "in": "query", "schema": ["type": "string"]]
        } + [["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
             ["name": "offset", "in": "query", "schema": ["type": "integer", "minimum": 0]]]
        paths[base + "/api/v1/services"] = ["get": [
            "operationId": "gohirehumansSearchServices", "tags": ["GoHireHumans"], "summary": "Published services, newest first (search_services as REST)",
            "parameters": serviceParameters,
            "responses": answers("200", ["type": "object", "required": ["services"], "properties": ["services": ["type": "array", "items": Self.serviceSchema]]],
                                 refusals: ["400", "401", "429"])]]
        paths[base + "/api/v1/services/{service}"] = ["get": [
            "operationId": "gohirehumansGetService", "tags": ["GoHireHumans"], "summary": "One service with its provider (get_service_details as REST)",
            "parameters": [["name": "service", "in": "path", "required": true, "schema": ["type": "string"]]],
            "responses": answers("200", Self.serviceSchema, refusals: ["401", "404", "429"])]]
        paths[base + "/api/v1/categories"] = ["get": [
            "operationId": "gohirehumansCategories", "tags": ["GoHireHumans"], "summary": "The category values, group by group",
            "responses": answers("200", ["type": "object", "required": ["groups"], "properties": ["groups": ["type": "array", "items": ["type": "object"]]]],
                                 refusals: ["429"])]]
        return paths
    }

    static let refusal = ["400": "A field is missing or malformed (the error names it)", "401": "No or bad token", "403": "The role or scope does not allow it",
                          "404": "No such task of the caller's", "409": "The email is taken, or the task's status does not allow it",
                          "422": "A field's value is refused (the error names it)", "429": "Too many requests",
                          "503": "The card processor did not answer; the checkout is recorded and retried"]

    static var registerSchema: [String: Any] {
        ["type": "object", "additionalProperties": false, "required": ["email", "password", "full_name", "role"],
         "properties": ["email": ["type": "string"], "password": ["type": "string", "minLength": 8], "full_name": ["type": "string"],
                        "role": ["type": "string", "enum": ["ai_client", "client"]]]]
    }
    static var loginSchema: [String: Any] {
        ["type": "object", "additionalProperties": false, "required": ["email", "password"],
         "properties": ["email": ["type": "string"], "password": ["type": "string"]]]
    }
    static var userSchema: [String: Any] {
        ["type": "object", "required": ["id", "email", "full_name", "role", "created_at"],
         "properties": ["id": ["type": "string"], "email": ["type": "string"], "full_name": ["type": "string"],
                        "role": ["type": "string", "enum": ["ai_client", "client", "human"]], "created_at": ["type": "string"]]]
    }
    static var tokenSchema: [String: Any] {
        ["type": "object", "required": ["access_token", "token_type", "expires_in", "user"],
         "properties": ["access_token": ["type": "string"], "token_type": ["const": "bearer"], "expires_in": ["type": "integer"], "user": userSchema]]
    }
    static var createSchema: [String: Any] {
        ["type": "object", "additionalProperties": false, "required": ["title", "description", "category", "location_type", "budget_amount", "budget_type"],
         "properties": ["title": ["type": "string"], "description": ["type": "string"], "category": ["type": "string"],
                        "location_type": ["type": "string", "enum": ["remote", "local"]],
                        "budget_amount": ["oneOf": [["type": "number"], ["type": "string"]], "description": "USD, exact decimal"],
                        "budget_type": ["type": "string", "enum": ["fixed", "hourly"]], "location": ["type": "string"],
                        "deadline": ["type": "string", "format": "date-time"]]]
    }
    static var taskSchema: [String: Any] {
        ["type": "object",
         "required": ["id", "title", "description", "category", "location_type", "budget_amount", "budget_type", "currency", "status", "funding_status", "created_at", "updated_at"],
         "properties": ["id": ["type": "string"], "title": ["type": "string"], "description": ["type": "string"], "category": ["type": "string"],
                        "location_type": ["type": "string"], "location": ["type": "string"], "budget_amount": ["type": "number"],
                        "budget_type": ["type": "string"], "currency": ["type": "string"], "deadline": ["type": "string"],
                        "status": ["type": "string", "enum": GoHireHumansStatus.names],
                        "funding_status": ["type": "string", "enum": ["unfunded", "pending", "funded", "refunded", "released"]],
                        "professional_id": ["type": "string"], "created_at": ["type": "string"], "updated_at": ["type": "string"],
                        "deliverables": ["type": "array", "description": "The latest submission's, when one task is read",
                                         "items": ["type": "object", "required": ["kind", "value"],
                                                   "properties": ["kind": ["type": "string"], "value": ["type": "string"]]]]]]
    }
    static var canceledSchema: [String: Any] {
        ["type": "object", "required": ["task", "refunded", "currency"],
         "properties": ["task": taskSchema, "refunded": ["type": "boolean"], "refund_amount": ["type": "number"], "currency": ["type": "string"],
                        "refund_to": ["type": "string", "enum": ["wallet", "card"]]]]
    }
    static var serviceSchema: [String: Any] {
        ["type": "object", "required": ["id", "title", "category"],
         "properties": ["id": ["type": "string"], "title": ["type": "string"], "description": ["type": "string"], "category": ["type": "string"]]]
    }
    static var checkoutSchema: [String: Any] {
        ["type": "object", "additionalProperties": false, "required": ["task_id", "amount", "success_url", "cancel_url"],
         "properties": ["task_id": ["type": "string"], "amount": ["oneOf": [["type": "number"], ["type": "string"]]],
                        "success_url": ["type": "string"], "cancel_url": ["type": "string"]]]
    }
    static var checkoutAnswer: [String: Any] {
        ["type": "object", "required": ["task_id", "status", "amount", "currency"],
         "properties": ["task_id": ["type": "string"], "session_id": ["type": "string"], "checkout_url": ["type": "string"],
                        "status": ["type": "string", "enum": ["open", "paid", "failed"]], "amount": ["type": "number"], "currency": ["type": "string"]]]
    }
    static var preparedSchema: [String: Any] {
        ["type": "object", "required": ["order_id", "task_id", "status", "amount", "currency"],
         "properties": ["order_id": ["type": "integer"], "task_id": ["type": "string"], "status": ["type": "string", "enum": ["awaiting_approval", "funded"]],
                        "approval_id": ["type": "string"], "amount": ["type": "number"], "currency": ["type": "string"]]]
    }
    static var historySchema: [String: Any] {
        let event: [String: Any] = ["type": "object", "required": ["task_id", "kind", "status", "currency", "created_at", "updated_at"],
                                    "properties": ["task_id": ["type": "string"], "kind": ["type": "string"], "status": ["type": "string"],
                                                   "amount": ["type": "number"], "currency": ["type": "string"], "reference": ["type": "string"],
                                                   "created_at": ["type": "string"], "updated_at": ["type": "string"]]]
        return ["type": "object", "required": ["payments", "limit"], "properties": ["payments": ["type": "array", "items": event], "limit": ["type": "integer"]]]
    }
    static var balanceSchema: [String: Any] {
        ["type": "object", "required": ["balances"],
         "properties": ["balances": ["type": "array", "items": ["type": "object", "required": ["currency", "available", "escrow"],
                                                                 "properties": ["currency": ["type": "string"], "available": ["type": "number"],
                                                                                "escrow": ["type": "number"]]]]]]
    }

    /// The dialect's own document at /compat/gohirehumans/openapi.json: its paths below its
    /// base URL, the error envelope, the bearer scheme.
    var document: [String: Any] {
        DialectDocument.document(title: "GoHireHumans-compatible API (seeds 000 and 001)", base: "/" + Self.prefix, paths: openAPIPaths)
    }
}
