import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// 50 calls at once on one task: exactly one takes effect, the money moves once, and the
/// ledger verifies clean.
struct ConcurrencyTests {
    private static let deliverable = #"{"deliverables":[{"kind":"text","value":"done"}]}"#

    /// Fires `calls` at once and returns their statuses, in the order of `calls`.
    private func race(_ client: Client, _ calls: [(HTTPRequest.Method, String, String, String?)]) async throws -> [HTTPResponse.Status] {
        try await withThrowingTaskGroup(of: (Int, HTTPResponse.Status).self) { group in
            for (index, (method, uri, token, json)) in calls.enumerated() {
                group.addTask { (index, try await client.send(method, uri, token: token, json: json).0) }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// A funded task of 20.00 (22.00 in escrow) from a 100.00 deposit; `delivery` is its delivery type.
    private func fundedTask(_ client: Client, _ agent: String, delivery: String = "freeform") async throws -> String {
        _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: UUID().uuidString)
        let id = try await client.createTask(agent, #"{"title":"t","description":"d","category":"research","budget":{"amount":"20.00","currency":"USD"},"delivery_type":"\#(delivery)"}"#)
        _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
        return id
    }

    @Test func fiftyApprovalsPayOnce() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let id = try await fundedTask(client, agent)
            let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(id)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
            _ = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: Self.deliverable)

            let statuses = try await race(client, Array(repeating: (.post, "/v1/tasks/\(id)/approve", agent, nil), count: 50))
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 49)
            #expect(try await client.wallet(human).available == 2_000)
            #expect(try test.ledger.account(code: "revenue:fees:test:USD")?.balance.posted(for: .revenue) == 200)
            for token in [agent, human] { try await client.expectWalletMatchesLedger(token, test) }
        }
    }

    @Test func fiftyAcceptsAssignOneApplicant() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let id = try await fundedTask(client, agent)
            var applications: [String] = []
            for index in 0..<50 {
                let human = try await client.session("human\(index)@example.com", role: "human")
                let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
                applications.append(try #require(data(application)["id"] as? String))
            }
            let statuses = try await race(client, applications.map { (.post, "/v1/tasks/\(id)/applications/\($0)/accept", agent, nil) })
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 49)
            let (_, listed) = try await client.send(.get, "/v1/tasks/\(id)/applications", token: agent)
            #expect((listed["data"] as? [[String: Any]])?.filter { $0["status"] as? String == "accepted" }.count == 1)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    /// Cancels, accepts and approvals of one task at once. A submission task cannot be approved
    /// before its work is submitted, so the cancel always wins: refunded once, in full.
    @Test func fiftyMixedCancelsAcceptsAndApprovalsRefundAtMostOnce() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let (id, _, calls, statuses) = try await raceCancelsAcceptsAndApprovals(client, agent, delivery: "submission")
            let succeeded = zip(calls, statuses).filter { $0.1 == .ok }.map { $0.0.1.split(separator: "/").last! }
            #expect(succeeded.filter { $0 == "cancel" }.count == 1, "\(zip(calls.map(\.1), statuses).map { "\($0.split(separator: "/").last!) \($1.code)" })")  // the task ends canceled: from published or from assigned
            #expect(succeeded.filter { $0 == "accept" }.count <= 1)
            #expect(!succeeded.contains("approve"))
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .conflict || $0.code == 402 }, "\(statuses)")
            let (_, task) = try await client.send(.get, "/v1/tasks/\(id)", token: agent)
            #expect(data(task)["status"] as? String == "canceled")
            #expect(try await client.wallet(agent).available == 10_000)  // refunded once, in full
            #expect(try await client.wallet(agent).frozen == 0)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    /// The same race on a freeform task, which its owner may complete once it is assigned: it
    /// ends either canceled (refunded in full, nobody paid) or paid (an accept, then an
    /// approval: the worker paid once, nothing refunded), never both, and the money agrees.
    @Test func aFreeformTaskRacedEndsCanceledOrPaidNeverBoth() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let (id, human, calls, statuses) = try await raceCancelsAcceptsAndApprovals(client, agent, delivery: "freeform")
            let succeeded = zip(calls, statuses).filter { $0.1 == .ok }.map { String($0.0.1.split(separator: "/").last!) }
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .conflict || $0.code == 402 }, "\(statuses)")
            #expect(succeeded.filter { $0 == "accept" }.count <= 1)
            let (_, task) = try await client.send(.get, "/v1/tasks/\(id)", token: agent)
            let worker = try await client.wallet(human)
            switch data(task)["status"] as? String {
            case "canceled":
                #expect(succeeded.filter { $0 == "cancel" }.count == 1 && !succeeded.contains("approve"), "\(succeeded)")
                #expect(try await client.wallet(agent).available == 10_000)
                #expect(worker.available == 0)
            case "paid":
                #expect(succeeded.filter { $0 == "approve" }.count == 1 && succeeded.contains("accept") && !succeeded.contains("cancel"), "\(succeeded)")
                #expect(try await client.wallet(agent).available == 7_800)
                #expect(worker.available == 2_000)
            default: Issue.record("the task ended \(data(task)["status"] ?? "nil")")
            }
            #expect(try await client.wallet(agent).frozen == 0)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    /// A funded task with one application (by the human it answers), then 50 cancels, accepts and approvals sent at once.
    private func raceCancelsAcceptsAndApprovals(_ client: Client, _ agent: String, delivery: String) async throws
        -> (task: String, human: String, calls: [(HTTPRequest.Method, String, String, String?)], statuses: [HTTPResponse.Status]) {
        let human = try await client.session("human@example.com", role: "human")
        let id = try await fundedTask(client, agent, delivery: delivery)
        let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
        let applicationID = try #require(data(application)["id"] as? String)
        var calls: [(HTTPRequest.Method, String, String, String?)] = []
        for index in 0..<50 {
            switch index % 3 {
            case 0: calls.append((.post, "/v1/tasks/\(id)/cancel", agent, nil))
            case 1: calls.append((.post, "/v1/tasks/\(id)/applications/\(applicationID)/accept", agent, nil))
            default: calls.append((.post, "/v1/tasks/\(id)/approve", agent, nil))
            }
        }
        return (id, human, calls, try await race(client, calls))
    }

    /// Approvals and declines of one held funding, all at once: one decision wins, and the
    /// money agrees with it (funded only when the approval reads "approved").
    @Test func racingApprovalsAndDeclinesOfAHeldFundingDecideOnce() async throws {
        try await withApp { client, test in
            let owner = try await client.session("owner@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: owner, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d")
            let (_, created) = try await client.send(.post, "/v1/keys", token: owner, json: """
                {"name":"bot","scopes":["tasks:read","tasks:write","wallet:read","wallet:write"],"mode":"test",
                 "spend_policy":{"currency":"USD","per_task":"5.00"}}
                """)
            let key = try #require(data(created)["secret"] as? String)
            for round in 0..<4 {
                let id = try await client.createTask(key, #"{"title":"t","description":"d","category":"research","budget":{"amount":"10.00","currency":"USD"}}"#)
                let (held, heldBody) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: key)
                #expect(held == .accepted)
                let approval = try #require(data(heldBody)["id"] as? String)
                let calls = (0..<16).map { index in
                    (HTTPRequest.Method.post, "/v1/funding-approvals/\(approval)/\(index % 2 == round % 2 ? "approve" : "decline")", owner, String?.none)
                }
                let statuses = try await race(client, calls)
                #expect(statuses.filter { $0 == .ok }.count == 1)
                #expect(statuses.filter { $0 == .conflict }.count == 15)

                let (_, listed) = try await client.send(.get, "/v1/funding-approvals", token: owner)
                let status = try #require((listed["data"] as? [[String: Any]])?.first { $0["id"] as? String == approval }?["status"] as? String)
                let funded = try test.services.settlement.funding(of: id) != nil
                #expect(funded == (status == "approved"))
                #expect(status == "approved" || status == "declined")
            }
            try await client.expectWalletMatchesLedger(owner, test)
        }
    }
}
