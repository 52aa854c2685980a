import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Rehearsing alone with a mock operator, and the owner's standing orders on proof scores.
struct MockOperatorTests {
    private static let spec = """
        "title":"Photograph the storefront","description":"One daylight photo","category":"photography",
        "budget":{"amount":"20.00","currency":"USD"},"required_deliverables":["photo","text"],"proof_requirements":["storefront sign visible"]
        """

    @Test func aMockOperatorAppliesIsAcceptedOnFundingAndSubmits() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d")
            let id = try await client.createTask(agent, "{\(Self.spec),\"mock_operator\":true}")
            let (_, applications) = try await client.send(.get, "/v1/tasks/\(id)/applications", token: agent)
            #expect((applications["data"] as? [[String: Any]])?.count == 1)  // it applied at once

            let (funded, _) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
            #expect(funded == .ok)
            let (_, task) = try await client.send(.get, "/v1/tasks/\(id)", token: agent)
            #expect(data(task)["status"] as? String == "submitted")
            let (_, submissions) = try await client.send(.get, "/v1/tasks/\(id)/submissions", token: agent)
            let submission = try #require((submissions["data"] as? [[String: Any]])?.first)
            #expect((submission["deliverables"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["photo", "text"])
            #expect(submission["score"] as? Int == 100)

            let (approved, paid) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(approved == .ok)
            #expect(data(paid)["status"] as? String == "paid")
            #expect(try test.ledger.account(code: "wallet:user:test:usr_mock_operator:USD")?.balance.posted(for: .liability) == 2_000)
            try await client.expectWalletMatchesLedger(agent, test)

            // The mock operator (like an anonymous task's owner) is a user nobody can log in as.
            let (mockLogin, _) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"mock-operator@marketplace.invalid","password":"!"}"#)
            #expect(mockLogin == .unauthorized)

            // Live mode has no mock operators.
            let (_, live) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"agent@example.com","password":"correct horse","mode":"live"}"#)
            let liveToken = try #require(data(live)["access_token"] as? String)
            let (refused, body) = try await client.send(.post, "/v1/tasks", token: liveToken, json: "{\(Self.spec),\"mock_operator\":true}")
            #expect(refused == .badRequest)
            #expect(errorField(body) == "mock_operator")
        }
    }

    @Test func scoresApproveOrRejectAtOnceWhenTheOwnerAsks() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d")
            func assigned(_ extra: String) async throws -> String {
                let id = try await client.createTask(agent, "{\(Self.spec)\(extra)}")
                _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
                let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
                _ = try await client.send(.post, "/v1/tasks/\(id)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
                return id
            }
            let good = #"{"deliverables":[{"kind":"photo","value":"https://files.example.com/1.jpg"},{"kind":"text","value":"The storefront sign is visible above the door"}]}"#
            let poor = #"{"deliverables":[{"kind":"photo","value":"https://files.example.com/1.jpg"},{"kind":"text","value":"done"}]}"#

            let approving = try await assigned(#","auto_approve":true"#)
            let (_, approved) = try await client.send(.post, "/v1/tasks/\(approving)/submissions", token: human, json: good)
            #expect(data(approved)["score"] as? Int == 100)
            #expect(data(approved)["status"] as? String == "approved")
            let (_, paidTask) = try await client.send(.get, "/v1/tasks/\(approving)", token: agent)
            #expect(data(paidTask)["status"] as? String == "paid")

            let rejecting = try await assigned(#","auto_reject":true"#)
            let (_, rejected) = try await client.send(.post, "/v1/tasks/\(rejecting)/submissions", token: human, json: poor)
            #expect(data(rejected)["score"] as? Int == 30)  // kinds 30, proof 0, a thin text 0
            #expect(data(rejected)["status"] as? String == "rejected")
            #expect((data(rejected)["feedback"] as? String)?.contains("storefront sign visible") == true)
            let (_, back) = try await client.send(.get, "/v1/tasks/\(rejecting)", token: agent)
            #expect(data(back)["status"] as? String == "assigned")

            // Without the orders nothing happens on its own.
            let manual = try await assigned("")
            let (_, left) = try await client.send(.post, "/v1/tasks/\(manual)/submissions", token: human, json: poor)
            #expect(data(left)["status"] as? String == "submitted")
            #expect(try await client.wallet(human).available == 2_000)
            for token in [agent, human] { try await client.expectWalletMatchesLedger(token, test) }
        }
    }

    @Test func theRuleVerifierCountsKindsProofsAndSubstance() {
        let spec = TaskSpec.sample(required: [.photo, .text], proofs: ["storefront sign visible", "opening hours posted"])
        let half = RuleVerifier().score([.init(kind: .photo, value: "https://x.example/1.jpg"), .init(kind: .text, value: "The storefront sign is clear")],
                                        note: nil, for: spec)
        #expect(half.value == 30 + 30 + 10)
        #expect(half.notes == ["proof requirement not addressed: opening hours posted"])
    }
}

extension TaskSpec {
    static func sample(required: [Deliverable], proofs: [String]) -> TaskSpec {
        try! TaskDraft(title: "t", description: "d", category: "photography", budget: .init(amount: "1", currency: "USD"),
                       requiredDeliverables: required.map(\.rawValue), proofRequirements: proofs).validated(nowMicros: 0)
    }
}
