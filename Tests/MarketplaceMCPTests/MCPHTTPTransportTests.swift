import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MCP
import Marketplace
import MarketplaceHTTP
import Testing
@testable import MarketplaceMCP

/// The streamable HTTP transport at /v1/mcp as the MCP spec (2025-11-25) describes it, on the
/// wire: sessions, Accept negotiation, keys, GET and DELETE.
struct MCPHTTPTransportTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#
    static let listTools = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#

    struct Reply {
        let status: HTTPTypes.HTTPResponse.Status
        let headers: HTTPFields
        let body: String

        var session: String? { headers[HTTPField.Name("Mcp-Session-Id")!] }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    static func post(_ client: any TestClientProtocol, _ body: String, key: String?, session: String? = nil,
                     accept: String = "application/json, text/event-stream") async throws -> Reply {
        try await exchange(client, .post, body, key: key, session: session, accept: accept)
    }

    static func exchange(_ client: any TestClientProtocol, _ method: HTTPTypes.HTTPRequest.Method, _ body: String? = nil, key: String?, session: String? = nil,
                         accept: String = "application/json, text/event-stream") async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json", .accept: accept]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if let session { headers[HTTPField.Name("Mcp-Session-Id")!] = session }
        return try await client.execute(uri: "/v1/mcp", method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    static func withRouter(_ body: @escaping @Sendable (any TestClientProtocol, Harness) async throws -> Void) async throws {
        let harness = try await Harness()
        defer { harness.close() }
        try await harness.withREST { client in try await body(client, harness) }
    }

    @Test func initializeOpensASessionThatLaterRequestsMustName() async throws {
        try await Self.withRouter { client, harness in
            let agent = try await harness.caller("agent@example.com")
            let opened = try await Self.post(client, Self.initialize, key: agent.key)
            #expect(opened.status == .ok)
            #expect(opened.headers[.contentType] == "application/json")
            let session = try #require(opened.session)
            #expect(((opened.json["result"] as? [String: Any])?["serverInfo"] as? [String: Any])?["name"] as? String == "marketplace")
            #expect(((opened.json["result"] as? [String: Any])?["protocolVersion"] as? String) == "2025-11-25")

            let initialized = try await Self.post(client, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, key: agent.key, session: session)
            #expect(initialized.status == .accepted)
            #expect(initialized.body.isEmpty)

            let listed = try await Self.post(client, Self.listTools, key: agent.key, session: session)
            #expect(listed.status == .ok)
            #expect(listed.session == session)
            #expect(((listed.json["result"] as? [String: Any])?["tools"] as? [Any])?.count == 27)

            let missing = try await Self.post(client, Self.listTools, key: agent.key)
            #expect(missing.status == .badRequest)
            #expect(missing.json["id"] as? Int == 2)  // a JSON-RPC error for this request, so a probing client falls back to initialize
            #expect((missing.json["error"] as? [String: Any])?["code"] as? Int == -32600)

            let unknown = try await Self.post(client, Self.listTools, key: agent.key, session: "no-such-session")
            #expect(unknown.status == .notFound)
        }
    }

    @Test func aSessionBelongsToTheKeyThatOpenedIt() async throws {
        try await Self.withRouter { client, harness in
            let agent = try await harness.caller("agent@example.com")
            let otherKey = try await harness.caller("agent@example.com")
            let stranger = try await harness.caller("stranger@example.com")
            let session = try #require(try await Self.post(client, Self.initialize, key: agent.key).session)
            #expect(try await Self.post(client, Self.listTools, key: stranger.key, session: session).status == .notFound)
            #expect(try await Self.post(client, Self.listTools, key: otherKey.key, session: session).status == .notFound)
            #expect(try await Self.exchange(client, .delete, key: stranger.key, session: session).status == .notFound)
            #expect(try await Self.post(client, Self.listTools, key: agent.key, session: session).status == .ok)
        }
    }

    /// No key opens a session of public tools (PublicToolsTests); a key that is not one is refused.
    @Test func aKeyMustBeValidAndARevokedKeyStopsAtOnce() async throws {
        try await Self.withRouter { client, harness in
            let agent = try await harness.caller("agent@example.com")
            let bad = try await Self.post(client, Self.initialize, key: "sk_test_not_a_key")
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)

            let session = try #require(try await Self.post(client, Self.initialize, key: agent.key).session)
            _ = try await harness.services.keys.revoke(agent.keyID, for: try await harness.services.auth.authenticate(bearer: agent.session))
            #expect(try await Self.post(client, Self.listTools, key: agent.key, session: session).status == .unauthorized)
        }
    }

    @Test func aClientThatAcceptsOnlySSEGetsTheAnswerAsOneEvent() async throws {
        try await Self.withRouter { client, harness in
            let agent = try await harness.caller("agent@example.com")
            let opened = try await Self.post(client, Self.initialize, key: agent.key, accept: "text/event-stream")
            #expect(opened.status == .ok)
            #expect(opened.headers[.contentType] == "text/event-stream")
            let lines = opened.body.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "event: message")
            #expect(opened.body.hasSuffix("\n\n"))
            let data = try #require(lines.first { $0.hasPrefix("data: ") }).dropFirst("data: ".count)
            let message = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
            #expect(message["id"] as? Int == 1)
            #expect(message["result"] != nil)

            #expect(try await Self.post(client, Self.initialize, key: agent.key, accept: "text/html").status == .notAcceptable)
        }
    }

    @Test func getIsNotOfferedAndDeleteEndsTheSession() async throws {
        try await Self.withRouter { client, harness in
            let agent = try await harness.caller("agent@example.com")
            let session = try #require(try await Self.post(client, Self.initialize, key: agent.key).session)
            let stream = try await Self.exchange(client, .get, key: agent.key, session: session, accept: "text/event-stream")
            #expect(stream.status == .methodNotAllowed)
            #expect(stream.headers[.allow] == "POST, DELETE")
            #expect(try await Self.exchange(client, .delete, key: agent.key, session: session).status == .noContent)
            #expect(try await Self.post(client, Self.listTools, key: agent.key, session: session).status == .notFound)
            #expect(try await Self.exchange(client, .delete, key: agent.key, session: session).status == .notFound)
        }
    }

    @Test func aBodyThatIsNotOneJSONRPCMessageIsRefused() async throws {
        try await Self.withRouter { client, harness in
            let agent = try await harness.caller("agent@example.com")
            #expect(try await Self.post(client, "not json", key: agent.key).status == .badRequest)
            #expect(try await Self.post(client, "[\(Self.initialize)]", key: agent.key).status == .badRequest)
        }
    }

    @Test func aCallerHoldsAtMostItsLimitOfSessionsTheOldestClosingFirst() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let sessions = MCPHTTPSessions(tools: harness.tools, limits: .init(sessionsMax: 3, sessionsPerCallerMax: 2, idleSecondsMax: 600))
        func open(_ caller: Harness.Caller) async -> MCPHTTPReply {
            await sessions.handle(MCPHTTPRequest(method: "POST", headers: ["Content-Type": "application/json", "Accept": "application/json"],
                                                 body: Data(Self.initialize.utf8)), caller: caller.principal)
        }
        let first = try #require(await open(agent).headers["Mcp-Session-Id"])
        _ = await open(agent)
        _ = await open(agent)
        #expect(await sessions.count == 2)
        let reuse = await sessions.handle(MCPHTTPRequest(method: "POST", headers: ["Content-Type": "application/json", "Accept": "application/json",
                                                                                   "Mcp-Session-Id": first], body: Data(Self.listTools.utf8)),
                                          caller: agent.principal)
        #expect(reuse.status == 404)
        let other = try await harness.caller("other@example.com")
        let third = try await harness.caller("third@example.com")
        #expect(await open(other).status == 200)
        #expect(await open(third).status == 503)
    }
}
