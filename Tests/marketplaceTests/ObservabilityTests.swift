import AsyncHTTPClient
import NIOHTTP1
import Foundation
import NIOCore
import Testing

/// What the running server tells an operator: /metrics counts every request by route, method
/// and status exactly, a request id goes from the client into the answer and the log line, and
/// /readyz says whether to send traffic.
struct ObservabilityTests {
    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    }

    /// A server with metrics public, and the requests a test made: (method route status) → count.
    final class Site: @unchecked Sendable {
        let base: String
        var made: [String: Int] = [:]

        init(base: String) { self.base = base }

        func send(_ method: HTTPMethod, _ path: String, route: String, token: String? = nil, json: String? = nil,
                  headers: [(String, String)] = []) async throws -> Answer {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let json {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: json))
            }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            let body = try await response.body.collect(upTo: 1 << 22)
            made["\(method.rawValue) \(route) \(response.status.code)", default: 0] += 1
            return Answer(status: Int(response.status.code), headers: Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }) { $1 },
                          body: String(buffer: body))
        }
    }

    @Test func metricsCountEveryRequestOfALifecycleAndARequestIdRoundTrips() async throws {
        let db = CommandRunner.temporaryPath("metrics") + ".sqlite"
        let log = CommandRunner.temporaryPath("metrics") + ".log"
        let server = try ServeProcess(db: db, port: try CommandRunner.freePort(), environment: ["MARKETPLACE_METRICS": "public"], log: log)
        defer { server.stop() }
        try await server.waitUntilUp()
        let site = Site(base: server.base)
        site.made = [:]  // waitUntilUp's /healthz probes are counted by the server; compared below apart

        var tokens: [String] = []
        for (email, role) in [("agent@example.com", "agent"), ("human@example.com", "human")] {
            _ = try await site.send(.POST, "/v1/auth/register", route: "/v1/auth/register",
                                    json: #"{"email":"\#(email)","password":"correct horse","full_name":"A","role":"\#(role)"}"#)
            let login = try await site.send(.POST, "/v1/auth/login", route: "/v1/auth/login", json: #"{"email":"\#(email)","password":"correct horse"}"#)
            tokens.append(try #require(login.data["access_token"] as? String))
        }
        let (agent, human) = (tokens[0], tokens[1])
        _ = try await site.send(.POST, "/v1/wallet/deposits", route: "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#,
                                headers: [("Idempotency-Key", "d1")])
        let task = try #require(try await site.send(.POST, "/v1/tasks", route: "/v1/tasks", token: agent,
                                                    json: #"{"title":"Count the chairs","description":"Room 4","category":"research","budget":{"amount":"10.00","currency":"USD"}}"#).data["id"] as? String)
        _ = try await site.send(.POST, "/v1/tasks/\(task)/fund", route: "/v1/tasks/{task}/fund", token: agent)
        let application = try #require(try await site.send(.POST, "/v1/tasks/\(task)/applications", route: "/v1/tasks/{task}/applications",
                                                           token: human, json: #"{"message":"Me"}"#).data["id"] as? String)
        _ = try await site.send(.POST, "/v1/tasks/\(task)/applications/\(application)/accept", route: "/v1/tasks/{task}/applications/{application}/accept", token: agent)
        _ = try await site.send(.POST, "/v1/tasks/\(task)/approve", route: "/v1/tasks/{task}/approve", token: agent)
        _ = try await site.send(.GET, "/v1/tasks/\(task)", route: "/v1/tasks/{task}", token: agent)
        _ = try await site.send(.GET, "/v1/tasks/tsk_missing", route: "/v1/tasks/{task}", token: agent)  // a 404 counts under its route

        // A client's request id comes back, in the error envelope too, and is in the log line.
        let traced = try await site.send(.GET, "/v1/wallet", route: "/v1/wallet", headers: [("Request-Id", "ticket-4711")])
        #expect(traced.status == 401)
        #expect(traced.headers["request-id"] == "ticket-4711")
        #expect(traced.json["request_id"] as? String == "ticket-4711")
        let minted = try await site.send(.GET, "/healthz", route: "/healthz")
        #expect(minted.headers["request-id"]?.hasPrefix("req_") == true)
        // An id that is not a plain token is not echoed into headers and logs: a new one stands in.
        for unsafe in ["two words", String(repeating: "a", count: 129), "id;drop"] {
            let replaced = try await site.send(.GET, "/healthz", route: "/healthz", headers: [("Request-Id", unsafe)])
            #expect(replaced.headers["request-id"]?.hasPrefix("req_") == true, "\(unsafe)")
        }

        let scrape = try await site.send(.GET, "/metrics", route: "/metrics")
        #expect(scrape.status == 200)
        var counted: [String: Int] = [:]
        for line in scrape.body.split(separator: "\n") where line.hasPrefix("hb_requests{") {
            guard let labels = Self.labels(line), let value = line.split(separator: " ").last.flatMap({ Int($0) }) else { continue }
            counted["\(labels["http_request_method"] ?? "") \(labels["http_route"] ?? "") \(labels["http_response_status_code"] ?? "")"] = value
        }
        for (request, count) in site.made where !request.hasPrefix("GET /metrics") && !request.hasPrefix("GET /healthz") {
            #expect(counted[request] == count, "\(request): counted \(counted[request] ?? 0), made \(count)")
        }
        #expect(scrape.body.contains("marketplace_ledger_commits "))
        #expect(scrape.body.contains(#"marketplace_webhook_deliveries{state="pending"}"#))
        // The lifecycle funded from the wallet and released on approval: no hold is left open.
        let holds = scrape.body.split(separator: "\n").first { $0.hasPrefix(#"marketplace_open_holds{asset="USD"} "#) }
        #expect(holds.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } == 0)

        let logged = try String(contentsOfFile: log, encoding: .utf8)
        let line = try #require(logged.split(separator: "\n").first { $0.contains("request_id=ticket-4711") })
        #expect(line.contains("status=401") && line.contains("route=/v1/wallet") && line.contains("method=GET") && line.contains("duration_ms="))
        #expect(!logged.contains(agent) && !logged.contains("correct horse"), "a secret reached the log")

        let ready = try await site.send(.GET, "/readyz", route: "/readyz")
        #expect(ready.status == 200)
        #expect(ready.data["writer"] as? Bool == true)
    }

    @Test func metricsAreForAdminsUnlessMadePublic() async throws {
        let db = CommandRunner.temporaryPath("metrics-admin") + ".sqlite"
        let server = try ServeProcess(db: db, port: try CommandRunner.freePort(), environment: [:])
        defer { server.stop() }
        try await server.waitUntilUp()
        let site = Site(base: server.base)
        #expect(try await site.send(.GET, "/metrics", route: "/metrics").status == 401)
        _ = try await site.send(.POST, "/v1/auth/register", route: "/v1/auth/register",
                                json: #"{"email":"agent@example.com","password":"correct horse","full_name":"A","role":"agent"}"#)
        let login = try await site.send(.POST, "/v1/auth/login", route: "/v1/auth/login", json: #"{"email":"agent@example.com","password":"correct horse"}"#)
        let token = try #require(login.data["access_token"] as? String)
        #expect(try await site.send(.GET, "/metrics", route: "/metrics", token: token).status == 403)
    }

    /// `name{a="x",b="y"} 3` → [a: x, b: y].
    static func labels(_ line: Substring) -> [String: String]? {
        guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { return nil }
        var labels: [String: String] = [:]
        for pair in line[line.index(after: open)..<close].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
        }
        return labels
    }
}
