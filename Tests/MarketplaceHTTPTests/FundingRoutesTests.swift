import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Anonymous posting with its task token, spend policies with the owner's approval, the risk
/// gate, and the public pricing and platform pages.
struct FundingRoutesTests {
    private static func task(_ title: String = "Check the opening hours", budget: String = "30.00") -> String {
        #"{"title":"\#(title)","description":"Call and ask","category":"research","budget":{"amount":"\#(budget)","currency":"USD"}}"#
    }

    @Test func anAnonymousTaskIsManagedByItsTokenAlone() async throws {
        try await withApp { client, test in
            let (posted, body) = try await client.send(.post, "/v1/tasks", json: Self.task())
            #expect(posted == .created)
            let token = try #require(data(body)["task_token"] as? String)
            #expect(token.hasPrefix("tt_"))
            let taskID = try #require((data(body)["task"] as? [String: Any])?["id"] as? String)
            #expect(data(body)["fund_url"] as? String == "/v1/tasks/\(taskID)/fund")
            #expect(data(body)["task_url"] as? String == "/v1/tasks/\(taskID)")

            let (me, meBody) = try await client.send(.get, "/v1/auth/me", token: token)
            #expect(me == .ok)
            #expect(data(meBody)["credential"] as? String == "task_token:\(taskID)")
            let (keys, _) = try await client.send(.get, "/v1/keys", token: token)
            #expect(keys == .forbidden)  // a task token manages its task, not an account

            // Another user's task is out of its reach.
            let agent = try await client.session("agent@example.com")
            let other = try await client.createTask(agent, Self.task("Another task"))
            let (foreign, _) = try await client.send(.post, "/v1/tasks/\(other)/cancel", token: token)
            #expect(foreign == .notFound)

            // Funded through the test connector, worked, approved: all with the token.
            let (funded, funding) = try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: token, json: #"{"source":"connector"}"#)
            #expect(funded == .ok)
            #expect(data(funding)["source"] as? String == "connector")
            #expect((data(funding)["escrow"] as? [String: Any])?["amount"] as? String == "33.00")
            let human = try await client.session("human@example.com", role: "human")
            let (_, application) = try await client.send(.post, "/v1/tasks/\(taskID)/applications", token: human, json: #"{"message":"me"}"#)
            let applicationID = try #require(data(application)["id"] as? String)
            let (accepted, _) = try await client.send(.post, "/v1/tasks/\(taskID)/applications/\(applicationID)/accept", token: token)
            #expect(accepted == .ok)
            _ = try await client.send(.post, "/v1/tasks/\(taskID)/submissions", token: human, json: #"{"deliverables":[{"kind":"text","value":"9 to 5"}]}"#)
            let (approved, paid) = try await client.send(.post, "/v1/tasks/\(taskID)/approve", token: token)
            #expect(approved == .ok)
            #expect(data(paid)["status"] as? String == "paid")
            #expect(try await client.wallet(human).available == 3_000)
            #expect(try test.ledger.account(code: "clearing:test:USD")?.balance.posted(for: .asset) == 3_300)
            try await client.expectWalletMatchesLedger(human, test)
        }
    }

    @Test func unfundedAnonymousTasksPerAddressAreCapped() async throws {
        try await withApp { client, _ in
            var tokens: [String] = []
            for index in 0..<AnonymousTask.unfundedPerAddressMax {
                let (status, body) = try await client.send(.post, "/v1/tasks", json: Self.task("Task \(index)"))
                #expect(status == .created)
                tokens.append(try #require(data(body)["task_token"] as? String))
            }
            let (refused, body) = try await client.send(.post, "/v1/tasks", json: Self.task("One too many"))
            #expect(refused == .tooManyRequests)
            #expect(errorCode(body) == "LIMIT_EXCEEDED")
            // Funding one frees a place.
            let (_, me) = try await client.send(.get, "/v1/auth/me", token: tokens[0])
            let taskID = String((data(me)["credential"] as? String ?? "").dropFirst("task_token:".count))
            _ = try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: tokens[0], json: #"{"source":"connector"}"#)
            let (again, _) = try await client.send(.post, "/v1/tasks", json: Self.task("Now there is room"))
            #expect(again == .created)
        }
    }

    @Test func aKeyAboveItsSpendPolicyWaitsForTheOwner() async throws {
        try await withApp { client, test in
            let owner = try await client.session("owner@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: owner, json: #"{"amount":"200.00","currency":"USD"}"#, idempotencyKey: "d")
            let (badPolicy, badBody) = try await client.send(.post, "/v1/keys", token: owner, json: """
                {"name":"bot","scopes":["tasks:read","tasks:write","wallet:read","wallet:write"],"mode":"test","spend_policy":{"currency":"USD","per_task":"-1"}}
                """)
            #expect(badPolicy == .badRequest)
            #expect(errorField(badBody) == "spend_policy.per_task")
            let (_, created) = try await client.send(.post, "/v1/keys", token: owner, json: """
                {"name":"bot","scopes":["tasks:read","tasks:write","wallet:read","wallet:write"],"mode":"test",
                 "spend_policy":{"currency":"USD","per_task":"40.00","per_day":"60.00"}}
                """)
            let key = try #require(data(created)["secret"] as? String)
            #expect(((data(created)["key"] as? [String: Any])?["spend_policy"] as? [String: Any])?["per_day"] as? String == "60.00")

            // 33.00 fits both caps; a second 33.00 passes the per-task cap but not the day's 60.00.
            let first = try await client.createTask(key, Self.task("First"))
            let (fundedFirst, _) = try await client.send(.post, "/v1/tasks/\(first)/fund", token: key)
            #expect(fundedFirst == .ok)
            let second = try await client.createTask(key, Self.task("Second"))
            let (held, heldBody) = try await client.send(.post, "/v1/tasks/\(second)/fund", token: key)
            #expect(held == .accepted)
            #expect(data(heldBody)["status"] as? String == "pending")
            #expect((data(heldBody)["reason"] as? String)?.contains("per day") == true)
            let approvalID = try #require(data(heldBody)["id"] as? String)
            #expect(try await client.wallet(owner).available == 20_000 - 3_300)  // nothing moved for the held one

            // Over the per-task cap.
            let big = try await client.createTask(key, Self.task("Big", budget: "50.00"))
            let (heldBig, heldBigBody) = try await client.send(.post, "/v1/tasks/\(big)/fund", token: key)
            #expect(heldBig == .accepted)
            #expect((data(heldBigBody)["reason"] as? String)?.contains("per task") == true)

            // Only the logged-in owner approves; the key cannot approve itself.
            let (byKey, _) = try await client.send(.post, "/v1/funding-approvals/\(approvalID)/approve", token: key)
            #expect(byKey == .forbidden)
            let stranger = try await client.session("stranger@example.com")
            let (byStranger, _) = try await client.send(.post, "/v1/funding-approvals/\(approvalID)/approve", token: stranger)
            #expect(byStranger == .notFound)
            let (_, listed) = try await client.send(.get, "/v1/funding-approvals", token: owner)
            #expect((listed["data"] as? [[String: Any]])?.count == 2)
            let (approved, approvedBody) = try await client.send(.post, "/v1/funding-approvals/\(approvalID)/approve", token: owner)
            #expect(approved == .ok)
            #expect((data(approvedBody)["approval"] as? [String: Any])?["status"] as? String == "approved")
            let (twice, _) = try await client.send(.post, "/v1/funding-approvals/\(approvalID)/approve", token: owner)
            #expect(twice == .conflict)
            let bigApproval = try #require(data(heldBigBody)["id"] as? String)
            let (declined, _) = try await client.send(.post, "/v1/funding-approvals/\(bigApproval)/decline", token: owner)
            #expect(declined == .ok)
            #expect(try await client.wallet(owner).available == 20_000 - 3_300 - 3_300)
            #expect(try await client.wallet(owner).frozen == 6_600)
            try await client.expectWalletMatchesLedger(owner, test)
        }
    }

    @Test func theRiskGateRefusesDeniedTermsNamingTheField() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            let (blocked, body) = try await client.send(.post, "/v1/tasks", token: agent, json: """
                {"title":"Pick up a parcel","description":"It holds a Firearm, handle with care","category":"delivery","budget":{"amount":"5","currency":"USD"}}
                """)
            #expect(blocked == .unprocessableContent)
            #expect(errorCode(body) == "RISK_GATE_BLOCKED")
            #expect(errorField(body) == "description")
            let id = try await client.createTask(agent, Self.task())
            let (patched, patchBody) = try await client.send(.patch, "/v1/tasks/\(id)", token: agent, json: #"{"title":"Buy counterfeit bags"}"#)
            #expect(patched == .unprocessableContent)
            #expect(errorField(patchBody) == "title")
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [[String: Any]])?.count == 1)
            #expect(throws: Never.self) { try RiskGate.standard.check([("title", "Photograph the fire station")]) }  // whole words only
        }
    }

    @Test func pricingAndPlatformArePublic() async throws {
        try await withApp { client, _ in
            let (status, pricing) = try await client.send(.get, "/v1/pricing")
            #expect(status == .ok)
            #expect(data(pricing)["version"] as? String == Pricing.standard.version)
            #expect(data(pricing)["basis_points"] as? Int == 1_000)
            #expect(data(pricing)["percent"] as? String == "10.00")
            let (_, platform) = try await client.send(.get, "/v1/platform")
            #expect(data(platform)["mode"] as? String == "test")
            #expect(data(platform)["currencies"] as? [String] == ["USD", "USDC"])
        }
    }
}
