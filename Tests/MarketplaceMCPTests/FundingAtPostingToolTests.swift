import Foundation
import HTTPTypes
import MCP
import Marketplace
import Testing
@testable import MarketplaceMCP

/// create_task with fund: the same one-commit post-and-fund as REST's, through the tool.
struct FundingAtPostingToolTests {
    @Test func createTaskWithAFundingPostsAndFundsOrWritesNothing() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let before = try harness.snapshot()
        let short = try await harness.call("create_task", ToolArgumentsTests.task(["fund": ["source": "wallet"]]), as: agent)
        #expect(short.isError)
        #expect(short.code == "INSUFFICIENT_BALANCE")
        #expect(try harness.snapshot() == before)  // no task, no funding, no event

        try await harness.withREST { client in
            let (deposited, _) = try await client.send(.post, "/v1/wallet/deposits", token: agent.key, json: #"{"amount":"100.00","currency":"USD"}"#,
                                                       idempotencyKey: "d1")
            #expect(deposited == .created)
        }
        let posted = try await harness.call("create_task", ToolArgumentsTests.task(["fund": ["source": "wallet"]]), as: agent)
        #expect(!posted.isError, "\(posted.text)")
        let taskID = try #require(posted.string("id"))
        #expect(posted.string("status") == "published")
        #expect(posted.string("funding.task_id") == taskID)
        #expect(posted.string("funding.escrow.amount") == "27.50")
        #expect(try harness.available(harness.walletCode(agent.userID)) == 7_250)

        let refused = try await harness.call("create_task", ToolArgumentsTests.task(["fund": ["source": "card"]]), as: agent)
        #expect(refused.code == "VALIDATION_ERROR")
        #expect(refused.field == "fund.source")
    }
}
