import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing
@testable import MarketplaceHTTP

/// Requests the HTTP/1 parser refuses before any routing, sent as raw bytes to the server that
/// `buildApplication` assembles, listening on a real socket: each answer is the API's JSON
/// error envelope with the status that fits (Hummingbird alone answers an empty 400), and the
/// connection then closes.
struct ParserErrorResponderTests {
    struct Case {
        let name: String
        let request: String
        let status: Int
        let field: String
    }

    static let cases = [
        Case(name: "a 100 KB header", request: "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n",
             status: 431, field: "headers"),
        Case(name: "2,000 headers", request: "GET /healthz HTTP/1.1\r\nHost: x\r\n" + (0..<2_000).map { "X-H\($0): v\r\n" }.joined() + "\r\n",
             status: 431, field: "headers"),
        Case(name: "a NUL in Authorization", request: "GET /v1/wallet HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\u{0}b\r\n\r\n",
             status: 400, field: "headers"),
        Case(name: "a malformed request line", request: "GET /healthz HTTP/9\r\nHost: x\r\n\r\n", status: 400, field: "request"),
    ]

    @Test func refusalsBeforeRoutingAnswerWithTheEnvelope() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let app = buildApplication(ServerConfiguration(port: 0, rateLimits: .unlimited), services: test.services)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for item in Self.cases {
                let (head, body) = try await Self.exchange(item.request, port: port)
                #expect(head.hasPrefix("HTTP/1.1 \(item.status) "), "\(item.name): \(head)")
                #expect(head.lowercased().contains("content-type: application/json"), "\(item.name): \(head)")
                let envelope = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
                #expect(envelope["success"] as? Bool == false, "\(item.name): \(body)")
                #expect(errorCode(envelope) == "VALIDATION_ERROR", "\(item.name): \(body)")
                #expect(errorField(envelope) == item.field, "\(item.name): \(body)")
            }
            // A request the parser reads still reaches the router on the same server.
            let (head, body) = try await Self.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: port)
            #expect(head.hasPrefix("HTTP/1.1 200 "), "\(head)")
            #expect(body.contains(#""status":"ok""#))
        }
    }

    /// Writes `request` on a new connection and reads until the server closes it: the response
    /// head and body.
    static func exchange(_ request: String, port: Int) async throws -> (head: String, body: String) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let received = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ByteBuffer()
            for try await var chunk in inbound { received.writeBuffer(&chunk) }
            return String(buffer: received)
        }
        guard let split = received.range(of: "\r\n\r\n") else { return (received, "") }
        return (String(received[..<split.lowerBound]), String(received[split.upperBound...]))
    }
}
