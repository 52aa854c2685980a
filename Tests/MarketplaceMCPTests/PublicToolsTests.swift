import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MCP
import Marketplace
import MarketplaceHTTP
import Testing
@testable import MarketplaceMCP

/// The tools seed 000 lists without "Auth Required" and seed 002's `create_task` answer without
/// a key; every other tool answers UNAUTHORIZED and writes nothing.
struct PublicToolsTests {
    static let anonymous = ToolCaller.anonymous(mode: .test, clientAddress: "203.0.113.9")

    func call(_ harness: Harness, _ name: String, _ arguments: [String: Value] = [:]) async throws -> ToolAnswer {
        try ToolAnswer(try await harness.tools.call(name, arguments: arguments, by: Self.anonymous))
    }

    @Test func withoutAKeyThePublicToolsReadPublishedTasksWithoutTheirOwnersSettings() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let posted = try await harness.call("create_task", ToolArgumentsTests.task(["callback_url": "https://agent.example.com/hook"]), as: agent)
        let taskID = try #require(posted.string("id"))
        #expect(posted.string("callback_url") == "https://agent.example.com/hook")  // the owner sees it
        let hidden = try #require(try await harness.call("create_task", ToolArgumentsTests.task, as: agent).string("id"))
        #expect(try await harness.call("hide_task", ["task_id": .string(hidden), "hidden": true], as: agent).isError == false)

        let listed = try await call(harness, "list_tasks")
        #expect(listed.isError == false)
        let tasks = try #require(listed["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["id"] as? String } == [taskID])
        #expect(tasks.first?["callback_url"] == nil)
        let read = try await call(harness, "get_task", ["task_id": .string(taskID)])
        #expect(read.string("title") == "Photograph the storefront")
        #expect(read["callback_url"] == nil)
        #expect(try await call(harness, "get_task", ["task_id": .string(hidden)]).code == "NOT_FOUND")
        #expect(try await call(harness, "list_tasks", ["mine": true]).code == "UNAUTHORIZED")
        #expect((try await call(harness, "get_categories")["groups"] as? [Any])?.isEmpty == false)
        #expect(try await call(harness, "get_pricing_info").isError == false)
        #expect(try await call(harness, "get_platform_info").string("mode") == "test")
        #expect((try await call(harness, "search_services")["services"] as? [Any]) != nil)
        #expect(try await call(harness, "search_services", ["mine": true]).code == "UNAUTHORIZED")

        // Someone else's key reads the task but not where its events go.
        let stranger = try await harness.caller("stranger@example.com")
        let seen = try await harness.call("get_task", ["task_id": .string(taskID)], as: stranger)
        #expect(seen.string("id") == taskID)
        #expect(seen["callback_url"] == nil)
    }

    @Test func everyToolThatWritesOrReadsPrivatelyNeedsAKeyAndWritesNothingWithout() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let taskID = try #require(try await harness.call("create_task", ToolArgumentsTests.task, as: agent).string("id"))
        let before = try harness.snapshot()
        let open: Set = ["list_tasks", "get_task", "create_task", "get_categories", "get_pricing_info", "get_platform_info",
                         "search_services", "get_service_details"]
        for tool in harness.tools.tools where !open.contains(tool.name) {
            let answer = try await call(harness, tool.name, ["task_id": .string(taskID)])
            #expect(answer.code == "UNAUTHORIZED", "\(tool.name) answered \(answer.text)")
        }
        #expect(try harness.snapshot() == before)
        #expect(harness.tools.tools.filter { $0.description?.hasSuffix("No API key needed.") == true }.map(\.name).sorted() == open.sorted())
    }

    @Test func anAnonymousCreateTaskAnswersTheTaskTokenThatManagesIt() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let posted = try await call(harness, "create_task", ToolArgumentsTests.task)
        #expect(posted.isError == false)
        let token = try #require(posted.string("task_token"))
        #expect(token.hasPrefix(AnonymousTask.tokenPrefix))
        let taskID = try #require(posted.string("task.id"))
        #expect(posted.string("fund_url") == "/v1/tasks/\(taskID)/fund")
        #expect(posted.string("task.funding_status") == "unfunded")

        let funded = try await call(harness, "create_task", ToolArgumentsTests.task(["fund": ["source": "wallet"]]))
        #expect(funded.code == "VALIDATION_ERROR")
        #expect(funded.field == "fund")

        try await harness.withREST { client in
            let (status, body) = try await client.send(.get, "/v1/tasks/\(taskID)", token: token)
            #expect(status == .ok)
            #expect((restData(body) as? [String: Any])?["id"] as? String == taskID)
            let (canceled, _) = try await client.send(.post, "/v1/tasks/\(taskID)/cancel", token: token)
            #expect(canceled == .ok)
        }
        // The per-address cap on unfunded anonymous tasks holds for the tool as for REST (the canceled one no longer counts).
        for _ in 0..<AnonymousTask.unfundedPerAddressMax { #expect(try await call(harness, "create_task", ToolArgumentsTests.task).isError == false) }
        #expect(try await call(harness, "create_task", ToolArgumentsTests.task).code == "LIMIT_EXCEEDED")
    }

    @Test func aSessionWithoutAKeyOpensOverHTTPAndStaysItsOwn() async throws {
        try await MCPHTTPTransportTests.withRouter { client, harness in
            let agent = try await harness.caller("agent@example.com")
            let opened = try await MCPHTTPTransportTests.post(client, MCPHTTPTransportTests.initialize, key: nil)
            #expect(opened.status == .ok)
            let session = try #require(opened.session)
            let list = #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_tasks","arguments":{}}}"#
            let listed = try await MCPHTTPTransportTests.post(client, list, key: nil, session: session)
            #expect(((listed.json["result"] as? [String: Any])?["isError"] as? Bool) == false)
            let fund = #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_wallet","arguments":{}}}"#
            let refused = try await MCPHTTPTransportTests.post(client, fund, key: nil, session: session)
            #expect(((refused.json["result"] as? [String: Any])?["isError"] as? Bool) == true)
            #expect(refused.body.contains("UNAUTHORIZED"))
            // A key cannot take over a session opened without one.
            #expect(try await MCPHTTPTransportTests.post(client, MCPHTTPTransportTests.listTools, key: agent.key, session: session).status == .notFound)
        }
    }
}
