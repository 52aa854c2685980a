import Foundation
import HTTPTypes
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

/// A task's whole life with the agent on the swift-sdk's own `Client` over streamable HTTP
/// (POST /v1/mcp on the real server, over a socket) and the human on REST; then the ledger,
/// to the cent, and every read tool's answer against REST's.
struct MCPOverHTTPTests {
    /// Runs `body` with a live server and an SDK client connected as `caller`'s key.
    static func withClient(_ harness: Harness, as caller: Harness.Caller,
                           _ body: @escaping @Sendable (MCP.Client, any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(services: harness.services, mode: "test", rateLimits: .unlimited,
                                                          mounts: serverMounts(services: harness.services, mode: "test", rateLimits: .unlimited)),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { rest in
            let port = try #require(rest.port)
            let key = caller.key
            // On Linux the SDK's HTTP client reads whole bodies (no SSE); the server answers JSON to clients that accept it.
            let transport = HTTPClientTransport(endpoint: URL(string: "http://127.0.0.1:\(port)/v1/mcp")!, streaming: false, requestModifier: { request in
                var request = request
                request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
                return request
            })
            let client = MCP.Client(name: "marketplace-tests", version: "1.0.0")
            let initialized = try await client.connect(transport: transport)
            #expect(initialized.serverInfo.name == "marketplace")
            try await body(client, rest)
            await client.disconnect()
        }
    }

    @Test func anAgentRunsATasksWholeLifeOverHTTPAndTheLedgerAgrees() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let human = try await harness.caller("human@example.com", role: "human")
        try await Self.withClient(harness, as: agent) { client, rest in
            #expect(try await rest.send(.post, "/v1/wallet/deposits", token: agent.key, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1").status == .created)
            let (tools, _) = try await client.listTools()
            #expect(tools.count == 27)
            let (resources, _) = try await client.listResources()
            #expect(Set(resources.map(\.uri)) == ["marketplace://guide", "marketplace://categories"])
            #expect(try await client.readResource(uri: "marketplace://guide").first?.text?.contains("fund_task") == true)

            func call(_ name: String, _ arguments: [String: Value] = [:]) async throws -> ToolAnswer {
                let (content, isError) = try await client.callTool(name: name, arguments: arguments)
                return try ToolAnswer(content: content, isError: isError)
            }
            let created = try await call("create_task", ToolArgumentsTests.task)
            let taskID = try #require(created.string("id"))
            #expect(created.string("status") == "published")
            let funded = try await call("fund_task", ["task_id": .string(taskID)])
            #expect(funded.string("status") == "funded")
            #expect(funded.string("funding.escrow.amount") == "27.50")
            #expect(funded.value("funding.fee.amount_minor") as? Int == 250)
            #expect(funded.string("funding.payout.amount") == "25.00")

            let (applied, application) = try await rest.send(.post, "/v1/tasks/\(taskID)/applications", token: human.session, json: #"{"message":"I live next door"}"#)
            #expect(applied == .created)
            let applicationID = try #require((restData(application) as? [String: Any])?["id"] as? String)
            let applications = try await call("list_applications", ["task_id": .string(taskID)])
            #expect((applications["applications"] as? [[String: Any]])?.map { $0["status"] as? String } == ["pending"])
            #expect(try await call("send_message", ["task_id": .string(taskID), "body": "Can you go at noon?", "to": .string(human.userID)]).isError == false)
            #expect(try await rest.send(.post, "/v1/tasks/\(taskID)/messages", token: human.session, json: #"{"body":"Yes"}"#).status == .created)
            let thread = try await call("list_messages", ["task_id": .string(taskID), "with": .string(human.userID)])
            #expect((thread["messages"] as? [[String: Any]])?.map { $0["body"] as? String } == ["Can you go at noon?", "Yes"])

            let accepted = try await call("respond_to_application", ["task_id": .string(taskID), "application_id": .string(applicationID), "action": "accept"])
            #expect(accepted.string("task.status") == "assigned")
            #expect(accepted.string("task.worker_id") == human.userID)
            let submission = #"{"deliverables":[{"kind":"text","value":"Open 9-5"}]}"#
            #expect(try await rest.send(.post, "/v1/tasks/\(taskID)/submissions", token: human.session, json: submission).status == .created)
            #expect(((try await call("list_submissions", ["task_id": .string(taskID)]))["submissions"] as? [[String: Any]])?.count == 1)
            let revision = try await call("respond_to_submission", ["task_id": .string(taskID), "action": "request_revision", "feedback": "Add a photo of the door"])
            #expect(revision.string("task.status") == "revision_requested")
            #expect(try await rest.send(.post, "/v1/tasks/\(taskID)/submissions", token: human.session, json: submission).status == .created)
            let approved = try await call("respond_to_submission", ["task_id": .string(taskID), "action": "approve"])
            #expect(approved.string("task.status") == "paid")

            // A second task cancelled after funding: the escrow comes back in full, fee included.
            let second = try #require(try await call("create_task", ToolArgumentsTests.task(["budget": ["amount": "10.00", "currency": "USD"]])).string("id"))
            #expect(try await call("fund_task", ["task_id": .string(second)]).string("funding.escrow.amount") == "11.00")
            #expect(try await call("cancel_task", ["task_id": .string(second)]).string("status") == "canceled")

            // A third task, disputed once assigned: its escrow stays frozen.
            let third = try #require(try await call("create_task", ToolArgumentsTests.task(["budget": ["amount": "5.00", "currency": "USD"]])).string("id"))
            #expect(try await call("fund_task", ["task_id": .string(third)]).string("status") == "funded")
            let (_, thirdApplication) = try await rest.send(.post, "/v1/tasks/\(third)/applications", token: human.session, json: #"{"message":"me"}"#)
            let thirdApplicationID = try #require((restData(thirdApplication) as? [String: Any])?["id"] as? String)
            #expect(try await call("respond_to_application", ["task_id": .string(third), "application_id": .string(thirdApplicationID), "action": "accept"]).isError == false)
            let dispute = try await call("open_dispute", ["task_id": .string(third), "reason": "The worker stopped answering"])
            #expect(dispute.string("status") == "open")

            let wallet = try #require(ScopeAndModeTests.usd(try await call("get_wallet")))
            #expect((wallet["available"] as? [String: Any])?["amount"] as? String == "67.00")
            #expect((wallet["frozen"] as? [String: Any])?["amount"] as? String == "5.50")
            let history = try await call("list_transactions")
            #expect((history["transactions"] as? [[String: Any]])?.map { $0["type"] as? String } == ["deposit", "funding", "funding", "refund", "funding"])

            // The ledger, to the cent: 100.00 in; 27.50 paid out as 25.00 to the worker and 2.50 fee; 11.00 back; 5.50 frozen.
            #expect(try harness.available(harness.walletCode(agent.userID)) == 6_700)
            #expect(try harness.available(harness.walletCode(human.userID)) == 2_500)
            #expect(try harness.available("revenue:fees:test:USD") == 250)  // test-mode fees have their own account
            #expect(try harness.available(harness.escrowCode(taskID)) == 0)
            #expect(try harness.available(harness.escrowCode(second)) == 0)
            #expect(try harness.available(harness.escrowCode(third)) == 550)
            #expect(try harness.ledger.verify().isClean)

            // Every read tool answers what REST answers.
            let pairs: [(String, [String: Value], String?, String)] = [
                ("get_task", ["task_id": .string(taskID)], nil, "/v1/tasks/\(taskID)"),
                ("get_wallet", [:], "wallets", "/v1/wallet"),
                ("list_transactions", [:], nil, "/v1/wallet/transactions"),
                ("list_applications", ["task_id": .string(taskID)], "applications", "/v1/tasks/\(taskID)/applications"),
                ("list_submissions", ["task_id": .string(taskID)], "submissions", "/v1/tasks/\(taskID)/submissions"),
                ("list_messages", ["task_id": .string(taskID), "with": .string(human.userID)], "messages", "/v1/tasks/\(taskID)/messages?with=\(human.userID)"),
                ("list_tasks", ["mine": true], nil, "/v1/tasks?mine=true"),
                ("get_categories", [:], "groups", "/v1/categories"),
                ("get_pricing_info", [:], nil, "/v1/pricing"),
                ("get_platform_info", [:], nil, "/v1/platform"),
            ]
            for (tool, arguments, key, path) in pairs {
                let answer = try await call(tool, arguments)
                let (_, body) = try await rest.send(.get, path, token: agent.key)
                #expect(sameJSON(key.map { answer[$0] } ?? answer.json, restData(body)), "\(tool) differs from GET \(path)")
            }
        }
    }
}
