import Foundation
import HTTPTypes
import LedgerCore
import Marketplace
import StripeFake
import Testing
@testable import MarketplaceHTTP

/// Card-funded work paid on to the worker's Connect account (a Stripe transfer), reversals,
/// and a dispute split into a partial refund and a partial transfer.
struct PayoutTests {
    typealias Stripe = CardFundingTests.Stripe

    /// A 25.00 task (27.50 with the fee) paid by card and assigned to a human who linked `acct_1Worker`.
    static func assignedCardTask(_ stripe: Stripe) async throws -> (task: String, agent: String, worker: String) {
        let agent = try await stripe.client.session("agent@example.com")
        let worker = try await stripe.client.session("worker@example.com", role: "human")
        let (linked, _) = try await stripe.client.send(.put, "/v1/payout-account", token: worker, json: #"{"account_id":"acct_1Worker"}"#)
        #expect(linked == .ok)
        let (task, session) = try await CardFundingTests.checkout(stripe, agent)
        try await stripe.deliver(try stripe.fake.pay(session))
        let (_, application) = try await stripe.client.send(.post, "/v1/tasks/\(task)/applications", token: worker, json: #"{"message":"me"}"#)
        let applicationID = try #require(data(application)["id"] as? String)
        let (accepted, _) = try await stripe.client.send(.post, "/v1/tasks/\(task)/applications/\(applicationID)/accept", token: agent)
        #expect(accepted == .ok)
        return (task, agent, worker)
    }

    @Test func approvalTransfersThePayoutToTheLinkedAccount() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (task, agent, worker) = try await Self.assignedCardTask(stripe)
            let (badLink, badBody) = try await stripe.client.send(.put, "/v1/payout-account", token: worker, json: #"{"account_id":"ba_123"}"#)
            #expect(badLink == .badRequest)
            #expect(errorField(badBody) == "account_id")
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            let (approved, _) = try await stripe.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            #expect(approved == .ok)

            let transfer = try #require(stripe.fake.requests("POST", "/v1/transfers").first)
            #expect(transfer.params["amount"] == "2500")
            #expect(transfer.params["currency"] == "usd")
            #expect(transfer.params["destination"] == "acct_1Worker")
            #expect(transfer.params["transfer_group"] == task)
            #expect(transfer.params["source_transaction"]?.hasPrefix("ch_") == true)  // the charge, not the payment intent
            #expect(transfer.idempotencyKey == "marketplace:payout:\(task)")
            #expect(try await stripe.client.wallet(worker).available == 0)  // paid out, not left in the wallet
            #expect(try stripe.balance("in-flight:payouts:stripe:test:USD")?.posted(for: .liability) == 0)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.creditsPosted == 2_500)
            #expect(try stripe.balance("revenue:fees:test:USD")?.posted(for: .revenue) == 250)
            try stripe.expectClean()
        }
    }

    @Test func aReversalGivesTheWorkersBalanceBackOnce() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (task, agent, worker) = try await Self.assignedCardTask(stripe)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            let admin = try await stripe.test.adminToken("admin@example.com")
            let before = stripe.fake.events.count
            let (tooMuch, tooMuchBody) = try await stripe.client.send(.post, "/v1/admin/payouts/\(task)/reverse", token: admin, json: #"{"amount":"25.01"}"#)
            #expect(tooMuch == .badRequest)
            #expect(errorField(tooMuchBody) == "amount")
            let (reversed, body) = try await stripe.client.send(.post, "/v1/admin/payouts/\(task)/reverse", token: admin, json: #"{"amount":"10.00"}"#)
            #expect(reversed == .ok)
            #expect((data(body)["reversed"] as? [String: Any])?["amount"] as? String == "10.00")
            #expect(try await stripe.client.wallet(worker).available == 1_000)
            try await stripe.deliverNew(since: before)  // transfer.reversed says 10.00 in all: already counted
            #expect(try await stripe.client.wallet(worker).available == 1_000)
            let (_, rest) = try await stripe.client.send(.post, "/v1/admin/payouts/\(task)/reverse", token: admin)
            #expect((data(rest)["reversed"] as? [String: Any])?["amount"] as? String == "25.00")
            try await stripe.deliverNew(since: before)  // every event again, the older one last
            #expect(try await stripe.client.wallet(worker).available == 2_500)
            #expect(stripe.fake.requests("POST", "/v1/transfers").count == 1)
            try stripe.expectClean()
        }
    }

    @Test func aReversalThatOnlyTheEventReportsIsCreditedToo() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (task, agent, worker) = try await Self.assignedCardTask(stripe)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            // Reversed from Stripe's dashboard: we learn of it from transfer.reversed alone.
            let transferID = try #require(stripe.fake.events.last { $0.type == "transfer.created" }.flatMap { event in
                (try JSONSerialization.jsonObject(with: Data(event.payload)) as? [String: Any]).flatMap { (($0["data"] as? [String: Any])?["object"] as? [String: Any])?["id"] as? String }
            })
            let before = stripe.fake.events.count
            _ = stripe.fake.handle(method: "POST", target: "/v1/transfers/\(transferID)/reversals",
                                   headers: ["authorization": "Bearer \(stripe.fake.secretKey)"], body: Array("amount=700".utf8))
            try await stripe.deliverNew(since: before)
            try await stripe.deliverNew(since: before)
            #expect(try await stripe.client.wallet(worker).available == 700)
            try stripe.expectClean()
        }
    }

    @Test func aDisputeSplitsIntoAPartialRefundAndAPartialTransfer() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (task, agent, worker) = try await Self.assignedCardTask(stripe)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"half"}]}"#)
            let (opened, dispute) = try await stripe.client.send(.post, "/v1/tasks/\(task)/disputes", token: agent, json: #"{"reason":"half done"}"#)
            #expect(opened == .created || opened == .ok)
            let disputeID = try #require(data(dispute)["id"] as? String)
            let admin = try await stripe.test.adminToken("admin@example.com")
            let (resolved, _) = try await stripe.client.send(.post, "/v1/admin/disputes/\(disputeID)/resolve", token: admin,
                                                             json: #"{"to_worker":"10.00","resolution":"half the work, half the pay"}"#)
            #expect(resolved == .ok)
            // Fee pro rata: 2.50 × 10/25 = 1.00; the payer's part 27.50 − 10.00 − 1.00 = 16.50 goes back to the card.
            #expect(stripe.fake.requests("POST", "/v1/refunds").first?.params["amount"] == "1650")
            #expect(stripe.fake.requests("POST", "/v1/transfers").first?.params["amount"] == "1000")
            #expect(try await stripe.client.wallet(agent).available == 0)
            #expect(try await stripe.client.wallet(worker).available == 0)
            let refundID = try #require(stripe.fake.refundIDs().first)
            for event in try stripe.fake.settleRefund(refundID, succeeded: true) { try await stripe.deliver(event) }
            let clearing = try #require(try stripe.balance("clearing:stripe:test:USD"))
            #expect(clearing.debitsPosted == 2_750)
            #expect(clearing.creditsPosted == 1_650 + 1_000)
            #expect(clearing.creditsPending == 0)
            #expect(try stripe.balance("revenue:fees:test:USD")?.posted(for: .revenue) == 100)
            try stripe.expectClean()
        }
    }

    /// Found by `marketplace simulate`: nothing to the worker leaves the split no transfer to
    /// post (the ledger refuses an empty batch); the whole escrow goes back to the card.
    @Test func aDisputeThatGivesTheWorkerNothingRefundsTheWholeEscrowToTheCard() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (task, agent, worker) = try await Self.assignedCardTask(stripe)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"none"}]}"#)
            let (_, dispute) = try await stripe.client.send(.post, "/v1/tasks/\(task)/disputes", token: agent, json: #"{"reason":"nothing done"}"#)
            let disputeID = try #require(data(dispute)["id"] as? String)
            let admin = try await stripe.test.adminToken("admin@example.com")
            let (resolved, body) = try await stripe.client.send(.post, "/v1/admin/disputes/\(disputeID)/resolve", token: admin,
                                                                json: #"{"to_worker":"0.00","resolution":"nothing was done"}"#)
            #expect(resolved == .ok, "\(body)")
            #expect(stripe.fake.requests("POST", "/v1/refunds").first?.params["amount"] == "2750")
            #expect(stripe.fake.requests("POST", "/v1/transfers").isEmpty)
            let refundID = try #require(stripe.fake.refundIDs().first)
            for event in try stripe.fake.settleRefund(refundID, succeeded: true) { try await stripe.deliver(event) }
            #expect(try stripe.balance("clearing:stripe:test:USD")?.creditsPosted == 2_750)
            #expect(try stripe.balance("revenue:fees:test:USD")?.posted(for: .revenue) ?? 0 == 0)
            #expect(try await stripe.client.wallet(worker).available == 0)
            try stripe.expectClean()
        }
    }
}

/// Stripe's balance transactions as statement lines, and its fees booked once as an expense.
struct StatementTests {
    @Test func theStatementListsWhatMovedAndBooksEachFeeOnce() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (task, agent, worker) = try await PayoutTests.assignedCardTask(stripe)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            let admin = try await stripe.test.adminToken("admin@example.com")
            let now = stripe.fake.nowSeconds
            let range = #"{"from":\#(now - 60),"to":\#(now + 60)}"#
            let (status, body) = try await stripe.client.send(.post, "/v1/admin/connectors/stripe/statement", token: admin, json: range)
            #expect(status == .ok)
            let lines = try #require(data(body)["lines"] as? [[String: Any]])
            #expect(lines.compactMap { $0["kind"] as? String } == ["charge", "transfer"])
            #expect(lines.compactMap { $0["amount_minor"] as? Int } == [2_750, -2_500])
            #expect(lines.first?["fee_minor"] as? Int == 110)  // 2.9 % of 27.50 rounded, plus 0.30
            #expect((data(body)["fees_booked"] as? [String: Any])?["amount_minor"] as? Int == 110)
            #expect(try stripe.balance("expense:processor-fees:test:USD")?.posted(for: .expense) == 110)
            // Read again: the same lines, nothing booked twice.
            let (_, again) = try await stripe.client.send(.post, "/v1/admin/connectors/stripe/statement", token: admin, json: range)
            #expect(data(again)["lines_booked"] as? Int == 0)
            #expect(try stripe.balance("expense:processor-fees:test:USD")?.posted(for: .expense) == 110)
            // What Stripe holds for us, by its own account, equals the ledger's clearing balance.
            let net = lines.reduce(0) { $0 + ($1["amount_minor"] as? Int ?? 0) - ($1["fee_minor"] as? Int ?? 0) }
            #expect(try stripe.balance("clearing:stripe:test:USD")?.posted(for: .asset) == Int64(net))
            let (forbidden, _) = try await stripe.client.send(.post, "/v1/admin/connectors/stripe/statement", token: agent, json: range)
            #expect(forbidden == .forbidden)
            try stripe.expectClean()
        }
    }
}
