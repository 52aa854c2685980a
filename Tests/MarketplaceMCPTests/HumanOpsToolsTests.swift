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

/// Seed 003's MCP tools at /compat/humanops/mcp, through the swift-sdk's own client: the
/// document's create-task example as post_task's arguments, funded at posting, done by a mock
/// operator in test mode and paid to the cent.
struct HumanOpsToolsTests {
    /// The curl example's body (seed 003) as tool arguments.
    static let storefront: [String: Value] = [
        "title": "Photo of storefront", "description": "Take 2 clear photos showing the full facade and signage.", "task_type": "PHOTO",
        "location": ["lat": 30.2672, "lng": -97.7431, "address": "123 Main St, Austin, TX"], "reward_usd": 15,
        "deadline": "2026-02-07T18:00:00Z", "proof_requirements": ["Full facade photo", "Close-up of signage"],
    ]

    @Test func postTaskFundsItAndTheMockOperatorsProofIsPaidToTheCent() async throws {
        let harness = try await Harness(clock: ManualClock())  // 2026-01-01: the document's deadline is ahead
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let app = Application(router: buildRouter(services: harness.services, mode: "test", rateLimits: .unlimited,
                                                  mounts: serverMounts(services: harness.services, mode: "test", rateLimits: .unlimited)),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { rest in
            let port = try #require(rest.port)
            let transport = HTTPClientTransport(endpoint: URL(string: "http://127.0.0.1:\(port)/compat/humanops/mcp")!, streaming: false,
                                                requestModifier: { request in
                                                    var request = request
                                                    request.setValue("Bearer \(agent.key)", forHTTPHeaderField: "Authorization")
                                                    return request
                                                })
            let client = MCP.Client(name: "humanops-agent", version: "1.0.0")
            _ = try await client.connect(transport: transport)
            let (tools, _) = try await client.listTools()
            #expect(tools.map(\.name) == ["post_task", "check_status", "list_tasks", "cancel_task"])

            func call(_ name: String, _ arguments: [String: Value]) async throws -> ToolAnswer {
                let (content, isError) = try await client.callTool(name: name, arguments: arguments)
                return try ToolAnswer(content: content, isError: isError)
            }
            let posted = try await call("post_task", Self.storefront)
            #expect(!posted.isError, "\(posted.text)")
            #expect(posted.string("status") == "POSTED")
            #expect(posted.string("escrow_status") == "funded")
            #expect("\(posted["reward_usd"] ?? "")" == "15")
            let id = try #require(posted.string("task_id"))
            let checked = try await call("check_status", ["task_id": .string(id)])
            #expect(checked.string("status") == "PAID", "\(checked.text)")
            #expect(try harness.ledger.account(code: "wallet:user:test:usr_mock_operator:USDC")?.balance.posted(for: .liability) == 15_000_000)

            // A fractional JSON number has been through a Double: refused, naming the field, nothing posted.
            var fractional = Self.storefront
            fractional["reward_usd"] = 15.5
            let refused = try await call("post_task", fractional)
            #expect(refused.code == "VALIDATION_ERROR")
            #expect(refused.field == "reward_usd")
            let exact = try await call("post_task", Self.storefront.merging(["reward_usd": "15.50"]) { $1 })
            #expect("\(exact["reward_usd"] ?? "")" == "15.5")
            let listed = try await call("list_tasks", [:])
            #expect((listed["tasks"] as? [[String: Any]])?.count == 2)
            #expect(try harness.ledger.verify().fault == nil)
            await client.disconnect()
        }
    }
}
