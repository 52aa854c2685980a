import Foundation
import Hummingbird
import HTTPTypes
import MarketplaceHTTP

extension RequestHumanMount {
    /// The dialect's paths, in /openapi.json beside /v1's and alone at
    /// /compat/requesthuman/openapi.json (for a client generated against RequestHuman's API).
    public var openAPIPaths: [String: Any] {
        let token: [[String: [String]]] = [["taskToken": []]]
        let error: [String: Any] = ["application/json": ["schema": Self.errorSchema]]
        func answers(_ success: String, _ schema: [String: Any], refusals: [String]) -> [String: Any] {
            var responses: [String: Any] = [success: ["description": "OK", "content": ["application/json": ["schema": schema]]]]
            for code in refusals { responses[code] = ["description": Self.refusal[code] ?? "Refused", "content": error] }
            return responses
        }
        func body(_ schema: [String: Any], required: Bool = true) -> [String: Any] { ["required": required, "content": ["application/json": ["schema": schema]]] }
        func operation(_ id: String, _ summary: String, secured: Bool = true, parameters: [String] = ["task"], body requestBody: [String: Any]? = nil,
                       _ responses: [String: Any]) -> [String: Any] {
            var operation: [String: Any] = ["operationId": "requesthuman" + id, "tags": ["RequestHuman"], "summary": summary, "responses": responses,
                                            "x-refusal-schema": Self.errorSchema,
                                            "parameters": parameters.map { ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]] }]
            if secured { operation["security"] = token }
            if let requestBody { operation["requestBody"] = requestBody }
            return operation
        }
        let success: [String: Any] = ["const": true]
        func object(_ properties: [String: Any]) -> [String: Any] {
            ["type": "object", "required": ["success"] + properties.keys.sorted(), "properties": properties.merging(["success": success]) { $1 }]
        }
        let task = Self.taskSchema
        let tokenOnly = Self.closed(["task_token": ["type": "string"]], required: [])
        let base = "/" + Self.prefix + "/api/tasks"
        return [
            "/\(Self.prefix)/openapi.json": ["get": operation("OpenAPI", "This dialect's own OpenAPI document", secured: false, parameters: [],
                                                              ["200": ["description": "The document", "content": ["application/json": ["schema": ["type": "object"]]]]])],
            base: [
                "post": operation("CreateTask", "Posts a task without an account; the answer's task_token (shown once) manages it; 429 past 3 unfunded tasks per address",
                                  secured: false, parameters: [], body: body(Self.createSchema),
                                  answers("201", object(["task": task, "task_token": ["type": "string"], "task_url": ["type": "string"],
                                                         "fund_url": ["type": "string"], "important": ["type": "string"]]), refusals: ["400", "429"])),
                "get": operation("ListTasks", "Published tasks, newest first (limit, offset, location_type)", secured: false, parameters: [],
                                 answers("200", object(["tasks": ["type": "array", "items": task], "count": ["type": "integer"], "limit": ["type": "integer"],
                                                        "offset": ["type": "integer"]]), refusals: ["400"])),
            ],
            base + "/{task}": [
                "get": operation("GetTask", "A published task; with its token, in any status", secured: false, answers("200", object(["task": task]), refusals: ["403", "404"])),
                "patch": operation("UpdateTask", "completed approves and pays out, revision_requested sends the work back, hidden hides it",
                                   body: body(Self.closed(["status": ["type": "string", "enum": ["assigned", "submitted", "completed", "revision_requested", "hidden"]],
                                                           "feedback": ["type": "string"], "task_token": ["type": "string"]], required: ["status"])),
                                   answers("200", object(["task": task]), refusals: ["400", "402", "403", "404", "409"])),
            ],
            base + "/{task}/fund": [
                "post": operation("FundTask", "A Stripe Checkout for the budget with the 10% fee on top", body: body(tokenOnly, required: false),
                                  answers("200", object(["checkout_url": ["type": "string"], "session_id": ["type": ["string", "null"]], "funded": ["type": "boolean"]]),
                                          refusals: ["400", "403", "404", "409", "503"])),
                "get": operation("FundRedirect", "The fund_url's browser flow (?token=): 303 to the Stripe Checkout page", secured: false,
                                 ["303": ["description": "To the Checkout page (Location)"], "403": ["description": Self.refusal["403"] ?? "", "content": error],
                                  "409": ["description": Self.refusal["409"] ?? "", "content": error]]),
            ],
            base + "/{task}/cancel": ["post": operation("CancelTask", "Cancels; a funded task's escrow is refunded in full", body: body(tokenOnly, required: false),
                                                        answers("200", object(["message": ["type": "string"], "refunded": ["type": "boolean"],
                                                                               "refund_id": ["type": ["string", "null"]], "task": task]),
                                                                refusals: ["403", "404", "409"]))],
            base + "/{task}/applications": ["get": operation("ListApplications", "Applications with the applicants' profiles",
                                                             answers("200", object(["applications": ["type": "array", "items": Self.applicationSchema]]),
                                                                     refusals: ["403", "404"]))],
            base + "/{task}/applications/{application}": ["patch": operation("RespondToApplication", "Accept (the task must be funded: 402 with fund_url) or reject",
                                                                             parameters: ["task", "application"],
                                                                             body: body(Self.closed(["status": ["type": "string", "enum": ["accepted", "rejected"]],
                                                                                                     "task_token": ["type": "string"]], required: ["status"])),
                                                                             answers("200", object(["application": Self.applicationSchema, "task": task]),
                                                                                     refusals: ["400", "402", "403", "404", "409"]))],
            base + "/{task}/applications/{application}/messages": [
                "get": operation("ListMessages", "The conversation, oldest first (the task's token, or the applicant's Bearer session)", parameters: ["task", "application"],
                                 answers("200", object(["messages": ["type": "array", "items": Self.messageSchema]]), refusals: ["403", "404"])),
                "post": operation("SendMessage", "As the agent with the token, or as the human with their session", parameters: ["task", "application"],
                                  body: body(Self.closed(["body": ["type": "string", "maxLength": 5000], "task_token": ["type": "string"]], required: ["body"])),
                                  answers("201", object(["message": Self.messageSchema]), refusals: ["400", "403", "404"])),
            ],
            base + "/{task}/submissions": [
                "get": operation("ListSubmissions", "Submitted deliverables", answers("200", object(["submissions": ["type": "array", "items": Self.submissionSchema]]),
                                                                                 refusals: ["403", "404"])),
                "patch": operation("RespondToSubmission", "approved pays the human out; revision_requested sends it back with the feedback",
                                   body: body(Self.closed(["submission_id": ["type": "string"], "status": ["type": "string", "enum": ["approved", "revision_requested"]],
                                                           "feedback": ["type": "string"], "task_token": ["type": "string"]], required: ["submission_id", "status"])),
                                   answers("200", object(["submission": Self.submissionSchema, "task": task]), refusals: ["400", "403", "404", "409"])),
            ],
        ]
    }

    static let refusal = ["400": "Invalid request (the error names the field)", "402": "The task must be funded first (fund_url in the answer)",
                          "403": "Invalid or missing task_token", "404": "No such task, application or submission",
                          "409": "The task's or submission's status does not allow it", "429": "Too many unfunded tasks from this address",
                          "503": "The card processor did not answer; retry"]

    static func closed(_ properties: [String: Any], required: [String]) -> [String: Any] {
        ["type": "object", "additionalProperties": false, "required": required, "properties": properties]
    }

    static var errorSchema: [String: Any] {
        ["type": "object", "required": ["success", "error"],
         "properties": ["success": ["const": false], "error": ["type": "string"], "fund_url": ["type": "string"]]]
    }
    static var createSchema: [String: Any] {
        closed(["title": ["type": "string", "maxLength": 200], "description": ["type": "string", "maxLength": 5000], "agent_type": ["type": "string"],
                "estimated_hours": ["type": "integer"], "price_type": ["type": "string", "enum": ["fixed", "hourly"]],
                "price": ["oneOf": [["type": "number"], ["type": "string"]], "description": "USD, exact decimal; the 10% fee is charged on top"],
                "location_type": ["type": "string", "enum": ["remote", "local"]], "location_text": ["type": "string"],
                "delivery_type": ["type": "string", "enum": ["freeform", "submission", "bounty"]],
                "required_deliverables": ["type": "array", "items": ["type": "string", "enum": ["text", "photo", "url", "file"]]],
                "callback_url": ["type": "string"], "verified_only": ["type": "boolean"]], required: ["title", "description", "price"])
    }
    static var taskSchema: [String: Any] {
        ["type": "object",
         "required": ["id", "title", "description", "price_type", "price", "currency", "location_type", "status", "delivery_type", "funding_status",
                      "application_count", "created_at"],
         "properties": ["id": ["type": "string"], "title": ["type": "string"], "description": ["type": "string"], "agent_type": ["type": ["string", "null"]],
                        "estimated_hours": ["type": ["integer", "null"]], "price_type": ["type": "string"], "price": ["type": "number"],
                        "currency": ["type": "string"], "location_type": ["type": "string"], "location_text": ["type": ["string", "null"]],
                        "status": ["type": "string", "enum": ["published", "assigned", "submitted", "revision_requested", "completed", "hidden", "cancelled",
                                                              "expired", "disputed", "resolved"]],
                        "delivery_type": ["type": "string"], "required_deliverables": ["type": "array", "items": ["type": "string"]],
                        "verified_only": ["type": "boolean"],
                        "funding_status": ["type": "string", "enum": ["unfunded", "pending", "funded", "refunded", "released"]],
                        "application_count": ["type": "integer"], "created_at": ["type": "string"]]]
    }
    static var applicationSchema: [String: Any] {
        ["type": "object", "required": ["id", "task_id", "user_id", "message", "status", "created_at"],
         "properties": ["id": ["type": "string"], "task_id": ["type": "string"], "user_id": ["type": "string"], "message": ["type": "string"],
                        "status": ["type": "string", "enum": ["pending", "accepted", "rejected"]], "created_at": ["type": "string"],
                        "profile": ["type": "object", "properties": ["display_name": ["type": "string"], "headline": ["type": "string"], "city": ["type": "string"],
                                                                     "country": ["type": "string"], "skills": ["type": "array", "items": ["type": "string"]],
                                                                     "available": ["type": "boolean"]]]]]
    }
    static var messageSchema: [String: Any] {
        ["type": "object", "required": ["id", "application_id", "sender_type", "body", "created_at"],
         "properties": ["id": ["type": "string"], "application_id": ["type": "string"], "sender_type": ["type": "string", "enum": ["agent", "human"]],
                        "sender_id": ["type": ["string", "null"]], "body": ["type": "string"], "created_at": ["type": "string"]]]
    }
    static var submissionSchema: [String: Any] {
        ["type": "object", "required": ["id", "task_id", "user_id", "deliverables", "status", "created_at"],
         "properties": ["id": ["type": "string"], "task_id": ["type": "string"], "application_id": ["type": ["string", "null"]], "user_id": ["type": "string"],
                        "deliverables": ["type": "object", "additionalProperties": ["type": "string"]], "note": ["type": ["string", "null"]],
                        "status": ["type": "string", "enum": ["pending", "approved", "revision_requested", "rejected", "declined"]],
                        "feedback": ["type": ["string", "null"]], "created_at": ["type": "string"]]]
    }

    /// The dialect's own document: its paths, the X-Task-Token scheme, the error shape.
    var document: [String: Any] {
        let main = OpenAPIDocument.json()
        let prefix = "/" + Self.prefix
        return ["openapi": "3.1.0",
                "info": ["title": "RequestHuman-compatible API (seed 002)", "version": (main["info"] as? [String: Any])?["version"] ?? ""],
                "servers": [["url": prefix]],
                "paths": Dictionary(uniqueKeysWithValues: openAPIPaths.map { (String($0.key.dropFirst(prefix.count)), $0.value) }),
                "components": ["securitySchemes": ["taskToken": ["type": "apiKey", "in": "header", "name": "X-Task-Token",
                                                                 "description": "The task_token the create answered (or task_token in the body)"]]]]
    }

    func documentResponse() throws -> Response {
        try DialectDocument.response(document)
    }
}
