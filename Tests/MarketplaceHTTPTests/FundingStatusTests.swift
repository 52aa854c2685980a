import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Testing
@testable import MarketplaceHTTP

/// A task says where its money stands (`funding_status`, seeds 003 and 004) and how many people
/// applied (`application_count`), in its own read, in the listing and in the answers that
/// change them.
struct FundingStatusTests {
    private static let task = #"{"title":"Check the opening hours","description":"Call and ask","category":"research","budget":{"amount":"30.00","currency":"USD"}}"#

    private func read(_ client: Client, _ id: String, _ token: String) async throws -> [String: Any] {
        data(try await client.send(.get, "/v1/tasks/\(id)", token: token).1)
    }

    @Test func aTaskGoesFromUnfundedToFundedToReleasedAndCountsItsApplicants() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let first = try await client.session("first@example.com", role: "human")
            let second = try await client.session("second@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (_, created) = try await client.send(.post, "/v1/tasks", token: agent, json: Self.task)
            #expect(data(created)["funding_status"] as? String == "unfunded")
            #expect(data(created)["application_count"] as? Int == 0)
            let id = try #require(data(created)["id"] as? String)

            let (_, applied) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: first, json: #"{"message":"I can call"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(id)/applications", token: second, json: #"{"message":"Me too"}"#)
            #expect(try await read(client, id, agent)["application_count"] as? Int == 2)
            let (_, listed) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            let row = (data(listed)["tasks"] as? [[String: Any]])?.first { $0["id"] as? String == id }
            #expect(row?["application_count"] as? Int == 2)
            #expect(row?["funding_status"] as? String == "unfunded")

            let (funded, _) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
            #expect(funded == .ok)
            #expect(try await read(client, id, agent)["funding_status"] as? String == "funded")

            let applicationID = try #require(data(applied)["id"] as? String)
            _ = try await client.send(.post, "/v1/tasks/\(id)/applications/\(applicationID)/accept", token: agent)
            let assigned = try await read(client, id, agent)
            #expect(assigned["funding_status"] as? String == "funded")
            #expect(assigned["application_count"] as? Int == 2)

            let (approved, paid) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(approved == .ok)
            #expect(data(paid)["status"] as? String == "paid")
            #expect(try await read(client, id, agent)["funding_status"] as? String == "released")
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func aCanceledFundedTaskIsRefundedAndACanceledUnfundedOneStaysUnfunded() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let funded = try await client.createTask(agent, Self.task)
            _ = try await client.send(.post, "/v1/tasks/\(funded)/fund", token: agent)
            _ = try await client.send(.post, "/v1/tasks/\(funded)/cancel", token: agent)
            #expect(try await read(client, funded, agent)["funding_status"] as? String == "refunded")

            let unfunded = try await client.createTask(agent, Self.task)
            _ = try await client.send(.post, "/v1/tasks/\(unfunded)/cancel", token: agent)
            #expect(try await read(client, unfunded, agent)["funding_status"] as? String == "unfunded")
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func aFundingWaitingForTheOwnersApprovalIsPendingUntilApproved() async throws {
        try await withApp { client, _ in
            let owner = try await client.session("owner@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: owner, json: #"{"amount":"200.00","currency":"USD"}"#, idempotencyKey: "d")
            let (_, created) = try await client.send(.post, "/v1/keys", token: owner, json: """
                {"name":"bot","scopes":["tasks:read","tasks:write","wallet:read","wallet:write"],"mode":"test",
                 "spend_policy":{"currency":"USD","per_task":"10.00"}}
                """)
            let key = try #require(data(created)["secret"] as? String)
            let id = try await client.createTask(key, Self.task)
            let (held, heldBody) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: key)
            #expect(held == .accepted)
            #expect(try await read(client, id, key)["funding_status"] as? String == "pending")
            let approvalID = try #require(data(heldBody)["id"] as? String)
            let (approved, _) = try await client.send(.post, "/v1/funding-approvals/\(approvalID)/approve", token: owner)
            #expect(approved == .ok)
            #expect(try await read(client, id, key)["funding_status"] as? String == "funded")
        }
    }

    @Test func aTaskFundedAtPostingSaysFundedInItsCreateAnswer() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let body = #"{"title":"Check the opening hours","description":"Call and ask","category":"research","budget":{"amount":"30.00","currency":"USD"},"fund":{"source":"wallet"}}"#
            let (status, created) = try await client.send(.post, "/v1/tasks", token: agent, json: body)
            #expect(status == .created)
            #expect(data(created)["funding_status"] as? String == "funded")
            let id = try #require(data(created)["id"] as? String)
            #expect(try await read(client, id, agent)["funding_status"] as? String == "funded")
        }
    }
}
