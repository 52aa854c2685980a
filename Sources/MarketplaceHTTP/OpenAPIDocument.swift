import Foundation
import Hummingbird
import LedgerCore

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
    ]

    /// The document as a JSON object.
    public static var json: [String: Any] {
        [
            "openapi": "3.1.0",
            "info": ["title": "Task marketplace API", "version": "0.1.0",
                     "description": "Read-only ledger endpoints. Amounts are exact decimal strings with their minor-unit integers."],
            "paths": paths,
            "components": ["schemas": schemas],
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
        ]
    }

    private static func operation(_ id: String, _ summary: String, _ schema: String, parameters: [[String: Any]] = []) -> [String: Any] {
        let error: [String: Any] = ["description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
        return [
            "operationId": id, "summary": summary, "parameters": parameters,
            "responses": [
                "200": ["description": "OK", "content": ["application/json": ["schema": envelope(schema)]]],
                "400": error, "404": error, "503": error,
            ],
        ]
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

extension Asset {
    static var allCodes: [String] { all.map(\.code) }
}
