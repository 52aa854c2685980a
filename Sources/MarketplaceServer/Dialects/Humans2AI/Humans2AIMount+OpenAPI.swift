import Foundation
import MarketplaceHTTP
import MarketplaceViews

extension Humans2AIMount {
    /// One operation of the dialect: its method, path below the base, body and answer schemas.
    private struct Operation {
        let method: String
        let path: String
        let id: String
        let summary: String
        let body: [String: Any]?
        let answer: [String: Any]
        let success: String
        let refusals: [String]
        let open: Bool
    }

    private static func object(_ properties: [String: Any], required: [String] = [], closed: Bool = false) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties, "required": required]
        if closed { schema["additionalProperties"] = false }
        return schema
    }

    private static var string: [String: Any] { ["type": "string"] }
    private static var number: [String: Any] { ["type": "number"] }
    private static var integer: [String: Any] { ["type": "integer"] }
    private static var boolean: [String: Any] { ["type": "boolean"] }
    private static func list(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }

    static var taskSchema: [String: Any] {
        object(["id": string, "title": string, "description": string, "category": string,
                "status": ["type": "string", "enum": Humans2AIStatus.names], "budget": number, "currency": string, "escrowId": string,
                "agentId": string, "agentName": string, "applicantCount": integer, "humanId": string, "deadline": string, "location": string,
                "remote": boolean, "urgency": ["type": "string", "enum": ["low", "medium", "high", "urgent"]], "createdAt": string, "updatedAt": string],
               required: ["id", "title", "status", "budget", "agentId", "agentName", "applicantCount", "createdAt"])
    }

    private static var applicationSchema: [String: Any] {
        object(["id": string, "taskId": string, "humanId": string, "humanName": string, "message": string, "status": string, "createdAt": string],
               required: ["id", "taskId", "humanId", "status", "createdAt"])
    }

    private static var submissionSchema: [String: Any] {
        object(["id": string, "taskId": string, "humanId": string, "status": string, "proof": string, "proofUrls": list(string),
                "note": string, "feedback": string, "createdAt": string], required: ["id", "taskId", "humanId", "status", "createdAt"])
    }

    private static var messageSchema: [String: Any] {
        object(["id": string, "taskId": string, "senderId": string, "humanId": string, "content": string, "createdAt": string],
               required: ["id", "taskId", "senderId", "content", "createdAt"])
    }

    private static var keySchema: [String: Any] {
        object(["id": string, "name": string, "mode": string, "scopes": list(string), "key": string, "secret": string, "createdAt": string,
                "revokedAt": string], required: ["id", "name", "mode", "scopes", "key", "createdAt"])
    }

    private static var webhookSchema: [String: Any] {
        object(["id": string, "url": string, "events": list(string), "description": string, "active": boolean, "createdAt": string, "secret": string],
               required: ["id", "url", "events", "active", "createdAt"])
    }

    private static var tokensSchema: [String: Any] {
        object(["idToken": string, "refreshToken": string, "expiresIn": integer, "userId": string, "email": string, "role": string],
               required: ["idToken", "refreshToken", "expiresIn", "userId"])
    }

    private static var operations: [Operation] {
        let reads = ["401", "403", "404", "429"]
        let writes = ["400", "401", "403", "404", "409", "429"]
        return [
            Operation(method: "post", path: "/public/auth/register", id: "Register", summary: "An AI agent account with its API key (shown once), or a human's",
                      body: object(["email": string, "password": string, "displayName": string, "role": ["type": "string", "enum": ["agent", "human"]]],
                                   required: ["email", "password", "displayName"], closed: true),
                      answer: object(["userId": string, "email": string, "displayName": string, "role": string, "apiKey": string],
                                     required: ["userId", "email", "displayName", "role"]), success: "201", refusals: ["400", "409", "429"], open: true),
            Operation(method: "post", path: "/public/auth/login", id: "Login", summary: "ID and refresh tokens; the ID token is the Bearer",
                      body: object(["email": string, "password": string], required: ["email", "password"], closed: true),
                      answer: tokensSchema, success: "200", refusals: ["400", "401", "429"], open: true),
            Operation(method: "post", path: "/public/auth/refresh", id: "Refresh", summary: "New tokens for a refresh token",
                      body: object(["refreshToken": string], required: ["refreshToken"], closed: true),
                      answer: tokensSchema, success: "200", refusals: ["400", "401", "429"], open: true),
            Operation(method: "post", path: "/public/check-email", id: "CheckEmail", summary: "Whether an email is registered",
                      body: object(["email": string], required: ["email"], closed: true),
                      answer: object(["email": string, "registered": boolean], required: ["email", "registered"]), success: "200",
                      refusals: ["400", "429"], open: true),
            Operation(method: "post", path: "/tasks", id: "CreateTask", summary: "Posts a task with its budget in escrow from the wallet (Risk Gate first)",
                      body: object(["title": string, "description": string, "category": string,
                                    "budget": ["oneOf": [number, string], "description": "USD, exact decimal"], "deadline": ["type": "string", "format": "date-time"],
                                    "location": string, "remote": boolean, "urgency": ["type": "string", "enum": ["low", "medium", "high", "urgent"]]],
                                   required: ["title", "description", "category", "budget"], closed: true),
                      answer: taskSchema, success: "201", refusals: ["400", "401", "403", "429"], open: false),
            Operation(method: "get", path: "/tasks", id: "ListTasks", summary: "An agent's tasks, or for a human the open ones (status, category, remote, urgency, page, limit)",
                      body: nil, answer: object(["tasks": list(taskSchema), "pagination": object(["page": integer, "limit": integer, "total": integer])]),
                      success: "200", refusals: ["400", "401", "403", "429"], open: false),
            Operation(method: "get", path: "/tasks/{task}", id: "GetTask", summary: "A task, its status, budget and participants", body: nil,
                      answer: taskSchema, success: "200", refusals: reads, open: false),
            Operation(method: "post", path: "/tasks/{task}/apply", id: "Apply", summary: "A human applies",
                      body: object(["message": string], closed: true), answer: applicationSchema, success: "201", refusals: writes, open: false),
            Operation(method: "get", path: "/tasks/{task}/applications", id: "Applications", summary: "The task's applications (owner only)", body: nil,
                      answer: list(applicationSchema), success: "200", refusals: reads, open: false),
            Operation(method: "post", path: "/tasks/{task}/select", id: "Select", summary: "Selects an applicant; the task is assigned",
                      body: object(["applicationId": string], required: ["applicationId"], closed: true), answer: taskSchema, success: "200",
                      refusals: writes, open: false),
            Operation(method: "post", path: "/tasks/{task}/submit", id: "Submit", summary: "The assigned human submits the work with proof",
                      body: object(["proof": string, "proofUrls": list(string), "note": string], required: ["proof"], closed: true),
                      answer: submissionSchema, success: "201", refusals: writes, open: false),
            Operation(method: "post", path: "/tasks/{task}/approve", id: "Approve", summary: "Approves; the escrow pays the human and the fee in one commit",
                      body: nil, answer: object(["task": taskSchema, "payout": number, "platformFee": number], required: ["task", "payout", "platformFee"]),
                      success: "200", refusals: writes, open: false),
            Operation(method: "post", path: "/tasks/{task}/reject", id: "Reject", summary: "Rejects the submission (reason of 50+ characters); the human may submit again",
                      body: object(["reason": string], required: ["reason"], closed: true), answer: submissionSchema, success: "200", refusals: writes, open: false),
            Operation(method: "post", path: "/tasks/{task}/dispute", id: "Dispute", summary: "Disputes the task; the escrow stays held until resolved",
                      body: object(["reason": string], required: ["reason"], closed: true),
                      answer: object(["id": string, "taskId": string, "openedBy": string, "reason": string, "status": string, "createdAt": string]),
                      success: "201", refusals: writes, open: false),
            Operation(method: "get", path: "/tasks/{task}/messages", id: "Messages", summary: "The task's messages (participants only)", body: nil,
                      answer: list(messageSchema), success: "200", refusals: reads, open: false),
            Operation(method: "post", path: "/tasks/{task}/messages", id: "SendMessage", summary: "A message in the task chat",
                      body: object(["content": string, "recipientId": string], required: ["content"], closed: true), answer: messageSchema,
                      success: "201", refusals: writes, open: false),
            Operation(method: "get", path: "/wallet", id: "Wallet", summary: "Balance, frozen balance and lifetime totals (USD)", body: nil,
                      answer: object(["currency": string, "balance": number, "frozenBalance": number, "totalSpent": number, "totalRefunded": number,
                                      "totalEarned": number, "totalWithdrawn": number], required: ["currency", "balance", "frozenBalance"]),
                      success: "200", refusals: ["401", "403", "429"], open: false),
            Operation(method: "get", path: "/wallet/transactions", id: "Transactions", summary: "Wallet movements (type, limit, cursor)", body: nil,
                      answer: object(["transactions": list(object(["id": string, "type": string, "amount": number, "currency": string, "reference": string,
                                                                   "createdAt": string])), "nextCursor": string]),
                      success: "200", refusals: ["400", "401", "403", "429"], open: false),
            Operation(method: "get", path: "/my/applications", id: "MyApplications", summary: "The human's applications with their tasks", body: nil,
                      answer: list(object(["application": applicationSchema, "task": taskSchema])), success: "200", refusals: ["401", "403", "429"], open: false),
            Operation(method: "get", path: "/my/referrals", id: "MyReferrals", summary: "The caller's referral code, referrals and stats", body: nil,
                      answer: object(["referralCode": string, "referrals": list(object(["userId": string, "displayName": string, "role": string, "createdAt": string])),
                                      "stats": object(["totalReferrals": integer, "rewardsEnabled": boolean, "rewardsEarned": number])]),
                      success: "200", refusals: ["401", "429"], open: false),
            Operation(method: "get", path: "/notifications", id: "Notifications", summary: "The caller's notifications, with unreadCount beside data", body: nil,
                      answer: list(object(["id": string, "type": string, "taskId": string, "message": string, "read": boolean, "createdAt": string])),
                      success: "200", refusals: ["401", "403", "429"], open: false),
            Operation(method: "patch", path: "/notifications", id: "MarkNotifications", summary: "Marks notifications read by ids, or all",
                      body: object(["ids": list(string), "all": boolean], closed: true), answer: object(["marked": integer], required: ["marked"]),
                      success: "200", refusals: ["400", "401", "403", "404", "429"], open: false),
            Operation(method: "get", path: "/api-keys", id: "ListKeys", summary: "The caller's keys, redacted (a logged-in session)", body: nil,
                      answer: list(keySchema), success: "200", refusals: ["401", "403", "429"], open: false),
            Operation(method: "post", path: "/api-keys", id: "CreateKey", summary: "A key, its secret shown once (at most 10 active: 400 LIMIT_EXCEEDED)",
                      body: object(["name": string, "scopes": list(string)], required: ["name"], closed: true), answer: keySchema, success: "201",
                      refusals: ["400", "401", "403", "429"], open: false),
            Operation(method: "delete", path: "/api-keys/{key}", id: "RevokeKey", summary: "Revokes a key", body: nil, answer: keySchema, success: "200",
                      refusals: ["401", "403", "404", "429"], open: false),
            Operation(method: "get", path: "/webhooks", id: "ListWebhooks", summary: "The caller's endpoints in this dialect's format", body: nil,
                      answer: list(webhookSchema), success: "200", refusals: ["401", "403", "404", "429"], open: false),
            Operation(method: "post", path: "/webhooks", id: "CreateWebhook",
                      summary: "An endpoint for the document's events (all six when events is left out), signed X-Humans2AI-Signature; its secret shown once",
                      body: object(["url": string, "events": list(["type": "string", "enum": Humans2AIMount.format.events.values.sorted()]), "description": string],
                                   required: ["url"], closed: true),
                      answer: webhookSchema, success: "201", refusals: ["400", "401", "403", "404", "429"], open: false),
            Operation(method: "delete", path: "/webhooks/{webhook}", id: "DeleteWebhook", summary: "Deletes an endpoint; its pending deliveries are not sent",
                      body: nil, answer: webhookSchema, success: "200", refusals: ["401", "403", "404", "429"], open: false),
        ]
    }

    static let refusal = ["400": "VALIDATION_ERROR naming the field, INSUFFICIENT_BALANCE, RISK_GATE_BLOCKED or LIMIT_EXCEEDED",
                          "401": "UNAUTHORIZED: no or bad Bearer token", "403": "FORBIDDEN: the key lacks the scope",
                          "404": "TASK_NOT_FOUND", "409": "The task's status does not allow it, or the email is taken",
                          "429": "RATE_LIMITED"]

    /// The dialect's paths, in /openapi.json beside /v1's and alone at /compat/humans2ai/openapi.json.
    public var openAPIPaths: [String: Any] {
        let error: [String: Any] = ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]
        var paths: [String: [String: Any]] = [
            "/\(Self.prefix)/openapi.json": ["get": ["operationId": "humans2aiOpenAPI", "tags": ["Humans2AI"], "summary": "This dialect's own OpenAPI document",
                                                     "responses": ["200": ["description": "The document", "content": ["application/json": ["schema": ["type": "object"]]]]]]],
        ]
        for operation in Self.operations {
            var responses: [String: Any] = [:]
            for code in operation.refusals { responses[code] = ["description": Self.refusal[code] ?? "Refused", "content": error] }
            let envelope = Self.object(["success": ["const": true], "data": operation.answer], required: ["success", "data"])
            responses[operation.success] = ["description": "OK", "content": ["application/json": ["schema": envelope]]]
            var item: [String: Any] = ["operationId": "humans2ai" + operation.id, "tags": ["Humans2AI"], "summary": operation.summary, "responses": responses]
            if !operation.open { item["security"] = [["bearer": []]] as [[String: [String]]] }
            if let body = operation.body { item["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]] }
            let names = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            if !names.isEmpty { item["parameters"] = names.map { ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]] } }
            paths["/\(Self.base)\(operation.path)", default: [:]][operation.method] = item
        }
        return paths
    }

    /// The dialect's own document: its paths below the document's base URL, the error envelope.
    var document: [String: Any] {
        let main = OpenAPIDocument.json()
        let components = main["components"] as? [String: Any] ?? [:]
        let schemas = components["schemas"] as? [String: Any] ?? [:]
        return ["openapi": "3.1.0",
                "info": ["title": "Humans2AI-compatible API (seed 004)", "version": (main["info"] as? [String: Any])?["version"] ?? ""],
                "servers": [["url": "/compat/humans2ai"]],
                "paths": Dictionary(uniqueKeysWithValues: openAPIPaths.map { (String($0.key.dropFirst("/compat/humans2ai".count)), $0.value) }),
                "components": ["schemas": ["Error": schemas["Error"] ?? [:]],
                               "securitySchemes": components["securitySchemes"] ?? [:]]]
    }
}
