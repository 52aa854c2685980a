import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Marketplace
import Testing
@testable import MarketplaceHTTP
import MarketplaceServer

/// The contract: what the server answers is what /openapi.json says, for every route, the
/// mounts' included (405 with Allow, Location on a 201, security, Idempotency-Key, required
/// lists, every status a route sends).
@Suite struct ContractTests {
    /// The document as the server serves it, with the mounts `serve` adds.
    private func document(_ test: TestServices) -> [String: Any] {
        OpenAPIDocument.json(mounts: serverMounts(services: test.services, mode: "test", rateLimits: .unlimited))
    }

    /// Every operation as (method, path, operation).
    private func operations(_ document: [String: Any]) -> [(method: String, path: String, operation: [String: Any])] {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return paths.flatMap { path, item in
            item.compactMap { method, operation in (operation as? [String: Any]).map { (method, path, $0) } }
        }.sorted { "\($0.path) \($0.method)" < "\($1.path) \($1.method)" }
    }

    private func responses(_ operation: [String: Any]) -> [String: [String: Any]] {
        operation["responses"] as? [String: [String: Any]] ?? [:]
    }

    @Test func aWrongMethodOnAKnownPathIs405WithAllow() async throws {
        try await withApp { client, _ in
            for (method, path, allow) in [(HTTPRequest.Method.delete, "/v1/tasks", "GET, HEAD, POST"), (.put, "/v1/tasks/tsk_unknown", "GET, HEAD, PATCH"),
                                          (.get, "/v1/wallet/deposits", "POST"), (.post, "/healthz", "GET, HEAD"),
                                          (.get, "/v1/webhooks/callback-secret", "POST"), (.options, "/v1/webhooks/wh_1", "DELETE, PATCH")] {
                try await client.execute(uri: path, method: method) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                    #expect(response.headers[HTTPField.Name("Allow")!] == allow, "\(method) \(path)")
                    let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
                    #expect(body["success"] as? Bool == false)
                    #expect(errorCode(body) == "METHOD_NOT_ALLOWED")
                    #expect(errorField(body) == "method")
                }
            }
            // A key on a method the path does not serve is not claimed: 405, not the key's 400 or 409.
            let owner = try await client.session("keyed@example.com")
            for key in ["same", "same", String(repeating: "k", count: 300)] {
                let (status, body) = try await client.send(.put, "/v1/wallet/deposits", token: owner, json: #"{"amount":"1.00","currency":"USD"}"#, idempotencyKey: key)
                #expect(status == .methodNotAllowed && errorCode(body) == "METHOD_NOT_ALLOWED", "key \(key.prefix(8))")
            }
            try await client.execute(uri: "/v1/not-a-route", method: .delete) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[HTTPField.Name("Allow")!] == nil)
            }
        }
    }

    @Test func aCreatedAnswerCarriesTheCreatedResourcesLocation() async throws {
        try await withApp { client, _ in
            let owner = try await client.session("owner@example.com")
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(owner)"
            headers[.contentType] = "application/json"
            headers[HTTPField.Name("Idempotency-Key")!] = "post-1"
            let task = ByteBuffer(string: #"{"title":"Located","description":"d","category":"research","budget":{"amount":"10","currency":"USD"}}"#)
            let first = try await client.execute(uri: "/v1/tasks", method: .post, headers: headers, body: task) { response in
                let id = try #require(data(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])["id"] as? String)
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/v1/tasks/\(id)")
                return id
            }
            // The stored answer, replayed under the same key, carries it too.
            try await client.execute(uri: "/v1/tasks", method: .post, headers: headers, body: task) { response in
                #expect(response.status == .created)
                #expect(response.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
                #expect(response.headers[.location] == "/v1/tasks/\(first)")
            }
            let (status, task2) = try await client.send(.get, "/v1/tasks/\(first)", token: owner)
            #expect(status == .ok && data(task2)["id"] as? String == first)
            headers[HTTPField.Name("Idempotency-Key")!] = nil
            try await client.execute(uri: "/v1/webhooks", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"url":"https://hooks.example.com/in","events":["*"]}"#)) { response in
                let id = try #require(data(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])["id"] as? String)
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/v1/webhooks/\(id)")
            }
            try await client.execute(uri: "/v1/auth/register", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"email":"new@example.com","password":"correct horse","full_name":"N","role":"agent"}"#)) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/v1/auth/me")
            }
        }
    }

    /// Protected is what the server does: a route that answers 401 to a request without credentials.
    @Test func everyProtectedOperationDeclaresSecurityAnd401And403() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let document = document(test)
        let router = test.serverRouter
        let byName = Dictionary(uniqueKeysWithValues: operations(document).map { ("\($0.method.uppercased()) \($0.path)", $0.operation) })
        let routes = router.routes.map { (name: $0.openAPIName, method: $0.method) }
        let protected = try await Application(router: router).test(.router) { client in
            var protected: [String] = []
            for route in routes {
                let path = route.name.split(separator: " ", maxSplits: 1)[1].replacingOccurrences(of: #"\{[a-z_]+\}"#, with: "x", options: .regularExpression)
                let status = try await client.execute(uri: path, method: route.method, headers: [.contentType: "application/json"],
                                                      body: ByteBuffer(string: "{}")) { $0.status }
                if status == .unauthorized { protected.append(route.name) }
            }
            return protected
        }
        #expect(protected.count > 60)
        #expect(protected.contains("GET /v1/ledger/accounts") && protected.contains("GET /v1/ledger/verify"))
        for name in protected {
            let operation = try #require(byName[name], "\(name) is not documented")
            #expect(OpenAPIDocument.isSecured(operation), "\(name) declares no security")
            #expect(responses(operation)["401"] != nil && responses(operation)["403"] != nil, "\(name) lacks 401 or 403")
        }
    }

    /// A write whose answer holds a secret (a session, a key, a signing secret, a task token)
    /// refuses an Idempotency-Key, so the secret is never stored for a replay, and writes nothing.
    @Test func everyWriteThatAnswersASecretRefusesAnIdempotencyKey() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        let served = Set(router.routes.map(\.openAPIName))
        #expect(IdempotencyMiddleware.secretWrites.isSubset(of: served), "not served: \(IdempotencyMiddleware.secretWrites.subtracting(served))")
        try await Application(router: router).test(.router) { client in
            let agent = try await client.session("agent@example.com")
            let before = try TestDatabase.snapshot(test.path)
            for name in IdempotencyMiddleware.secretWrites.sorted() + ["POST /v1/mcp", "POST /compat/humanops/mcp"] {
                let path = String(name.split(separator: " ")[1])
                let json = StrictBodyRoutesTests.bodies[name] ?? (path.hasSuffix("/mcp") ? #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"# : "{}")
                let (status, body) = try await client.send(.post, path, token: agent, json: json, idempotencyKey: "secret-\(name)")
                #expect(status == .badRequest, "\(name): \(status) \(body)")
                let named = errorField(body) == "idempotency_key" || (body["error"] as? String)?.contains("Idempotency-Key") == true
                #expect(named, "\(name): \(body)")
            }
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }

    @Test func everyWriteThatTakesAnIdempotencyKeyDeclaresIt() async throws {
        let test = try await TestServices()
        defer { test.close() }
        var keyed = 0
        for (method, path, operation) in operations(document(test)) where OpenAPIDocument.writeMethods.contains(method) {
            let name = "\(method.uppercased()) \(path)"
            let parameters = operation["parameters"] as? [[String: Any]] ?? []
            let declared = parameters.contains { $0["name"] as? String == "Idempotency-Key" && $0["in"] as? String == "header" }
            // The routes that answer with a secret refuse a key (the answer is never stored).
            #expect(declared == !(OpenAPIDocument.unkeyedWrites.contains(name) || path.hasSuffix("/mcp")), "\(name)")
            if declared {
                keyed += 1
                #expect(responses(operation)["409"] != nil, "\(name) lacks 409")
                #expect(responses(operation).values.allSatisfy { ($0["headers"] as? [String: Any])?["Idempotent-Replayed"] != nil }, "\(name)")
            }
        }
        #expect(keyed > 40)
        // The server refuses a key where the document declares none.
        try await withApp { client, _ in
            let (status, body) = try await client.send(.post, "/v1/auth/register", json: #"{"email":"k@example.com","password":"correct horse","full_name":"K","role":"agent"}"#,
                                                       idempotencyKey: "k")
            #expect(status == .badRequest && errorField(body) == "idempotency_key")
        }
    }

    @Test func everyObjectSchemaHasARequiredList() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let components = try #require((document(test)["components"] as? [String: Any])?["schemas"] as? [String: Any])
        var missing: [String] = []
        var objects = 0
        func walk(_ schema: Any, _ at: String) {
            if let object = schema as? [String: Any] {
                if object["properties"] != nil {
                    objects += 1
                    if object["required"] as? [String] == nil { missing.append(at) }
                }
                for (key, value) in object { walk(value, "\(at)/\(key)") }
            } else if let array = schema as? [Any] {
                for (index, value) in array.enumerated() { walk(value, "\(at)/\(index)") }
            }
        }
        for (name, schema) in components { walk(schema, name) }
        #expect(objects > 70)
        #expect(missing.isEmpty, "object schemas without required: \(missing.sorted())")
        // An answer's own fields are required where the server always sends them.
        let task = try #require(components["Task"] as? [String: Any])
        #expect(Set(task["required"] as? [String] ?? []).isSuperset(of: ["id", "budget"]))
        // GET /v1/webhooks answers an array in data, as the document now says.
        #expect((components["WebhookEndpointList"] as? [String: Any])?["type"] as? String == "array")
        try await withApp { client, _ in
            let owner = try await client.session("hooks@example.com")
            _ = try await client.send(.post, "/v1/webhooks", token: owner, json: #"{"url":"https://hooks.example.com/in","events":["*"]}"#)
            let (_, body) = try await client.send(.get, "/v1/webhooks", token: owner)
            #expect((body["data"] as? [[String: Any]])?.count == 1)
        }
    }

    /// The statuses a route's own code sends beside its result, each documented with its schema.
    @Test func eachStatusARouteSendsIsDocumented() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let document = document(test)
        let byID = Dictionary(uniqueKeysWithValues: operations(document).compactMap { entry in
            (entry.operation["operationId"] as? String).map { ($0, entry) }
        })
        let sent: [String: [String]] = [
            "fundTask": ["200", "202", "402", "409", "502", "503"], "acceptApplication": ["402", "409"], "withdraw": ["201", "402", "409"],
            "fundMilestone": ["402"], "createTask": ["201", "402", "422", "429"], "approve": ["402", "409"], "openCheckout": ["303"],
            "listAccounts": ["401", "403"], "verifyLedger": ["401", "403"], "login": ["401", "429"], "register": ["201", "409", "429"],
        ]
        for (id, statuses) in sent {
            let operation = try #require(byID[id], "\(id)").operation
            for status in statuses { #expect(responses(operation)[status] != nil, "\(id) does not document \(status)") }
        }
        for (method, path, operation) in operations(document) {
            let name = "\(method.uppercased()) \(path)"
            let answers = responses(operation)
            let limited = try #require(answers["429"], "\(name) lacks 429")
            #expect((limited["headers"] as? [String: Any])?["Retry-After"] != nil, "\(name): 429 without Retry-After")
            for (status, response) in answers {
                let headers = response["headers"] as? [String: Any] ?? [:]
                #expect(headers["Request-Id"] != nil && headers["X-RateLimit-Limit"] != nil, "\(name) \(status) lacks Request-Id or X-RateLimit-*")
                if status == "201" { #expect(headers["Location"] != nil, "\(name): 201 without Location") }
                if !path.hasSuffix("/mcp"), Int(status).map({ $0 >= 400 }) == true {
                    #expect(response["content"] != nil, "\(name) \(status) has no schema")
                }
            }
        }
        let fund = try #require(byID["fundTask"]).operation
        #expect((responses(fund)["402"]?["headers"] as? [String: Any])?["PAYMENT-REQUIRED"] != nil)
        #expect((responses(fund)["202"]?["headers"] as? [String: Any])?["PAYMENT-RESPONSE"] != nil)
        func content(_ id: String) -> Set<String> { Set(((responses(byID[id]?.operation ?? [:])["200"]?["content"]) as? [String: Any] ?? [:]).keys) }
        #expect(content("financeJournal") == ["text/plain"])
        #expect(content("financeHTML") == ["text/html"])
        #expect(content("financeReport") == ["application/json", "text/csv"])
        let info = try #require(document["info"] as? [String: Any])
        #expect(info["version"] as? String == ReleaseVersion.current)
        try await withApp { client, _ in
            let (_, platform) = try await client.send(.get, "/v1/platform")
            #expect(data(platform)["version"] as? String == ReleaseVersion.current)
        }
    }
}
