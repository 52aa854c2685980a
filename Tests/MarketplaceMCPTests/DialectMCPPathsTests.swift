import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import MCP
import Marketplace
import MarketplaceHTTP
import MarketplaceServer
import Testing
@testable import MarketplaceMCP

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Seed 002's twelve tools at /compat/requesthuman/mcp, driven with the task token a REST post
/// answered; seed 004's `POST /api/v1/mcp` with the marketplace's tools, for an API key.
struct DialectMCPPathsTests {
    static let requestHumanTools = ["create_task", "list_tasks", "get_task", "update_task", "fund_task", "cancel_task", "list_applications",
                                    "respond_to_application", "list_submissions", "respond_to_submission", "list_messages", "send_message"]

    @Test func theTaskTokenDrivesSeed002sToolsAndAKeySeed004s() async throws {
        let harness = try await Harness(clock: ManualClock())
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let app = Application(router: buildRouter(services: harness.services, mode: "test", rateLimits: .unlimited,
                                                  mounts: serverMounts(services: harness.services, mode: "test", rateLimits: .unlimited)),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { rest in
            let port = try #require(rest.port)
            let posted = try await rest.execute(uri: "/compat/requesthuman/api/tasks", method: .post, headers: [.contentType: "application/json"],
                                                body: ByteBuffer(string: #"{"title":"Verify a business address","description":"Visit 456 Elm St.","price":15}"#)) { response in
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
            }
            let token = try #require(posted["task_token"] as? String)
            let id = try #require((posted["task"] as? [String: Any])?["id"] as? String)

            func connect(_ path: String, bearer: String) async throws -> MCP.Client {
                let transport = HTTPClientTransport(endpoint: URL(string: "http://127.0.0.1:\(port)/\(path)")!, streaming: false,
                                                    requestModifier: { request in
                                                        var request = request
                                                        request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization")
                                                        return request
                                                    })
                let client = MCP.Client(name: "dialect-agent", version: "1.0.0")
                _ = try await client.connect(transport: transport)
                return client
            }
            let requestHuman = try await connect("compat/requesthuman/mcp", bearer: token)
            let names = Set(try await requestHuman.listTools().tools.map(\.name))
            #expect(names.isSuperset(of: Self.requestHumanTools), "missing: \(Set(Self.requestHumanTools).subtracting(names))")
            let (content, isError) = try await requestHuman.callTool(name: "get_task", arguments: ["task_id": .string(id)])
            let task = try ToolAnswer(content: content, isError: isError)
            #expect(!task.isError, "\(task.text)")
            #expect(task.string("id") == id)
            let (funded, fundError) = try await requestHuman.callTool(name: "fund_task", arguments: ["task_id": .string(id), "source": "connector"])
            let funding = try ToolAnswer(content: funded, isError: fundError)
            #expect(!funding.isError, "\(funding.text)")
            await requestHuman.disconnect()

            let humans2ai = try await connect("compat/humans2ai/api/v1/mcp", bearer: agent.key)
            let tools = try await humans2ai.listTools().tools.map(\.name)
            #expect(tools.contains("create_task") && tools.contains("get_wallet"))
            await humans2ai.disconnect()
        }
        #expect(try harness.ledger.verify().fault == nil)
    }
}
