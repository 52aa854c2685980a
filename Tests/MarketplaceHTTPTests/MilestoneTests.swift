import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LoopbackServer
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Milestones (seed 000) end to end over HTTP on a real SQLite file: a task's budget in parts,
/// funded whole or one part at a time, released one part at a time from escrow through the
/// partial-release recipes, the rest refunded on cancel; wallets equal the ledger to the cent
/// at each step and the ledger verifies clean.
struct MilestoneTests {
    /// $100.00 in three uneven parts; 10% on top makes a fee of $10.00, shared 3.33 / 3.34 / 3.33
    /// (running totals 3.333 → 3.33, 6.666 → 6.67, 10.00), so the escrow parts are 36.66, 36.67, 36.67.
    private static let threeParts = """
        {"title":"Survey three shops","description":"One report per shop","category":"research","budget":{"amount":"100.00","currency":"USD"},
         "milestones":[{"title":"First shop","amount":"33.33","due_date":"2031-01-01T12:00:00Z"},{"title":"Second shop","amount":33.33},
                       {"title":"Third shop","amount":"33.34"}]}
        """

    @Test func threeMilestonesApprovedOneAtATimeThenCanceledRefundTheRest() async throws {
        try await withApp { client, test in
            let (agent, human) = (try await client.session("agent@example.com"), try await client.session("human@example.com", role: "human"))
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"1000.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (created, body) = try await client.send(.post, "/v1/tasks", token: agent, json: Self.threeParts)
            #expect(created == .created)
            let taskID = try #require(data(body)["id"] as? String)
            #expect(Self.statuses(data(body)) == ["pending", "pending", "pending"])

            // One milestone alone: its amount plus its fee share, and nothing else.
            let (funded, first) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m1/fund", token: agent)
            #expect(funded == .ok)
            let m1 = try #require(data(first)["milestone"] as? [String: Any])
            #expect(Self.minor(m1["escrow"]) == 3_666 && Self.minor(m1["payout"]) == 3_333 && Self.minor(m1["fee"]) == 333)
            #expect(try await client.wallet(agent).available == 100_000 - 3_666)
            #expect(try await client.wallet(agent).frozen == 3_666)
            try await client.expectWalletMatchesLedger(agent, test)

            // Funding the task whole now funds the two milestones left, in one transfer.
            let (whole, _) = try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: agent)
            #expect(whole == .ok)
            #expect(try await client.wallet(agent).available == 100_000 - 11_000)
            #expect(try await client.wallet(agent).frozen == 11_000)
            let (_, shown) = try await client.send(.get, "/v1/tasks/\(taskID)", token: agent)
            #expect(Self.statuses(data(shown)) == ["funded", "funded", "funded"])
            let parts = (data(shown)["milestones"] as? [[String: Any]] ?? []).map { Self.minor($0["escrow"]) }
            #expect(parts == [3_666, 3_667, 3_667])
            try await client.expectWalletMatchesLedger(agent, test)

            try await Self.assign(taskID, to: human, by: agent, client)
            try await Self.expectApproval("m1", of: taskID, by: agent, status: "assigned", client)
            #expect(try await client.wallet(human).available == 3_333)
            #expect(try Self.fees(test) == 333)
            #expect(try await client.wallet(agent).frozen == 11_000 - 3_666)
            try await client.expectWalletMatchesLedger(human, test)

            // Approving it again moves nothing.
            let (again, _) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m1/approve", token: agent)
            #expect(again == .ok)
            #expect(try await client.wallet(human).available == 3_333)

            try await Self.expectApproval("m2", of: taskID, by: agent, status: "assigned", client)
            #expect(try await client.wallet(human).available == 6_666)
            #expect(try Self.fees(test) == 667)
            #expect(try await client.wallet(agent).frozen == 3_667)
            try await client.expectWalletMatchesLedger(human, test)

            // Cancel: exactly what was not released comes back (the third part, fee share included).
            let (canceled, closed) = try await client.send(.post, "/v1/tasks/\(taskID)/cancel", token: agent)
            #expect(canceled == .ok)
            #expect(data(closed)["refunded"] as? Bool == true)
            #expect(Self.minor((data(closed)["refund"] as? [String: Any])?["amount"]) == 3_667)
            #expect(Self.statuses(data(closed)) == ["released", "released", "refunded"])
            #expect(try await client.wallet(agent).available == 100_000 - 11_000 + 3_667)
            #expect(try await client.wallet(agent).frozen == 0)
            #expect(try await client.wallet(human).available == 6_666)
            #expect(try Self.fees(test) == 667)
            let funding = try #require(try test.services.settlement.funding(of: taskID))
            #expect(try test.ledger.account(funding.escrowAccountID)?.balance.posted(for: .liability) == 0)
            try await client.expectWalletMatchesLedger(agent, test)
            try await client.expectWalletMatchesLedger(human, test)
        }
    }

    /// With the fee out of the payout, $10.00 in 3.33 / 3.33 / 3.34 at 10% shares the $1.00 fee
    /// 0.33 / 0.34 / 0.33: the released fees sum to what the same task approved whole earns.
    @Test func unevenMilestonesApprovedInAnyOrderPayExactlyTheWholeTasksFee() async throws {
        try await withApp { client, test in
            let (agent, human) = (try await client.session("agent@example.com"), try await client.session("human@example.com", role: "human"))
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let taskID = try await client.createTask(agent, """
                {"title":"Three photos","description":"One each","category":"photography","budget":{"amount":"10.00","currency":"USD"},"fee_paid_by":"worker",
                 "milestones":[{"title":"A","amount":"3.33"},{"title":"B","amount":"3.33"},{"title":"C","amount":"3.34"}]}
                """)
            _ = try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: agent)
            #expect(try await client.wallet(agent).available == 9_000)
            try await Self.assign(taskID, to: human, by: agent, client)
            // The order of approval does not change a milestone's part: it was fixed at funding.
            try await Self.expectApproval("m3", of: taskID, by: agent, status: "assigned", client)
            #expect(try await client.wallet(human).available == 301)
            try await Self.expectApproval("m1", of: taskID, by: agent, status: "assigned", client)
            #expect(try await client.wallet(human).available == 301 + 300)
            let (_, last) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m2/approve", token: agent)
            #expect(data(last)["task_status"] as? String == "paid")
            #expect(Self.minor((data(last)["milestone"] as? [String: Any])?["fee"]) == 34)
            #expect(try await client.wallet(human).available == 900)
            #expect(try Self.fees(test) == 100)

            // The same task paid whole earns the same fee, to the cent.
            let wholeID = try await client.createTask(agent, #"{"title":"Whole","description":"At once","category":"photography","budget":{"amount":"10.00","currency":"USD"},"fee_paid_by":"worker"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(wholeID)/fund", token: agent)
            try await Self.assign(wholeID, to: human, by: agent, client)
            _ = try await client.send(.post, "/v1/tasks/\(wholeID)/approve", token: agent)
            #expect(try Self.fees(test) == 200)
            #expect(try await client.wallet(human).available == 1_800)
            try await client.expectWalletMatchesLedger(agent, test)
            try await client.expectWalletMatchesLedger(human, test)
        }
    }

    @Test func milestonesThatDoNotSumToTheBudgetAreRefusedAndNothingIsWritten() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let head = #""title":"Parts","description":"In parts","category":"research","budget":{"amount":"50.00","currency":"USD"}"#
            let cases: [(String, String)] = [
                (#"[{"title":"A","amount":"20.00"},{"title":"B","amount":"29.99"}]"#, "milestones"),
                (#"[{"title":"A","amount":"20.00"},{"title":"B","amount":"30.01"}]"#, "milestones"),
                (#"[{"title":"A","amount":"20.001"},{"title":"B","amount":"29.999"}]"#, "milestones[0].amount"),
                (#"[{"title":"A","amount":"0"},{"title":"B","amount":"50.00"}]"#, "milestones[0].amount"),
                (#"[{"title":" ","amount":"50.00"}]"#, "milestones[0].title"),
                (#"[{"title":"A","amount":"50.00","due_date":"2001-01-01T00:00:00Z"}]"#, "milestones[0].due_date"),
                (#"[{"title":"A","amount":"50.00","colour":"red"}]"#, "milestones[0].colour"),
            ]
            for (milestones, field) in cases {
                let (status, body) = try await client.send(.post, "/v1/tasks", token: agent, json: "{\(head),\"milestones\":\(milestones)}")
                #expect(status.code >= 400 && status.code < 500, "\(milestones)")
                #expect(errorField(body) == field, "\(milestones): \(body)")
            }
            let (bounty, body) = try await client.send(.post, "/v1/tasks", token: agent,
                                                       json: "{\(head),\"delivery_type\":\"bounty\",\"milestones\":[{\"title\":\"A\",\"amount\":\"50.00\"}]}")
            #expect(bounty.code == 422 || bounty.code == 400)
            #expect(errorField(body) == "milestones")
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func approvingAnUnfundedMilestoneIsRefusedAndMovesNothing() async throws {
        try await withApp { client, test in
            let (agent, human) = (try await client.session("agent@example.com"), try await client.session("human@example.com", role: "human"))
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"200.00","currency":"USD"}"#, idempotencyKey: "d1")
            let taskID = try await client.createTask(agent, Self.threeParts)
            // Nobody is accepted before any money is in escrow.
            let (_, applied) = try await client.send(.post, "/v1/tasks/\(taskID)/applications", token: human, json: #"{"message":"me"}"#)
            let applicationID = try #require(data(applied)["id"] as? String)
            let (early, _) = try await client.send(.post, "/v1/tasks/\(taskID)/applications/\(applicationID)/accept", token: agent)
            #expect(early.code == 402)
            _ = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m1/fund", token: agent)
            let (accepted, _) = try await client.send(.post, "/v1/tasks/\(taskID)/applications/\(applicationID)/accept", token: agent)
            #expect(accepted == .ok)

            let journal = try test.ledger.verify().transfersChecked
            let (unfunded, body) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m2/approve", token: agent)
            #expect(unfunded.code == 402)
            #expect(errorCode(body) == "PAYMENT_REQUIRED")
            #expect(errorMessage(body)?.contains("/v1/tasks/\(taskID)/milestones/m2/fund") == true)
            // Approving the task whole needs every milestone funded too.
            let (whole, _) = try await client.send(.post, "/v1/tasks/\(taskID)/approve", token: agent)
            #expect(whole.code == 402)
            let (unknown, _) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m9/approve", token: agent)
            #expect(unknown == .notFound)
            let (byWorker, _) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m1/approve", token: human)
            #expect(byWorker == .notFound)
            let (body2, _) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m1/approve", token: agent, json: #"{"amount":"1.00"}"#)
            #expect(body2.code == 400 || body2.code == 422)
            #expect(try test.ledger.verify().transfersChecked == journal)
            #expect(try await client.wallet(human).available == 0)

            // The worker sees the milestones on the task and in their own list.
            let (_, listed) = try await client.send(.get, "/v1/tasks/\(taskID)/milestones", token: human)
            #expect((listed["data"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["funded", "pending", "pending"])
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func postingAndFundingInOneStepFundsEveryMilestone() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"200.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (created, body) = try await client.send(.post, "/v1/tasks", token: agent,
                                                        json: Self.threeParts.replacingOccurrences(of: #""category":"research","#, with: #""category":"research","fund":{"source":"wallet"},"#))
            #expect(created == .created)
            #expect(Self.statuses(data(body)) == ["funded", "funded", "funded"])
            #expect(try await client.wallet(agent).available == 20_000 - 11_000)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func aShortWalletFundsNoMilestoneAndCardFundingIsRefused() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d1")
            let taskID = try await client.createTask(agent, Self.threeParts)
            let (short, body) = try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: agent)
            #expect(short.code == 402)
            #expect(errorCode(body) == "INSUFFICIENT_BALANCE")
            let (card, cardBody) = try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: agent, json: #"{"source":"card"}"#)
            #expect(card.code == 422 || card.code == 400)
            #expect(errorField(cardBody) == "source")
            let (_, shown) = try await client.send(.get, "/v1/tasks/\(taskID)", token: agent)
            #expect(Self.statuses(data(shown)) == ["pending", "pending", "pending"])
            #expect(try await client.wallet(agent).available == 5_000)
            // One part fits.
            let (one, _) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m2/fund", token: agent)
            #expect(one == .ok)
            #expect(try await client.wallet(agent).available == 5_000 - 3_667)
            let (twice, _) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m2/fund", token: agent)
            #expect(twice == .ok)
            #expect(try await client.wallet(agent).available == 5_000 - 3_667)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    /// milestone.funded and milestone.released reach the task's callback with each part's money;
    /// task.funded follows only once every milestone is funded.
    @Test func milestoneEventsCarryEachPartsMoney() async throws {
        let receiver = OutboundWebhookTests.Receiver(failing: 0)
        let clock = ManualClock()
        try await LoopbackServer.run(OutboundWebhookTests.Receiver.Middleware(receiver: receiver)) { url in
            let test = try await TestServices(clock: clock)
            defer { test.close() }
            let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
            try await app.test(.router) { client in
                let (agent, human) = (try await client.session("agent@example.com"), try await client.session("human@example.com", role: "human"))
                _ = try await client.send(.post, "/v1/webhooks/callback-secret", token: agent)
                _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"200.00","currency":"USD"}"#, idempotencyKey: "d1")
                let task = Self.threeParts.replacingOccurrences(of: #""category":"research","#, with: #""category":"research","callback_url":"\#(url)/cb","#)
                let taskID = try await client.createTask(agent, task)
                _ = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m1/fund", token: agent)
                _ = try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: agent)
                try await Self.assign(taskID, to: human, by: agent, client)
                _ = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/m2/approve", token: agent)
                try await OutboundWebhookTests.drain(try #require(test.services.webhooks), clock: clock, rounds: 20)
                let events = receiver.accepted.map(\.event).filter { $0.hasPrefix("milestone.") || $0 == "task.funded" }
                #expect(events == ["milestone.funded", "milestone.funded", "milestone.funded", "task.funded", "milestone.released"])
                let released = try #require(receiver.accepted.last { $0.event == "milestone.released" })
                let body = try #require((try JSONSerialization.jsonObject(with: Data(released.body)) as? [String: Any])?["data"] as? [String: Any])
                #expect(body["milestone_id"] as? String == "m2")
                #expect((body["payout"] as? [String: Any])?["amount"] as? String == "33.33")
                #expect((body["fee"] as? [String: Any])?["amount"] as? String == "3.34")
                #expect(body["worker_id"] as? String == (try await client.userID(human)))
            }
        }
    }

    // MARK: - Helpers

    private static func assign(_ taskID: String, to human: String, by agent: String, _ client: Client) async throws {
        let (_, applied) = try await client.send(.post, "/v1/tasks/\(taskID)/applications", token: human, json: #"{"message":"me"}"#)
        let applicationID = try #require(data(applied)["id"] as? String)
        let (accepted, _) = try await client.send(.post, "/v1/tasks/\(taskID)/applications/\(applicationID)/accept", token: agent)
        #expect(accepted == .ok)
    }

    private static func expectApproval(_ milestoneID: String, of taskID: String, by agent: String, status: String, _ client: Client,
                                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (approved, body) = try await client.send(.post, "/v1/tasks/\(taskID)/milestones/\(milestoneID)/approve", token: agent)
        #expect(approved == .ok, sourceLocation: sourceLocation)
        #expect((data(body)["milestone"] as? [String: Any])?["status"] as? String == "released", sourceLocation: sourceLocation)
        #expect(data(body)["task_status"] as? String == status, sourceLocation: sourceLocation)
    }

    private static func statuses(_ task: [String: Any]) -> [String] {
        (task["milestones"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
    }

    private static func minor(_ money: Any?) -> Int64? {
        ((money as? [String: Any])?["amount_minor"] as? NSNumber)?.int64Value
    }

    private static func fees(_ test: TestServices) throws -> Int64 {
        try test.ledger.account(code: "revenue:fees:test:USD")?.balance.posted(for: .revenue) ?? 0
    }
}
