import Foundation
import HTTPTypes
import LedgerCore
import MCP
import Marketplace
import Testing
@testable import MarketplaceMCP

/// The milestone tools over the same services as REST: post with milestones, fund one part,
/// approve it once (again moves nothing), refuse an unfunded one; the ledger agrees to the cent.
struct MilestoneToolTests {
    @Test func milestonesArePostedFundedAndApprovedOneAtATime() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let human = try await harness.caller("human@example.com", role: "human")
        try await harness.withREST { client in
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent.key, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
        }
        let parts: Value = [["title": "First", "amount": "6.00"], ["title": "Second", "amount": "4.00", "due_date": "2031-01-01T00:00:00Z"]]
        let uneven = try await harness.call("create_task", ToolArgumentsTests.task(["milestones": [["title": "Only", "amount": "9.99"]]]), as: agent)
        #expect(uneven.code == "VALIDATION_ERROR")
        #expect(uneven.field == "milestones")
        let bare = ToolArgumentsTests.task(["budget": ["amount": "10.00", "currency": "USD"], "milestones": parts])
        let posted = try await harness.call("create_task", bare, as: agent)
        #expect(!posted.isError, "\(posted.text)")
        let taskID = try #require(posted.string("id"))

        let funded = try await harness.call("fund_milestone", ["task_id": .string(taskID), "milestone_id": "m1"], as: agent)
        #expect(funded.string("milestone.status") == "funded")
        #expect(funded.string("milestone.escrow.amount") == "6.60")
        #expect(try harness.available(harness.walletCode(agent.userID)) == 10_000 - 660)

        try await harness.withREST { client in
            let (_, applied) = try await client.send(.post, "/v1/tasks/\(taskID)/applications", token: human.key, json: #"{"message":"me"}"#)
            let applicationID = try #require(restData(applied).flatMap { ($0 as? [String: Any])?["id"] as? String })
            let (accepted, _) = try await client.send(.post, "/v1/tasks/\(taskID)/applications/\(applicationID)/accept", token: agent.key)
            #expect(accepted == .ok)
        }
        let unfunded = try await harness.call("approve_milestone", ["task_id": .string(taskID), "milestone_id": "m2"], as: agent)
        #expect(unfunded.code == "PAYMENT_REQUIRED")
        let approved = try await harness.call("approve_milestone", ["task_id": .string(taskID), "milestone_id": "m1"], as: agent)
        #expect(approved.string("milestone.status") == "released")
        #expect(approved.string("task_status") == "assigned")
        let again = try await harness.call("approve_milestone", ["task_id": .string(taskID), "milestone_id": "m1"], as: agent)
        #expect(!again.isError)
        #expect(try harness.available(harness.walletCode(human.userID)) == 600)

        let listed = try await harness.call("list_milestones", ["task_id": .string(taskID)], as: human)
        #expect((listed["milestones"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["released", "pending"])
        let task = try await harness.call("get_task", ["task_id": .string(taskID)], as: agent)
        #expect((task["milestones"] as? [[String: Any]])?.count == 2)
        #expect(try harness.ledger.verify().isClean)
    }
}
