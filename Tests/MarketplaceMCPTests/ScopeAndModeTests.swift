import Foundation
import MCP
import Marketplace
import MarketplaceHTTP
import Testing
@testable import MarketplaceMCP

/// Scopes, roles and test/live mode decide exactly what they decide in REST: the services see
/// the key's principal and nothing else.
struct ScopeAndModeTests {
    /// Every tool that needs a scope, with arguments that would otherwise get past the schema.
    static let scoped: [(tool: String, scope: String, arguments: [String: Value])] = [
        ("list_tasks", "tasks:read", ["mine": true]),
        ("get_task", "tasks:read", ["task_id": "TASK"]),
        ("create_task", "tasks:write", ToolArgumentsTests.task),
        ("update_task", "tasks:write", ["task_id": "TASK", "title": "Photograph the shop"]),
        ("fund_task", "wallet:write", ["task_id": "TASK", "source": "connector"]),
        ("cancel_task", "tasks:write", ["task_id": "TASK"]),
        ("hide_task", "tasks:write", ["task_id": "TASK", "hidden": true]),
        ("list_milestones", "tasks:read", ["task_id": "TASK"]),
        ("fund_milestone", "wallet:write", ["task_id": "TASK", "milestone_id": "m1"]),
        ("approve_milestone", "tasks:write", ["task_id": "TASK", "milestone_id": "m1"]),
        ("list_applications", "tasks:read", ["task_id": "TASK"]),
        ("respond_to_application", "tasks:write", ["task_id": "TASK", "application_id": "app_0", "action": "accept"]),
        ("list_submissions", "tasks:read", ["task_id": "TASK"]),
        ("respond_to_submission", "tasks:write", ["task_id": "TASK", "action": "approve"]),
        ("list_messages", "messages:read", ["task_id": "TASK", "with": "usr_0"]),
        ("send_message", "messages:write", ["task_id": "TASK", "body": "hello", "to": "usr_0"]),
        ("get_wallet", "wallet:read", [:]),
        ("list_transactions", "wallet:read", [:]),
        ("open_dispute", "tasks:write", ["task_id": "TASK", "reason": "late"]),
        ("create_service", "tasks:write", ServiceToolsTests.service),
        ("order_service", "tasks:write", ["service_id": "SERVICE"]),
        ("prepare_order_payment", "wallet:write", ["order_id": "TASK", "amount": "5.00"]),
    ]

    /// Tools any key may call (reads of public data), with their arguments.
    static let publicTools: [(tool: String, arguments: [String: Value])] = [
        ("get_categories", [:]), ("get_pricing_info", [:]), ("get_platform_info", [:]),
        ("search_services", [:]), ("get_service_details", ["service_id": "SERVICE"]),
    ]

    @Test func aKeyWithoutTheToolsScopeIsForbiddenAndChangesNothing() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let owner = try await harness.caller("agent@example.com")
        let taskID = try #require(try await harness.call("create_task", ToolArgumentsTests.task, as: owner).string("id"))
        let provider = try await harness.caller("provider@example.com", role: "human")
        let serviceID = try #require(try await harness.call("create_service", ServiceToolsTests.service, as: provider).string("id"))
        let fill = { (value: Value) -> Value in value == "TASK" ? .string(taskID) : value == "SERVICE" ? .string(serviceID) : value }
        #expect(Set(Self.scoped.map(\.tool) + Self.publicTools.map(\.tool)) == Set(MarketplaceTools.definitions.map(\.tool.name)))
        for (tool, scope, arguments) in Self.scoped {
            let lacking = try await harness.caller("agent@example.com", scopes: Harness.allScopes.filter { $0 != scope })
            let before = try harness.snapshot()
            let answer = try await harness.call(tool, arguments.mapValues(fill), as: lacking)
            #expect(answer.code == "FORBIDDEN", "\(tool) without \(scope): \(answer.text)")
            #expect(answer.message == "this key lacks the \(scope) scope", "\(tool)")
            #expect(try harness.snapshot() == before, "\(tool) without \(scope) wrote something")
            _ = try await harness.services.keys.revoke(lacking.keyID, for: try await harness.services.auth.authenticate(bearer: lacking.session))
        }
        let readOnly = try await harness.caller("agent@example.com", scopes: ["tasks:read"])
        for (tool, arguments) in Self.publicTools {
            let answer = try await harness.call(tool, arguments.mapValues(fill), as: readOnly)
            #expect(!answer.isError, "\(tool): \(answer.text)")
        }
    }

    @Test func onlyAgentsAndClientsPostAndFund() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let human = try await harness.caller("human@example.com", role: "human")
        let answer = try await harness.call("create_task", ToolArgumentsTests.task, as: human)
        #expect(answer.code == "FORBIDDEN")
        #expect(answer.message?.contains("only agents and clients post") == true)
    }

    @Test func aTestKeyNeverReachesLiveDataAndALiveKeyNeverUsesTheTestConnector() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let test = try await harness.caller("agent@example.com")
        let live = try await harness.caller("agent@example.com", mode: .live)
        let liveTask = try #require(try await harness.call("create_task", ToolArgumentsTests.task, as: live).string("id"))
        #expect(try await harness.call("get_task", ["task_id": .string(liveTask)], as: live).string("mode") == "live")

        let before = try harness.snapshot()
        #expect(try await harness.call("get_task", ["task_id": .string(liveTask)], as: test).code == "NOT_FOUND")
        #expect(try await harness.call("fund_task", ["task_id": .string(liveTask), "source": "connector"], as: test).code == "NOT_FOUND")
        #expect(try await harness.call("cancel_task", ["task_id": .string(liveTask)], as: test).code == "NOT_FOUND")
        let mine = try await harness.call("list_tasks", ["mine": true], as: test)
        #expect((mine["tasks"] as? [[String: Any]])?.isEmpty == true)
        #expect(try harness.snapshot() == before)

        let refused = try await harness.call("fund_task", ["task_id": .string(liveTask), "source": "connector"], as: live)
        #expect(refused.code == "FORBIDDEN")
        #expect(try await harness.call("create_task", ToolArgumentsTests.task(["mock_operator": true]), as: live).field == "mock_operator")

        // The same user's test-mode money is not the live wallet's.
        let testTask = try #require(try await harness.call("create_task", ToolArgumentsTests.task, as: test).string("id"))
        #expect(try await harness.call("fund_task", ["task_id": .string(testTask), "source": "connector"], as: test).string("status") == "funded")
        _ = try await harness.call("cancel_task", ["task_id": .string(testTask)], as: test)
        let testWallet = try await harness.call("get_wallet", as: test)
        let liveWallet = try await harness.call("get_wallet", as: live)
        #expect(Self.usd(testWallet)?["available"].flatMap { ($0 as? [String: Any])?["amount"] as? String } == "27.50")
        #expect(Self.usd(liveWallet)?["available"].flatMap { ($0 as? [String: Any])?["amount"] as? String } == "0.00")
    }

    /// The USD wallet of a get_wallet answer.
    static func usd(_ answer: ToolAnswer) -> [String: Any]? {
        (answer["wallets"] as? [[String: Any]])?.first { $0["asset"] as? String == "USD" }
    }
}
