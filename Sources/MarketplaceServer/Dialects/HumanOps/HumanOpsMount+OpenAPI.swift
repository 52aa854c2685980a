import Foundation
import Hummingbird
import MarketplaceHTTP

extension HumanOpsMount {
    /// The dialect's paths, in /openapi.json beside /v1's and alone at
    /// /compat/humanops/openapi.json (for a client generated against the HumanOps API).
    public var openAPIPaths: [String: Any] {
        let secured: [[String: [String]]] = [["apiKey": []], ["bearer": []]]
        let task: [String: Any] = ["name": "task", "in": "path", "required": true, "schema": ["type": "string"]]
        let taskAnswer: [String: Any] = ["application/json": ["schema": Self.taskSchema]]
        let error: [String: Any] = ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]
        func refusals(_ codes: [String]) -> [String: Any] {
            Dictionary(uniqueKeysWithValues: codes.map { ($0, ["description": Self.refusal[$0] ?? "Refused", "content": error] as [String: Any]) })
        }
        let base = "/" + Self.base
        return [
            "/compat/humanops/openapi.json": ["get": ["operationId": "humanopsOpenAPI", "tags": ["HumanOps"], "summary": "This dialect's own OpenAPI document",
                                                      "responses": ["200": ["description": "The document", "content": ["application/json": ["schema": ["type": "object"]]]]]]],
            base + "/agents/register": ["post": [
                "operationId": "humanopsRegisterAgent", "tags": ["HumanOps"], "summary": "An agent account and its test-mode API key, shown once",
                "requestBody": ["required": true, "content": ["application/json": ["schema": Self.registerSchema]]],
                "responses": refusals(["400", "409", "429"]).merging(["201": ["description": "Registered", "content": ["application/json": ["schema": Self.registeredSchema]]]]) { $1 },
            ]],
            base + "/tasks": [
                "post": ["operationId": "humanopsPostTask", "tags": ["HumanOps"], "security": secured,
                         "summary": "Posts a task with its escrow in the same commit (test mode: funded by the test connector, done by a mock operator)",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": Self.createSchema]]],
                         "responses": refusals(["400", "401", "402", "403", "422", "429"]).merging(["201": ["description": "Posted and funded", "content": taskAnswer]]) { $1 }],
                "get": ["operationId": "humanopsListTasks", "tags": ["HumanOps"], "security": secured, "summary": "The caller's tasks, newest first",
                        "parameters": [["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
                                       ["name": "cursor", "in": "query", "schema": ["type": "string"]]],
                        "responses": refusals(["400", "401", "429"]).merging(["200": ["description": "A page", "content": ["application/json": ["schema": Self.listSchema]]]]) { $1 }],
            ],
            base + "/tasks/{task}": ["get": [
                "operationId": "humanopsCheckStatus", "tags": ["HumanOps"], "security": secured, "parameters": [task], "summary": "A task and its status",
                "responses": refusals(["401", "404", "429"]).merging(["200": ["description": "The task", "content": taskAnswer]]) { $1 },
            ]],
            base + "/tasks/{task}/cancel": ["post": [
                "operationId": "humanopsCancelTask", "tags": ["HumanOps"], "security": secured, "parameters": [task],
                "summary": "Cancels a task not yet accepted or in progress; its escrow goes back in full",
                "responses": refusals(["400", "401", "404", "409", "429"]).merging(["200": ["description": "Cancelled", "content": taskAnswer]]) { $1 },
            ]],
        ]
    }

    static let refusal = ["400": "A field is missing or malformed (the error names it)", "401": "No or bad API key",
                          "402": "INSUFFICIENT_BALANCE: the wallet does not cover the reward and the fee", "403": "The key lacks the scope",
                          "404": "No such task of the caller's", "409": "The task's status does not allow it, or the email is taken",
                          "422": "A field's value is refused (the error names it)", "429": "Too many requests"]

    static var registerSchema: [String: Any] { [
        "type": "object", "additionalProperties": false, "required": ["name", "email"],
        "properties": ["name": ["type": "string"], "email": ["type": "string"], "password": ["type": "string"]],
    ] }
    static var registeredSchema: [String: Any] { [
        "type": "object", "required": ["agent_id", "name", "email", "api_key", "mode"],
        "properties": ["agent_id": ["type": "string"], "name": ["type": "string"], "email": ["type": "string"],
                       "api_key": ["type": "string", "description": "Shown in this answer only"], "mode": ["type": "string", "enum": ["test"]]],
    ] }
    static var createSchema: [String: Any] { [
        "type": "object", "additionalProperties": false, "required": ["title", "description", "task_type", "reward_usd"],
        "properties": [
            "title": ["type": "string"], "description": ["type": "string"],
            "task_type": ["type": "string", "description": "PHOTO, VIDEO, DELIVERY, INSPECTION, VERIFICATION, ERRAND, RESEARCH; any other is category other"],
            "location": ["type": "object", "additionalProperties": false, "required": ["lat", "lng"],
                         "properties": ["lat": ["type": "number"], "lng": ["type": "number"], "address": ["type": "string"]]],
            "reward_usd": ["oneOf": [["type": "number"], ["type": "string"]], "description": "Exact decimal; the fee is charged on top"],
            "deadline": ["type": "string", "format": "date-time"],
            "proof_requirements": ["type": "array", "items": ["type": "string"]],
        ],
    ] }
    static var taskSchema: [String: Any] { [
        "type": "object",
        "required": ["task_id", "title", "description", "reward_usd", "currency", "proof_requirements", "status", "escrow_status", "test_mode", "created_at", "updated_at"],
        "properties": [
            "task_id": ["type": "string"], "title": ["type": "string"], "description": ["type": "string"], "task_type": ["type": "string"],
            "location": ["type": "object", "required": ["lat", "lng"],
                         "properties": ["lat": ["type": "number"], "lng": ["type": "number"], "address": ["type": "string"]]],
            "reward_usd": ["type": "number"], "currency": ["type": "string"], "deadline": ["type": "string", "format": "date-time"],
            "proof_requirements": ["type": "array", "items": ["type": "string"]],
            "status": ["type": "string", "enum": ["POSTED", "ACCEPTED", "PROOF_SUBMITTED", "REVISION_REQUESTED", "VERIFIED", "PAID", "CANCELLED", "EXPIRED", "DISPUTED", "RESOLVED"]],
            "escrow_status": ["type": "string", "enum": ["unfunded", "pending", "funded", "refunded", "released"]],
            "test_mode": ["type": "boolean"], "created_at": ["type": "string"], "updated_at": ["type": "string"], "refunded": ["type": "boolean"],
        ],
    ] }
    static var listSchema: [String: Any] {
        ["type": "object", "required": ["tasks", "has_more"],
         "properties": ["tasks": ["type": "array", "items": Self.taskSchema], "has_more": ["type": "boolean"],
                        "next_cursor": ["type": "string"]]]
    }

    /// The dialect's own document: its paths, its task schema, the error envelope.
    var document: [String: Any] { DialectDocument.document(title: "HumanOps-compatible API (seed 003)", base: "/compat/humanops", paths: openAPIPaths) }
}
