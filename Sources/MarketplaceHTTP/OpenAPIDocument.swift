import Foundation
import Hummingbird
import LedgerCore
import Marketplace

/// The OpenAPI 3.1 description of every route, served at /openapi.json. A test checks that
/// it names exactly the routes the router serves.
public enum OpenAPIDocument {
    /// Every route the router registers, as (method, OpenAPI path).
    public static let routes: [(method: String, path: String)] = [
        ("get", "/healthz"),
        ("get", "/openapi.json"),
        ("get", "/v1/ledger/accounts"),
        ("get", "/v1/ledger/accounts/{account}"),
        ("get", "/v1/ledger/accounts/{account}/statement"),
        ("get", "/v1/ledger/verify"),
        ("post", "/v1/auth/register"),
        ("post", "/v1/auth/login"),
        ("post", "/v1/auth/refresh"),
        ("get", "/v1/auth/me"),
        ("get", "/v1/auth/check-email"),
        ("post", "/v1/keys"),
        ("get", "/v1/keys"),
        ("delete", "/v1/keys/{key}"),
    ]

    /// The document as a JSON object.
    public static var json: [String: Any] {
        [
            "openapi": "3.1.0",
            "info": ["title": "Task marketplace API", "version": "0.1.0",
                     "description": "Read-only ledger endpoints. Amounts are exact decimal strings with their minor-unit integers."],
            "paths": paths,
            "components": ["schemas": schemas.merging(authSchemas) { $1 },
                           "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer",
                                                          "description": "An access token from /v1/auth/login, or an API key sk_test_… / sk_live_…"]]],
        ]
    }

    static func response() -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static var paths: [String: Any] {
        let account: [String: Any] = ["name": "account", "in": "path", "required": true,
                                      "description": "Account id or chart-of-accounts code", "schema": ["type": "string"]]
        let limit: [String: Any] = ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1]]
        return [
            "/healthz": ["get": operation("health", "Liveness and mode", "Health")],
            "/openapi.json": ["get": ["operationId": "openapi", "summary": "This document",
                                      "responses": ["200": ["description": "OpenAPI 3.1 document"]]]],
            "/v1/ledger/accounts": ["get": operation("listAccounts", "Accounts with balances, in id order", "AccountList", parameters: [
                ["name": "asset", "in": "query", "schema": ["type": "string", "enum": Asset.allCodes]],
                ["name": "after", "in": "query", "schema": ["type": "integer"]], limit,
            ])],
            "/v1/ledger/accounts/{account}": ["get": operation("getAccount", "One account, now or as of a time", "Account", parameters: [
                account, ["name": "as_of", "in": "query", "schema": ["type": "string", "format": "date-time"]],
            ])],
            "/v1/ledger/accounts/{account}/statement": ["get": operation("getStatement", "An account's journal rows, oldest first", "Statement", parameters: [
                account, ["name": "cursor", "in": "query", "schema": ["type": "string"]], limit,
            ])],
            "/v1/ledger/verify": ["get": operation("verifyLedger", "Recompute balances and check the hash chain", "Verify")],
            "/v1/auth/register": ["post": operation("register", "Create a user", "User", body: "RegisterRequest", created: true)],
            "/v1/auth/login": ["post": operation("login", "Open a session: access token (15 min) and refresh token", "Session", body: "LoginRequest")],
            "/v1/auth/refresh": ["post": operation("refresh", "Trade a refresh token (single use) for a new session", "Session", body: "RefreshRequest")],
            "/v1/auth/me": ["get": operation("me", "The caller: user, mode, scopes, credential", "Me", secured: true)],
            "/v1/auth/check-email": ["get": operation("checkEmail", "Is this email free?", "EmailAvailability", parameters: [
                ["name": "email", "in": "query", "required": true, "schema": ["type": "string", "format": "email"]],
            ])],
            "/v1/keys": [
                "post": operation("createKey", "Create an API key; its secret is shown only here", "CreatedKey", body: "CreateKeyRequest", created: true, secured: true),
                "get": operation("listKeys", "The caller's keys, redacted", "KeyList", secured: true),
            ],
            "/v1/keys/{key}": ["delete": operation("revokeKey", "Revoke a key", "APIKey", parameters: [
                ["name": "key", "in": "path", "required": true, "schema": ["type": "string"]],
            ], secured: true)],
        ]
    }

    private static func operation(_ id: String, _ summary: String, _ schema: String, parameters: [[String: Any]] = [],
                                  body: String? = nil, created: Bool = false, secured: Bool = false) -> [String: Any] {
        let error: [String: Any] = ["description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
        var responses: [String: Any] = [created ? "201" : "200": ["description": "OK", "content": ["application/json": ["schema": envelope(schema)]]],
                                        "400": error, "404": error, "503": error]
        if secured { responses["401"] = error; responses["403"] = error }
        var operation: [String: Any] = ["operationId": id, "summary": summary, "parameters": parameters, "responses": responses]
        if let body {
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]]]
        }
        if secured { operation["security"] = [["bearer": [String]()]] }
        return operation
    }

    private static func envelope(_ schema: String) -> [String: Any] {
        ["type": "object", "required": ["success", "data"],
         "properties": ["success": ["const": true], "data": ["$ref": "#/components/schemas/\(schema)"]]]
    }

    private static var schemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let integer: [String: Any] = ["type": "integer"]
        let money: [String: Any] = ["type": "object", "required": ["amount", "amount_minor", "asset"],
                                    "properties": ["amount": ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"], "amount_minor": integer, "asset": string]]
        let moneyRef: [String: Any] = ["$ref": "#/components/schemas/Money"]
        return [
            "Money": money,
            "Health": ["type": "object", "properties": ["status": string, "mode": string]],
            "Balance": ["type": "object", "properties": Dictionary(uniqueKeysWithValues: [
                "posted", "available", "pending_outflows", "debits_posted", "credits_posted", "debits_pending", "credits_pending",
            ].map { ($0, moneyRef) })],
            "Account": ["type": "object", "properties": [
                "id": integer, "code": string, "type": ["type": "string", "enum": ["asset", "liability", "equity", "revenue", "expense"]],
                "asset": string, "constraints": ["type": "array", "items": string], "owner_kind": ["type": ["string", "null"]],
                "owner_id": ["type": ["string", "null"]], "created_at": ["type": "string", "format": "date-time"],
                "balance": ["$ref": "#/components/schemas/Balance"],
            ]],
            "AccountList": ["type": "array", "items": ["$ref": "#/components/schemas/Account"]],
            "Transfer": ["type": "object", "properties": [
                "seq": integer, "id": integer, "kind": ["type": "string", "enum": ["posted", "pending", "post_pending", "void_pending", "expired", "reversal"]],
                "debit_account_id": integer, "credit_account_id": integer, "money": moneyRef,
                "pending_id": ["type": ["integer", "null"]], "reverses_id": ["type": ["integer", "null"]], "timeout_seconds": integer,
                "code": integer, "timestamp": ["type": "string", "format": "date-time"], "metadata": ["type": ["string", "null"]], "hash": string,
            ]],
            "Statement": ["type": "object", "properties": [
                "account": ["$ref": "#/components/schemas/Account"], "has_more": ["type": "boolean"], "next_cursor": ["type": ["string", "null"]],
                "entries": ["type": "array", "items": ["type": "object", "properties": [
                    "side": ["type": "string", "enum": ["debit", "credit"]], "transfer": ["$ref": "#/components/schemas/Transfer"],
                ]]],
            ]],
            "Verify": ["type": "object", "properties": [
                "consistent": ["type": "boolean"], "transfers_checked": integer, "accounts_checked": integer,
                "commits_checked": integer, "holds_open": integer, "head": string, "fault": ["type": ["string", "null"]],
            ]],
            "Error": ["type": "object", "required": ["success", "error"], "properties": [
                "success": ["const": false],
                "error": ["type": "object", "required": ["code", "message"], "properties": [
                    "code": string, "message": string, "field": ["type": ["string", "null"]],
                ]],
            ]],
        ]
    }
}

extension OpenAPIDocument {
    static var authSchemas: [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let integer: [String: Any] = ["type": "integer"]
        let mode: [String: Any] = ["type": "string", "enum": ["test", "live"]]
        let scopes: [String: Any] = ["type": "array", "items": ["type": "string", "enum": Scope.allCases.map(\.rawValue)]]
        let user: [String: Any] = ["$ref": "#/components/schemas/User"]
        return [
            "User": ["type": "object", "properties": [
                "id": string, "email": string, "full_name": string, "role": ["type": "string", "enum": ["agent", "client", "human"]],
                "created_at": integer,
            ]],
            "RegisterRequest": ["type": "object", "required": ["email", "password", "full_name", "role"], "properties": [
                "email": ["type": "string", "format": "email"], "password": ["type": "string", "minLength": 8, "maxLength": 72],
                "full_name": ["type": "string", "maxLength": 200], "role": ["type": "string", "enum": ["agent", "client", "human"]],
            ]],
            "LoginRequest": ["type": "object", "required": ["email", "password"], "properties": ["email": string, "password": string, "mode": mode]],
            "RefreshRequest": ["type": "object", "required": ["refresh_token"], "properties": ["refresh_token": string]],
            "Session": ["type": "object", "properties": [
                "access_token": string, "refresh_token": string, "token_type": string, "expires_in": integer, "mode": mode, "user": user,
            ]],
            "Me": ["type": "object", "properties": ["user": user, "mode": mode, "scopes": scopes, "credential": string]],
            "EmailAvailability": ["type": "object", "properties": ["email": string, "available": ["type": "boolean"]]],
            "CreateKeyRequest": ["type": "object", "required": ["name", "scopes", "mode"], "properties": [
                "name": ["type": "string", "maxLength": 100], "scopes": scopes, "mode": mode,
            ]],
            "APIKey": ["type": "object", "properties": [
                "id": string, "name": string, "mode": mode, "scopes": scopes, "redacted": string, "created_at": integer,
                "revoked_at": ["type": ["integer", "null"]],
            ]],
            "KeyList": ["type": "array", "items": ["$ref": "#/components/schemas/APIKey"]],
            "CreatedKey": ["type": "object", "properties": ["key": ["$ref": "#/components/schemas/APIKey"], "secret": string]],
        ]
    }
}

extension Asset {
    static var allCodes: [String] { all.map(\.code) }
}
