import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// A whole task's life over HTTP on a real SQLite file: deposit, post, apply, accept (refused
/// until funded), fund, submit, revision, resubmit, approve. Afterwards every cent is where
/// the recipes say and the ledger verifies clean.
struct LifecycleTests {

    @Test func aTaskGoesFromPostedToPaidWithExactMoney() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let app = Application(router: buildRouter(services: test.services, mode: "test"))
        try await app.test(.router) { client in
            let agent = try await client.session("agent@example.com", role: "agent")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "top-up-1")

            let (_, created) = try await client.send(.post, "/v1/tasks", token: agent, json: """
                {"title":"Photograph the storefront","description":"Two daylight photos and a note","category":"photography",
                 "budget":{"amount":"25.00","currency":"USD"},"required_deliverables":["photo","text"]}
                """)
            let taskID = try #require(data(created)["id"] as? String)
            let (applied, application) = try await client.send(.post, "/v1/tasks/\(taskID)/applications", token: human, json: #"{"message":"I live next door"}"#)
            #expect(applied == .created)
            let (twice, _) = try await client.send(.post, "/v1/tasks/\(taskID)/applications", token: human, json: #"{"message":"again"}"#)
            #expect(twice == .conflict)
            let applicationID = try #require(data(application)["id"] as? String)

            let (unfunded, unfundedBody) = try await client.send(.post, "/v1/tasks/\(taskID)/applications/\(applicationID)/accept", token: agent)
            #expect(unfunded.code == 402)
            #expect((unfundedBody["error"] as? [String: Any])?["code"] as? String == "PAYMENT_REQUIRED")
            #expect(((unfundedBody["error"] as? [String: Any])?["message"] as? String)?.contains("/v1/tasks/\(taskID)/fund") == true)

            _ = try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: agent)
            let (accepted, assigned) = try await client.send(.post, "/v1/tasks/\(taskID)/applications/\(applicationID)/accept", token: agent)
            #expect(accepted == .ok)
            #expect(data(assigned)["status"] as? String == "assigned")

            let (missing, missingBody) = try await client.send(.post, "/v1/tasks/\(taskID)/submissions", token: human,
                                                        json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            #expect(missing == .badRequest)
            #expect((missingBody["error"] as? [String: Any])?["field"] as? String == "deliverables")
            let submission = #"{"deliverables":[{"kind":"photo","value":"https://files.example.com/1.jpg"},{"kind":"text","value":"Shop open"}]}"#
            let (submitted, _) = try await client.send(.post, "/v1/tasks/\(taskID)/submissions", token: human, json: submission)
            #expect(submitted == .created)
            let (early, _) = try await client.send(.post, "/v1/tasks/\(taskID)/approve", token: human)
            #expect(early == .notFound)  // only the owner approves

            let (revision, revised) = try await client.send(.post, "/v1/tasks/\(taskID)/request-revision", token: agent, json: #"{"feedback":"Please include the door"}"#)
            #expect(revision == .ok)
            #expect(data(revised)["status"] as? String == "revision_requested")
            _ = try await client.send(.post, "/v1/tasks/\(taskID)/submissions", token: human, json: submission)

            let (approved, paid) = try await client.send(.post, "/v1/tasks/\(taskID)/approve", token: agent)
            #expect(approved == .ok)
            #expect(data(paid)["status"] as? String == "paid")
            let (again, _) = try await client.send(.post, "/v1/tasks/\(taskID)/approve", token: agent)
            #expect(again == .conflict)

            // Exact money: agent 100.00 − 27.50; worker 25.00; fee 2.50; escrow empty.
            let (_, agentWallet) = try await client.send(.get, "/v1/wallet", token: agent)
            let agentUSD = try #require((agentWallet["data"] as? [[String: Any]])?.first { $0["asset"] as? String == "USD" })
            #expect((agentUSD["available"] as? [String: Any])?["amount"] as? String == "72.50")
            #expect((agentUSD["frozen"] as? [String: Any])?["amount"] as? String == "0.00")
            let (_, humanWallet) = try await client.send(.get, "/v1/wallet", token: human)
            let humanUSD = try #require((humanWallet["data"] as? [[String: Any]])?.first { $0["asset"] as? String == "USD" })
            #expect((humanUSD["available"] as? [String: Any])?["amount"] as? String == "25.00")
            let fees = try #require(try test.ledger.account(code: "revenue:fees:test:USD"))
            #expect(fees.balance.posted(for: .revenue) == 250)
            let funding = try #require(try test.services.settlement.funding(of: taskID))
            #expect(try test.ledger.account(funding.escrowAccountID)?.balance.posted(for: .liability) == 0)
            #expect(try test.ledger.verify().isClean)
        }
    }
}
