import Foundation
import MCP
import Marketplace
import MarketplaceHTTP
import Testing
@testable import MarketplaceMCP

/// The server as `marketplace mcp` runs it (each call authenticates the key again), driven by
/// the SDK's own client over the SDK's in-memory transport pair.
struct MarketplaceMCPServerTests {
    static func connect(_ harness: Harness, key: String) async throws -> MCP.Client {
        let auth = harness.services.auth
        let server = await MarketplaceMCPServer.make(tools: harness.tools) { () throws(MarketplaceError) -> Principal in
            try await auth.authenticate(bearer: key)
        }
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        try await server.start(transport: serverSide)
        let client = MCP.Client(name: "marketplace-tests", version: "1.0.0")
        let result = try await client.connect(transport: clientSide)
        #expect(result.serverInfo.name == MarketplaceMCPServer.name)
        #expect(result.capabilities.tools != nil)
        #expect(result.capabilities.resources != nil)
        return client
    }

    @Test func theClientSeesEveryToolWithItsSchemaAndBothResources() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let client = try await Self.connect(harness, key: agent.key)
        let (tools, _) = try await client.listTools()
        #expect(tools.map(\.name) == MarketplaceTools.definitions.map(\.tool.name))
        let create = try #require(tools.first { $0.name == "create_task" })
        #expect(create.inputSchema.objectValue?["required"] == ["title", "description", "category", "budget"])
        #expect(create.annotations.readOnlyHint == false)
        #expect(tools.first { $0.name == "get_wallet" }?.annotations.readOnlyHint == true)

        let categories = try #require(try await client.readResource(uri: "marketplace://categories").first?.text)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(categories.utf8)) as? [String: Any])
        let groups = listed["groups"] as? [[String: Any]]
        #expect(groups?.map { $0["id"] as? String } == CategoryGroup.all.map(\.id))
        #expect(groups?.flatMap { $0["categories"] as? [[String: Any]] ?? [] }.map { $0["id"] as? String } == Category.all.map(\.id))
        let guide = try #require(try await client.readResource(uri: "marketplace://guide").first)
        #expect(guide.mimeType == "text/markdown")
        for tool in MarketplaceTools.definitions.map(\.tool.name) { #expect(guide.text?.contains(tool) == true, "the guide never names \(tool)") }
        await #expect(throws: MCPError.self) { _ = try await client.readResource(uri: "marketplace://nothing") }
        await client.disconnect()
    }

    @Test func aKeyRevokedMidSessionIsRefusedOnItsNextCall() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let client = try await Self.connect(harness, key: agent.key)
        let (content, isError) = try await client.callTool(name: "get_wallet")
        #expect(isError == false)
        #expect(try ToolAnswer(content: content, isError: isError)["wallets"] != nil)
        _ = try await harness.services.keys.revoke(agent.keyID, for: try await harness.services.auth.authenticate(bearer: agent.session))
        let (refused, refusedError) = try await client.callTool(name: "get_wallet")
        let answer = try ToolAnswer(content: refused, isError: refusedError)
        #expect(answer.isError)
        #expect(answer.code == "UNAUTHORIZED")
        await client.disconnect()
    }
}
