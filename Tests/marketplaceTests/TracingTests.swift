import AsyncHTTPClient
import Foundation
import Hummingbird
import LoopbackServer
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// Tracing as an operator turns it on: with OTEL_EXPORTER_OTLP_ENDPOINT set, `serve` sends a
/// span for each request over OTLP/HTTP, with its route, status and `Request-Id`, to a collector
/// (here a fake one on loopback that decodes what it receives).
struct TracingTests {
    /// An OTLP/HTTP collector that keeps the JSON body of every ExportTraceServiceRequest.
    struct FakeCollector: RouterMiddleware {
        typealias Context = BasicRequestContext
        final class Inbox: Sendable {
            let bodies = Mutex<[Data]>([])
        }
        let received = Inbox()

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            guard request.method == .post, request.uri.path == "/v1/traces" else { return Response(status: .notFound) }
            let body = try await request.body.collect(upTo: 1 << 24)
            received.bodies.withLock { $0.append(Data(body.readableBytesView)) }
            // An empty ExportTraceServiceResponse: everything accepted.
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
    }

    /// A finished span as OTLP's JSON encoding gives it: name and attributes (int64 values come
    /// as strings there, as protobuf's JSON mapping says).
    struct Span {
        let name: String
        let spanID: String
        let parentSpanID: String
        let attributes: [String: String]
    }

    @Test func aRequestsSpanReachesTheCollectorWithItsRouteStatusAndRequestId() async throws {
        let collector = FakeCollector()
        try await LoopbackServer.run(collector) { collectorURL in
            let db = CommandRunner.temporaryPath("tracing") + ".sqlite"
            let server = try ServeProcess(db: db, port: try CommandRunner.freePort(), environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": collectorURL, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_BSP_SCHEDULE_DELAY": "100",
            ])
            defer { server.stop() }
            try await server.waitUntilUp()

            var request = HTTPClientRequest(url: server.base + "/v1/tasks/tsk_missing")
            request.headers.add(name: "Request-Id", value: "trace-4242")
            let answer = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let status = Int(answer.status.code)
            #expect(answer.headers.first(name: "Request-Id") == "trace-4242")
            let minted = try await HTTPClient.shared.execute(HTTPClientRequest(url: server.base + "/openapi.json"), timeout: .seconds(10))
            let mintedID = try #require(minted.headers.first(name: "Request-Id"))

            let traced = try await Self.span(in: collector) { $0.attributes["http.response.header.request_id"] == "trace-4242" }
            #expect(traced.name == "/v1/tasks/{task}")
            #expect(traced.attributes["http.route"] == "/v1/tasks/{task}")
            #expect(traced.attributes["http.request.method"] == "GET")
            #expect(traced.attributes["http.response.status_code"] == String(status))
            #expect(traced.attributes["http.request.header.request_id"] == "trace-4242")
            // The id the server made up is on its request's span too.
            let other = try await Self.span(in: collector) { $0.attributes["http.response.header.request_id"] == mintedID }
            #expect(other.attributes["http.route"] == "/openapi.json")
            #expect(other.attributes["http.response.status_code"] == "200")

            // An email in a query string does not reach the collector.
            var check = HTTPClientRequest(url: server.base + "/v1/auth/check-email?email=someone%40example.com")
            check.headers.add(name: "Request-Id", value: "trace-email")
            #expect(try await HTTPClient.shared.execute(check, timeout: .seconds(10)).status == .ok)
            let checked = try await Self.span(in: collector) { $0.attributes["http.response.header.request_id"] == "trace-email" }
            #expect(checked.attributes["url.query"] == "email=REDACTED")

            // A write's durable commit is a child span of its request's.
            let token = try await Self.agentToken(server.base)
            var deposit = HTTPClientRequest(url: server.base + "/v1/wallet/deposits")
            deposit.method = .POST
            deposit.headers.add(name: "Authorization", value: "Bearer \(token)")
            deposit.headers.add(name: "Content-Type", value: "application/json")
            deposit.headers.add(name: "Idempotency-Key", value: "trace-deposit")
            deposit.headers.add(name: "Request-Id", value: "trace-deposit")
            deposit.body = .bytes(ByteBuffer(string: #"{"amount":"50.00","currency":"USD"}"#))
            #expect(try await HTTPClient.shared.execute(deposit, timeout: .seconds(10)).status == .created)
            let depositSpan = try await Self.span(in: collector) { $0.attributes["http.response.header.request_id"] == "trace-deposit" }
            #expect(depositSpan.attributes["http.response.status_code"] == "201")
            let commit = try await Self.span(in: collector) { $0.name.hasPrefix("ledger.") && $0.parentSpanID == depositSpan.spanID }
            #expect(!commit.spanID.isEmpty && commit.spanID != depositSpan.spanID)
        }
    }

    /// A protocol this build has no exporter for (gRPC) stops the start, naming the setting.
    @Test func aProtocolWithoutAnExporterStopsTheStart() throws {
        let run = try CommandRunner.run(["serve", "--db", CommandRunner.temporaryPath("tracing-grpc") + ".sqlite", "--port", "0"],
                                        environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])
        #expect(run.status != 0)
        #expect(run.output.contains("OTEL_EXPORTER_OTLP_PROTOCOL"), "\(run.output)")
    }

    /// Registers an agent and logs in; returns the access token.
    static func agentToken(_ base: String) async throws -> String {
        for (path, body) in [("/v1/auth/register", #"{"email":"agent@example.com","password":"correct horse","full_name":"A","role":"agent"}"#),
                             ("/v1/auth/login", #"{"email":"agent@example.com","password":"correct horse"}"#)] {
            var request = HTTPClientRequest(url: base + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            let answer = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let json = try JSONSerialization.jsonObject(with: Data(try await answer.body.collect(upTo: 1 << 20).readableBytesView)) as? [String: Any]
            if let token = (json?["data"] as? [String: Any])?["access_token"] as? String { return token }
        }
        throw CancellationError()
    }

    /// Polls the collector's bodies (the exporter sends a batch every 100 ms) for a span that
    /// `matches`, for up to 20 seconds.
    static func span(in collector: FakeCollector, matching matches: (Span) -> Bool) async throws -> Span {
        for _ in 0..<200 {
            let spans = try collector.received.bodies.withLock { $0 }.flatMap(Self.spans)
            if let span = spans.first(where: matches) { return span }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no matching span reached the collector")
        throw CancellationError()
    }

    /// The spans of one ExportTraceServiceRequest in OTLP/JSON: resourceSpans → scopeSpans → spans.
    static func spans(_ body: Data) throws -> [Span] {
        let request = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        var spans: [Span] = []
        for resource in request["resourceSpans"] as? [[String: Any]] ?? [] {
            for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scope["spans"] as? [[String: Any]] ?? [] {
                    var attributes: [String: String] = [:]
                    for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                        guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any],
                              let scalar = value["stringValue"] ?? value["intValue"] ?? value["boolValue"] ?? value["doubleValue"] else { continue }
                        attributes[key] = "\(scalar)"
                    }
                    spans.append(Span(name: span["name"] as? String ?? "", spanID: span["spanId"] as? String ?? "",
                                      parentSpanID: span["parentSpanId"] as? String ?? "", attributes: attributes))
                }
            }
        }
        return spans
    }
}
