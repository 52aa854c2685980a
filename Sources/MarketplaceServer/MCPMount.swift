import Foundation
import HTTPTypes
public import Hummingbird
public import Marketplace
public import MarketplaceHTTP
public import MarketplaceMCP

/// MCP over streamable HTTP at /v1/mcp: the same tools as `marketplace mcp`, for the caller the
/// auth middleware resolved from `Authorization: Bearer <API key>` on every request, so scopes,
/// test/live mode and revocation apply exactly as in REST; without a key, the public tools only. Sessions and the JSON-RPC exchange
/// live in `MCPHTTPSessions`; this mount only translates HTTP.
public struct MCPMount: RouteMount {
    let sessions: MCPHTTPSessions
    /// The server's mode: what a caller without a key reads and posts in.
    let mode: Mode
    /// Where it is mounted: v1/mcp, or a dialect's (compat/humanops/mcp).
    let path: String
    /// The tools it serves.
    let toolSet: ToolSet

    /// `toolSet` picks the tools: the marketplace's own at v1/mcp, a dialect's at its path.
    public init(services: Services, mode: String, rateLimits: RateLimits, path: String = "v1/mcp", toolSet: ToolSet = .marketplace) {
        self.mode = Mode(rawValue: mode) ?? .test
        self.path = path
        self.toolSet = toolSet
        let limits = Dictionary(uniqueKeysWithValues: rateLimits.perMinute.map { ($0.key.rawValue, $0.value) })
        let tools = MarketplaceTools(tasks: services.tasks, settlement: services.settlement, work: services.work, messages: services.messages,
                                     platform: PlatformFacts(mode: mode, rateLimitsPerMinute: limits), toolSet: toolSet)
        sessions = MCPHTTPSessions(tools: tools)
    }

    public func addRoutes(to router: Router<APIContext>) {
        router.post(RouterPath(path), use: exchange)
        router.get(RouterPath(path), use: exchange)
        router.delete(RouterPath(path), use: exchange)
    }

    @Sendable func exchange(_ request: Request, context: APIContext) async throws -> Response {
        // Without a key the public tools answer (seed 000's reads, seed 002's create_task); the rest say UNAUTHORIZED.
        let caller: ToolCaller = context.principal.map { .principal($0) } ?? .anonymous(mode: mode, clientAddress: context.clientAddress)
        var request = request
        let body = request.method == .post ? try await MarketplaceHTTP.RequestBody.collect(&request) : ByteBuffer()
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let reply = await sessions.handle(MCPHTTPRequest(method: request.method.rawValue, headers: headers, body: Data(body.readableBytesView)),
                                          visitor: caller)
        var fields = HTTPFields()
        for (name, value) in reply.headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        if let contentType = reply.contentType { fields[.contentType] = contentType }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: reply.bytes)))
    }
}

/// What the shipped server mounts beside the REST API: MCP at /v1/mcp, and the dialects of the
/// seed APIs under /compat/<name>.
public func serverMounts(services: Services, mode: String, rateLimits: RateLimits) -> [any RouteMount] {
    [MCPMount(services: services, mode: mode, rateLimits: rateLimits), HumanOpsMount(services: services), GoHireHumansMount(services: services, mode: mode),
     MCPMount(services: services, mode: mode, rateLimits: rateLimits, path: HumanOpsMount.mcpPath, toolSet: .humanops),
     MCPMount(services: services, mode: mode, rateLimits: rateLimits, path: GoHireHumansMount.mcpPath, toolSet: .gohirehumans),
     Humans2AIMount(services: services, mode: mode), RequestHumanMount(services: services, mode: mode),
     MCPMount(services: services, mode: mode, rateLimits: rateLimits, path: RequestHumanMount.mcpPath, toolSet: .requesthuman),
     MCPMount(services: services, mode: mode, rateLimits: rateLimits, path: Humans2AIMount.mcpPath, toolSet: .humans2ai)]
}
