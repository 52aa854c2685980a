import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// `POST /v1/tasks` with `"fund": {"source": …}` (seeds 003 and 004: the budget is in escrow
/// once the task exists): the task is created and funded in one commit, or nothing is written.
struct FundingAtPostingTests {
    private static func task(_ title: String = "Photograph the storefront", budget: String = "25.00", fund: String = #"{"source":"wallet"}"#) -> String {
        #"{"title":"\#(title)","description":"One daylight photo","category":"photography","budget":{"amount":"\#(budget)","currency":"USD"},"fund":\#(fund)}"#
    }

    private static func error(_ body: [String: Any]) -> (code: String?, field: String?) {
        let error = body["error"] as? [String: Any]
        return (error?["code"] as? String, error?["field"] as? String)
    }

    @Test func aTaskPostedWithAFundingIsFundedInTheSameCommit() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let commitsBefore = test.ledger.writerCommits.commits
            let (status, body) = try await client.send(.post, "/v1/tasks", token: agent, json: Self.task())
            #expect(status == .created)
            #expect(test.ledger.writerCommits.commits - commitsBefore == 1)  // the task and its funding: one durable commit
            let posted = data(body)
            let id = try #require(posted["id"] as? String)
            #expect(posted["status"] as? String == "published")
            let funding = try #require(posted["funding"] as? [String: Any])
            #expect(funding["task_id"] as? String == id)
            #expect(funding["source"] as? String == "wallet")
            #expect((funding["escrow"] as? [String: Any])?["amount"] as? String == "27.50")
            let wallet = try await client.wallet(agent)
            #expect(wallet.available == 7_250)
            #expect(wallet.frozen == 2_750)
            // Funded as if funded afterwards: funding again answers the same funding.
            let (again, againBody) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
            #expect(again == .ok)
            #expect((data(againBody)["escrow"] as? [String: Any])?["amount_minor"] as? Int == 2_750)
            #expect(try await client.wallet(agent).available == 7_250)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func aShortWalletWritesNoTask() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"10.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (status, body) = try await client.send(.post, "/v1/tasks", token: agent, json: Self.task())
            #expect(status.code == 402)
            #expect(Self.error(body).code == "INSUFFICIENT_BALANCE")
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [Any])?.isEmpty == true)
            let wallet = try await client.wallet(agent)
            #expect(wallet.available == 1_000)
            #expect(wallet.frozen == 0)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func aFundingThatCannotLandAtOnceIsRefusedByName() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            for (fund, field) in [(#"{"source":"card"}"#, "fund.source"), (#"{"source":"usdc"}"#, "fund.source"), (#"{"source":"bank"}"#, "fund.source"),
                                  (#"{"source":"wallet","amount":"5.00"}"#, "fund.amount"), (#"{}"#, "fund.source")] {
                let (status, body) = try await client.send(.post, "/v1/tasks", token: agent, json: Self.task(fund: fund))
                #expect(status == .badRequest, "\(fund)")
                #expect(Self.error(body).field == field, "\(fund): \(body)")
            }
            // Without credentials there is no wallet: an anonymous post funds through its fund_url.
            let (anonymous, body) = try await client.send(.post, "/v1/tasks", json: Self.task())
            #expect(anonymous == .badRequest)
            #expect(Self.error(body).field == "fund")
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [Any])?.isEmpty == true)
            #expect(try await client.wallet(agent).available == 10_000)
        }
    }

    @Test func aKeyedPostReplaysItsAnswerAndFundsOnce() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (first, firstBody) = try await client.send(.post, "/v1/tasks", token: agent, json: Self.task(), idempotencyKey: "post-1")
            let (second, secondBody) = try await client.send(.post, "/v1/tasks", token: agent, json: Self.task(), idempotencyKey: "post-1")
            #expect(first == .created)
            #expect(second == .created)
            #expect(data(firstBody)["id"] as? String == data(secondBody)["id"] as? String)
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [Any])?.count == 1)
            #expect(try await client.wallet(agent).available == 7_250)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func aFundingAKeysPolicyWouldSetAsideWritesNoTask() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (_, key) = try await client.send(.post, "/v1/keys", token: agent, json: #"""
                {"name":"capped","scopes":["tasks:read","tasks:write","wallet:read","wallet:write"],"mode":"test","spend_policy":{"currency":"USD","per_task":"5.00"}}
                """#)
            let capped = try #require(data(key)["secret"] as? String)
            let (status, body) = try await client.send(.post, "/v1/tasks", token: capped, json: Self.task())
            #expect(status == .conflict)
            #expect(Self.error(body).field == "fund")
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [Any])?.isEmpty == true)
            let (_, approvals) = try await client.send(.get, "/v1/funding-approvals", token: agent)
            #expect((approvals["data"] as? [Any])?.isEmpty == true)
            #expect(try await client.wallet(agent).available == 10_000)
        }
    }
}
