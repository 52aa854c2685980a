import Foundation
public import MCP
public import Marketplace

/// The MCP server for one caller: the tools and the two resources (the API guide and the
/// category list) on the SDK's `Server`. Each tool call asks `caller` who is calling, so a key
/// revoked mid-session is refused from then on, as REST refuses it on its next request.
public enum MarketplaceMCPServer {
    public static let name = "marketplace"
    public static let version = ReleaseVersion.current

    static let instructions = """
        Post tasks for humans, fund them, accept a worker, approve the work (which pays). Money is exact \
        decimal strings ("25.00"). Read the marketplace://guide resource for the whole flow, scopes and error codes.
        """

    /// A server for a key's principal.
    public static func make(tools: MarketplaceTools, caller: @escaping @Sendable () async throws(MarketplaceError) -> Principal) async -> Server {
        await make(tools: tools, visitor: { () throws(MarketplaceError) -> ToolCaller in .principal(try await caller()) })
    }

    /// A server with every handler registered; start it on a transport. `visitor` says who
    /// each tool call runs for, asked again on every call.
    public static func make(tools: MarketplaceTools, visitor: @escaping @Sendable () async throws(MarketplaceError) -> ToolCaller) async -> Server {
        let server = Server(name: name, version: version, title: "Task marketplace", instructions: instructions,
                            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools.tools) }
        await server.withMethodHandler(CallTool.self) { params in
            let caller: ToolCaller
            do throws(MarketplaceError) { caller = try await visitor() } catch { return ToolOutput.failure(error) }
            return try await tools.call(params.name, arguments: params.arguments, by: caller)
        }
        await server.withMethodHandler(ListResources.self) { _ in ListResources.Result(resources: MarketplaceResources.all) }
        await server.withMethodHandler(ReadResource.self) { params in
            guard let content = try MarketplaceResources.read(params.uri) else {
                throw MCPError.invalidParams("unknown resource '\(params.uri)'; resources/list names them")
            }
            return ReadResource.Result(contents: [content])
        }
        return server
    }

    /// Serves `tools` over standard input and output until the client closes its end.
    public static func serveStdio(tools: MarketplaceTools, visitor: @escaping @Sendable () async throws(MarketplaceError) -> ToolCaller) async throws {
        let server = await make(tools: tools, visitor: visitor)
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        await server.stop()
    }
}

/// The resources: the agent's guide (markdown) and the category list (JSON).
enum MarketplaceResources {
    static let categoriesURI = "marketplace://categories"

    static let all = [
        Resource(name: "guide", uri: APIGuide.uri, title: "API guide for agents",
                 description: "How a task's life goes through the tools, money as decimal strings, scopes per tool, error codes.",
                 mimeType: "text/markdown"),
        Resource(name: "categories", uri: categoriesURI, title: "Categories of tasks and services",
                 description: "The taxonomy create_task and create_service accept, as JSON: groups (id, name), each with its categories (id, name, group, description).",
                 mimeType: "application/json"),
    ]

    static func read(_ uri: String) throws -> Resource.Content? {
        switch uri {
        case APIGuide.uri:
            return .text(APIGuide.text, uri: uri, mimeType: "text/markdown")
        case categoriesURI:
            let data = try ToolOutput.encoder.encode(["groups": CategoryGroup.all])
            return .text(String(decoding: data, as: UTF8.self), uri: uri, mimeType: "application/json")
        default:
            return nil
        }
    }
}
