import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Marketplace
import Testing
@testable import MarketplaceHTTP
import MarketplaceServer

/// Every route that can carry a body reads it strictly, over the router's own route list (a
/// new route is swept too): a body the route accepts in shape plus one field it does not take
/// is 400 VALIDATION_ERROR naming that field, before anything is looked up or written. Routes
/// that take no body refuse any field the same way rather than dropping it.
struct StrictBodyRoutesTests {
    /// A body of the right shape for each route that takes fields (the domain may still refuse
    /// it); a route not named here takes no fields, and gets `{"zz_unknown":1}` alone.
    static let bodies: [String: String] = [
        "POST /v1/auth/register": #"{"email":"sweep@example.com","password":"long enough","full_name":"S","role":"agent"}"#,
        "POST /v1/auth/login": #"{"email":"agent@example.com","password":"correct horse"}"#,
        "POST /v1/auth/refresh": #"{"refresh_token":"r"}"#,
        "POST /v1/agents/register": #"{"name":"Sweep","email":"sweep-agent@example.com"}"#,
        "POST /v1/keys": #"{"name":"k","scopes":["tasks:read"],"mode":"test"}"#,
        "POST /v1/tasks": #"{"title":"t","description":"d","category":"research","budget":{"amount":"1","currency":"USD"}}"#,
        "PATCH /v1/tasks/{task}": #"{"title":"t"}"#,
        "POST /v1/tasks/{task}/submissions": #"{"deliverables":[{"kind":"text","value":"v"}]}"#,
        "POST /v1/tasks/{task}/request-revision": #"{"feedback":"f"}"#,
        "POST /v1/tasks/{task}/reject": #"{"reason":"r"}"#,
        "POST /v1/tasks/{task}/disputes": #"{"reason":"r"}"#,
        "POST /v1/tasks/{task}/messages": #"{"body":"b"}"#,
        "POST /v1/wallet/deposits": #"{"amount":"1.00","currency":"USD"}"#,
        "POST /v1/wallet/withdrawals": #"{"amount":"1.00","currency":"USD"}"#,
        "PUT /v1/profile": #"{"display_name":"n"}"#,
        "POST /v1/admin/disputes/{dispute}/resolve": #"{"to_worker":"1","resolution":"r"}"#,
        "POST /v1/admin/workers/{user}/verify": #"{"verified":true}"#,
        "PUT /v1/payout-account": #"{"account_id":"acct_1Worker"}"#,
        "POST /v1/deposit-addresses": #"{"address":"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"}"#,
        "POST /v1/webhooks": #"{"url":"http://127.0.0.1:9/hooks","events":["*"]}"#,
        "POST /v1/finance/periods": #"{"period":"2026-11"}"#,
        "POST /v1/finance/corrections": #"{"transfer_id":1,"reason":"r"}"#,
        "POST /v1/services": #"{"title":"s","description":"d","category":"research","price":{"amount":"5","currency":"USD"},"delivery_days":1}"#,
        "PATCH /v1/services/{service}": #"{"title":"t"}"#,
        "POST /v1/services/{service}/orders": #"{"hours":1}"#,
        "POST /v1/orders/{order}/prepare-payment": #"{"amount":"1.00"}"#,
        "POST /compat/gohirehumans/auth/register": #"{"email":"g@example.com","password":"long enough","full_name":"G","role":"ai_client"}"#,
        "POST /compat/gohirehumans/auth/login": #"{"email":"g@example.com","password":"long enough"}"#,
        "POST /compat/gohirehumans/api/v1/tasks": #"{"title":"t","description":"d","category":"research","location_type":"remote","budget_amount":5,"budget_type":"fixed"}"#,
        "POST /compat/gohirehumans/api/v1/jobs": #"{"title":"t","description":"d","category":"research","location_type":"remote","budget_amount":5,"budget_type":"fixed"}"#,
        "POST /compat/gohirehumans/api/v1/payments/checkout": #"{"task_id":"t","amount":1,"success_url":"https://a.example/ok","cancel_url":"https://a.example/no"}"#,
        "POST /compat/humanops/api/v1/agents/register": #"{"name":"n","email":"n@example.com"}"#,
        "POST /compat/humanops/api/v1/tasks": #"{"title":"t","description":"d","task_type":"PHOTO","reward_usd":5}"#,
        "POST /compat/humans2ai/api/v1/public/auth/register": #"{"email":"h2a@example.com","password":"long enough","displayName":"S"}"#,
        "POST /compat/humans2ai/api/v1/public/auth/login": #"{"email":"agent@example.com","password":"correct horse"}"#,
        "POST /compat/humans2ai/api/v1/public/auth/refresh": #"{"refreshToken":"r"}"#, "POST /compat/humans2ai/api/v1/public/check-email": #"{"email":"a@example.com"}"#,
        "POST /compat/humans2ai/api/v1/tasks": #"{"title":"t","description":"d","category":"research","budget":1}"#,
        "POST /compat/humans2ai/api/v1/tasks/{task}/select": #"{"applicationId":"a"}"#, "POST /compat/humans2ai/api/v1/tasks/{task}/submit": #"{"proof":"p"}"#,
        "POST /compat/humans2ai/api/v1/tasks/{task}/reject": #"{"reason":"r"}"#, "POST /compat/humans2ai/api/v1/tasks/{task}/dispute": #"{"reason":"r"}"#,
        "POST /compat/humans2ai/api/v1/tasks/{task}/messages": #"{"content":"c"}"#, "PATCH /compat/humans2ai/api/v1/notifications": #"{"all":true}"#,
        "POST /compat/humans2ai/api/v1/api-keys": #"{"name":"k"}"#, "POST /compat/humans2ai/api/v1/webhooks": #"{"url":"http://127.0.0.1:9/hooks"}"#,
        "POST /compat/requesthuman/api/tasks": #"{"title":"t","description":"d","price":5}"#,
        "POST /compat/gohirehumans/api/v1/payments/prepare-order-payment": #"{"order_id":1,"amount":7}"#,
        "PATCH /compat/requesthuman/api/tasks/{task}": #"{"status":"completed"}"#,
        "PATCH /compat/requesthuman/api/tasks/{task}/applications/{application}": #"{"status":"accepted"}"#,
        "POST /compat/requesthuman/api/tasks/{task}/applications/{application}/messages": #"{"body":"b"}"#,
        "PATCH /compat/requesthuman/api/tasks/{task}/submissions": #"{"submission_id":"s","status":"approved"}"#,
    ]

    /// Routes whose bodies are not API request bodies: Stripe's signed events are Stripe's
    /// shape, and MCP is JSON-RPC whose tool arguments MarketplaceMCP checks against each
    /// tool's schema (unknown arguments refused there, see ToolArgumentsTests).
    static let exempt: Set<String> = ["POST /v1/connectors/{connector}/webhook", "POST /v1/mcp", "DELETE /v1/mcp",
                                      "POST /compat/humanops/mcp", "DELETE /compat/humanops/mcp",
                                      "POST /compat/gohirehumans/mcp", "DELETE /compat/gohirehumans/mcp",
                                      "POST /compat/requesthuman/mcp", "DELETE /compat/requesthuman/mcp",
                                      "POST /compat/humans2ai/api/v1/mcp", "DELETE /compat/humans2ai/api/v1/mcp"]
    /// Routes that require an Idempotency-Key (others that answer with a secret refuse one).
    static let keyed: Set<String> = ["POST /v1/wallet/deposits", "POST /v1/wallet/withdrawals", "POST /v1/finance/corrections"]

    @Test func everyRouteRefusesAFieldItDoesNotTakeAndWritesNothing() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        let writes: [HTTPRequest.Method] = [.post, .put, .patch, .delete]
        let routes = router.routes.filter { writes.contains($0.method) }.map(\.openAPIName).filter { !Self.exempt.contains($0) }
        #expect(Set(Self.bodies.keys).isSubset(of: Set(routes)), "bodies for routes not served: \(Set(Self.bodies.keys).subtracting(routes))")

        try await Application(router: router).test(.router) { client in
            let agent = try await client.session("agent@example.com")
            let admin = try await test.adminToken("admin@example.com")
            let before = try TestDatabase.snapshot(test.path)
            for (index, name) in routes.sorted().enumerated() {
                let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
                // Ids that name nothing: the body must be refused before any lookup.
                let path = parts[1].replacingOccurrences(of: #"\{[a-z]+\}"#, with: "1", options: .regularExpression)
                let token = path.hasPrefix("/v1/admin") || path.hasPrefix("/v1/finance") ? admin : agent
                let valid = Self.bodies[name] ?? "{}"
                let json = valid == "{}" ? #"{"zz_unknown":1}"# : valid.dropLast() + #","zz_unknown":1}"#
                let (status, body) = try await client.send(HTTPRequest.Method(parts[0])!, path, token: token, json: json,
                                                           idempotencyKey: Self.keyed.contains(name) ? "sweep-\(index)" : nil)
                #expect(status == .badRequest, "\(name): \(status) \(body)")
                if path.hasPrefix("/compat/requesthuman/") {
                    // Seed 002's refusal: {"success": false, "error": "…"}, the message naming the field.
                    #expect((body["error"] as? String)?.contains("zz_unknown") == true, "\(name): \(body)")
                    continue
                }
                #expect(errorCode(body) == "VALIDATION_ERROR", "\(name): \(body)")
                #expect(errorField(body) == "zz_unknown", "\(name): \(body)")
            }
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }

    /// The document says so: every object a request body describes is closed, so that a client
    /// generated from it (or schemathesis) does not send fields the server refuses; and the
    /// X-API-Key header is a security scheme.
    @Test func theOpenAPIDocumentClosesEveryRequestBody() async throws {
        let test = try await TestServices()
        defer { test.close() }
        // With the dialects' paths, as /openapi.json serves them.
        let document = OpenAPIDocument.json(mounts: serverMounts(services: test.services, mode: "test", rateLimits: .unlimited))
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let apiKey = (components["securitySchemes"] as? [String: Any])?["apiKey"] as? [String: Any]
        #expect(apiKey?["in"] as? String == "header" && apiKey?["name"] as? String == "X-API-Key")
        var checked = 0
        for case let (path, operations as [String: Any]) in document["paths"] as? [String: Any] ?? [:] {
            for case let (method, operation as [String: Any]) in operations where !Self.exempt.contains("\(method.uppercased()) \(path)") {
                let json = ((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any]
                guard let schema = json?["schema"] as? [String: Any] else { continue }
                // A component by reference, or a dialect's schema written in place.
                let name = (schema["$ref"] as? String).map { String($0.split(separator: "/").last ?? "") } ?? (operation["operationId"] as? String ?? "?")
                let open = Self.openObjects(in: schema["$ref"] == nil ? schema : try #require(schemas[name], "\(name)"), at: name)
                #expect(open.isEmpty, "request bodies that take any field: \(open)")
                checked += 1
            }
        }
        #expect(checked >= Self.bodies.count)
    }

    /// The paths of objects under `schema` that do not refuse extra properties.
    static func openObjects(in schema: Any, at path: String) -> [String] {
        guard let object = schema as? [String: Any] else { return [] }
        var open: [String] = []
        if let properties = object["properties"] as? [String: Any] {
            if object["additionalProperties"] as? Bool != false { open.append(path) }
            for (name, property) in properties { open += openObjects(in: property, at: path + "." + name) }
        }
        if let items = object["items"] { open += openObjects(in: items, at: path + "[]") }
        return open
    }
}
