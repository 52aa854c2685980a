import Foundation
import MCP
public import Marketplace
import Synchronization

/// Streamable HTTP (MCP 2025-11-25) for the main server, independent of the web framework:
/// POST carries one JSON-RPC message and is answered as `application/json`, or as a
/// `text/event-stream` of that one message when the client accepts only SSE; `initialize`
/// opens a session named by `Mcp-Session-Id`, which every later request must carry; DELETE
/// ends it; GET is 405 (the server sends nothing unprompted). Each session runs the SDK's
/// `Server` on the SDK's `StatelessHTTPServerTransport` (request in, response out) and belongs
/// to the credential that opened it: another key's request naming it gets 404, like an
/// unknown session. Every request is authenticated by the caller of `handle`; tool calls run
/// as the principal of the request that carries them.
public actor MCPHTTPSessions {
    /// Limits on what sessions may hold.
    public struct Limits: Sendable {
        /// Sessions open at once on this server; past it a new one is refused (503).
        public var sessionsMax: Int
        /// Sessions one credential may hold; past it its least recently used one is closed.
        public var sessionsPerCallerMax: Int
        /// A session unused this long is closed.
        public var idleSecondsMax: Int

        public init(sessionsMax: Int = 1_000, sessionsPerCallerMax: Int = 16, idleSecondsMax: Int = 1_800) {
            self.sessionsMax = sessionsMax
            self.sessionsPerCallerMax = sessionsPerCallerMax
            self.idleSecondsMax = idleSecondsMax
        }
    }

    public static let sessionHeader = "Mcp-Session-Id"

    /// Whose a session is: a key's (user, mode, credential), or, without a key, an address's.
    private enum Owner: Hashable {
        case credential(userID: String, mode: Mode, credential: Principal.Credential)
        case anonymous(mode: Mode, clientAddress: String)

        init(_ caller: ToolCaller) {
            switch caller {
            case .principal(let principal): self = .credential(userID: principal.userID, mode: principal.mode, credential: principal.credential)
            case .anonymous(let mode, let address): self = .anonymous(mode: mode, clientAddress: address)
            }
        }
    }

    private struct Session {
        let server: Server
        let transport: StatelessHTTPServerTransport
        let owner: Owner
        let caller: CallerBox
        var lastUsed: ContinuousClock.Instant
    }

    private let tools: MarketplaceTools
    private let limits: Limits
    private var sessions: [String: Session] = [:]

    public init(tools: MarketplaceTools, limits: Limits = Limits()) {
        self.tools = tools
        self.limits = limits
    }

    /// How many sessions are open.
    public var count: Int { sessions.count }

    /// Answers one HTTP request to the MCP endpoint made with a key.
    public func handle(_ request: MCPHTTPRequest, caller: Principal) async -> MCPHTTPReply {
        await handle(request, visitor: .principal(caller))
    }

    /// Answers one HTTP request to the MCP endpoint made by `caller`, with or without a key.
    public func handle(_ request: MCPHTTPRequest, visitor caller: ToolCaller) async -> MCPHTTPReply {
        switch request.method.uppercased() {
        case "POST": return await post(request, caller: caller)
        case "DELETE": return await delete(request, caller: caller)
        default:
            return .error(405, code: -32600, "Method Not Allowed: POST carries messages, DELETE ends a session; this server sends no unprompted messages",
                          headers: ["Allow": "POST, DELETE"])
        }
    }

    private func post(_ request: MCPHTTPRequest, caller: ToolCaller) async -> MCPHTTPReply {
        guard let eventStream = Self.answersAsEventStream(request.header("Accept")) else {
            return .error(406, code: -32600, "Not Acceptable: accept application/json or text/event-stream")
        }
        guard let message = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] else {
            return .error(400, code: -32700, "Parse error: the body must be one JSON-RPC message (an object)")
        }
        let id = message["id"]
        let sessionID: String
        if let named = request.header(Self.sessionHeader) {
            guard sessions[named]?.owner == Owner(caller) else { return .error(404, code: -32600, "Not Found: no such session; initialize again", id: id) }
            sessionID = named
        } else if message["method"] as? String == "initialize" {
            switch await open(for: caller) {
            case .opened(let opened): sessionID = opened
            case .refused(let reply): return reply
            }
        } else {
            return .error(400, code: -32600, "Bad Request: \(Self.sessionHeader) header is required; send initialize first", id: id)
        }
        guard var session = sessions[sessionID] else { return .error(404, code: -32600, "Not Found: the session ended", id: id) }
        session.lastUsed = .now
        sessions[sessionID] = session
        session.caller.set(caller)
        let response = await session.transport.handleRequest(HTTPRequest(method: "POST", headers: request.headers, body: request.body))
        if message["method"] as? String == "initialize", response.statusCode != 200 { await close(sessionID) }
        return Self.reply(response, sessionID: sessionID, eventStream: eventStream)
    }

    private func delete(_ request: MCPHTTPRequest, caller: ToolCaller) async -> MCPHTTPReply {
        guard let named = request.header(Self.sessionHeader) else {
            return .error(400, code: -32600, "Bad Request: \(Self.sessionHeader) header is required")
        }
        guard sessions[named]?.owner == Owner(caller) else { return .error(404, code: -32600, "Not Found: no such session") }
        await close(named)
        return MCPHTTPReply(status: 204)
    }

    /// Opens a session for `caller`, closing idle sessions and, when the caller holds its limit,
    /// its least recently used one. Nothing awaits between the checks and the insert, so the
    /// limits hold exactly however many requests arrive at once.
    private func open(for caller: ToolCaller) async -> Opening {
        let box = CallerBox(caller)
        let server = await MarketplaceMCPServer.make(tools: tools, visitor: { () throws(MarketplaceError) -> ToolCaller in box.caller })
        // The Accept header is negotiated above (JSON or SSE); the SDK checks content type and protocol version.
        let transport = StatelessHTTPServerTransport(validationPipeline: StandardValidationPipeline(validators: [
            ContentTypeValidator(), ProtocolVersionValidator(),
        ]))
        do { try await server.start(transport: transport) } catch {
            return .refused(.error(500, code: -32603, "Internal error: the session could not start"))
        }
        let now = ContinuousClock.now
        let owner = Owner(caller)
        var ending = sessions.filter { now - $0.value.lastUsed > .seconds(limits.idleSecondsMax) }.map(\.key)
        let own = sessions.filter { $0.value.owner == owner && !ending.contains($0.key) }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        ending += own.prefix(max(0, own.count + 1 - limits.sessionsPerCallerMax)).map(\.key)
        let stopping = ending.compactMap { sessions.removeValue(forKey: $0)?.server }
        guard sessions.count < limits.sessionsMax else {
            for server in stopping + [server] { await server.stop() }
            return .refused(.error(503, code: -32603, "Service Unavailable: \(limits.sessionsMax) sessions are open; retry later", headers: ["Retry-After": "60"]))
        }
        let id = UUID().uuidString
        sessions[id] = Session(server: server, transport: transport, owner: owner, caller: box, lastUsed: now)
        for server in stopping { await server.stop() }
        return .opened(id)
    }

    private enum Opening {
        case opened(String)
        case refused(MCPHTTPReply)
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
    }

    /// JSON unless the client accepts only SSE; nil when it accepts neither.
    static func answersAsEventStream(_ accept: String?) -> Bool? {
        guard let accept, !accept.isEmpty else { return false }
        let types = accept.split(separator: ",").map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
        if types.contains(where: { $0 == "application/json" || $0 == "application/*" || $0 == "*/*" }) { return false }
        return types.contains("text/event-stream") ? true : nil
    }

    private static func reply(_ response: HTTPResponse, sessionID: String, eventStream: Bool) -> MCPHTTPReply {
        var headers = [sessionHeader: sessionID]
        for (name, value) in response.headers where name.caseInsensitiveCompare("Content-Type") != .orderedSame { headers[name] = value }
        switch response {
        case .data(let data, _) where eventStream:
            headers["Cache-Control"] = "no-cache"
            return MCPHTTPReply(status: response.statusCode, headers: headers, body: .eventStream(data))
        case .data(let data, _):
            return MCPHTTPReply(status: response.statusCode, headers: headers, body: .json(data))
        default:
            return MCPHTTPReply(status: response.statusCode, headers: headers, body: response.bodyData.map(MCPHTTPReply.Body.json) ?? .none)
        }
    }
}

/// The caller of the latest request in a session, which its tool calls run as: every
/// request re-authenticates, so a revoked key stops at the HTTP layer.
private final class CallerBox: Sendable {
    private let current: Mutex<ToolCaller>

    init(_ caller: ToolCaller) { current = Mutex(caller) }

    var caller: ToolCaller { current.withLock { $0 } }

    func set(_ caller: ToolCaller) { current.withLock { $0 = caller } }
}
