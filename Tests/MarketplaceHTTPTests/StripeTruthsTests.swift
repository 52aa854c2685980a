import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import LedgerCore
import Logging
import Marketplace
import StripeFake
import Testing
@testable import MarketplaceHTTP

/// What real Stripe does that the fake once did not: `charge.refunded` without its refunds
/// (API versions since 2022-11-15), refunds that stay pending with no event, a refund whose
/// status is null, answers the client cannot read, paid sessions that differ from what was
/// asked (a promotion code, Adaptive Pricing's local currency, the other mode), and balance
/// transactions of every documented type. The fake is taught each first.
struct StripeTruthsTests {
    typealias Stripe = CardFundingTests.Stripe

    /// A paid 27.50 card task canceled: its refund is created at Stripe, pending.
    static func canceledCardTask(_ stripe: Stripe) async throws -> (task: String, agent: String, refund: String) {
        let agent = try await stripe.client.session("agent@example.com")
        let (task, session) = try await CardFundingTests.checkout(stripe, agent)
        try await stripe.deliver(try stripe.fake.pay(session))
        let (canceled, _) = try await stripe.client.send(.post, "/v1/tasks/\(task)/cancel", token: agent)
        #expect(canceled == .ok)
        return (task, agent, try #require(stripe.fake.refundIDs().first))
    }

    static func refundSettled(_ stripe: Stripe, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let clearing = try #require(try stripe.balance("clearing:stripe:test:USD"))
        #expect(clearing.creditsPending == 0, sourceLocation: sourceLocation)
        #expect(clearing.debitsPosted == 2_750, sourceLocation: sourceLocation)
        #expect(clearing.creditsPosted == 2_750, sourceLocation: sourceLocation)
    }

    // MARK: - Item 5: refunds never stay pending for want of an event

    /// The refund's own events are lost; only `charge.refunded` arrives, in the pinned
    /// version's shape (no `refunds` list). The refund is read by id and posted.
    @Test func chargeRefundedInThePinnedShapeSettlesTheRefund() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (_, _, refund) = try await Self.canceledCardTask(stripe)
            let events = try stripe.fake.settleRefund(refund, succeeded: true)
            let chargeRefunded = try #require(events.first { $0.type == "charge.refunded" })
            #expect(!String(decoding: chargeRefunded.payload, as: UTF8.self).contains("\"refunds\""))
            let (status, body) = try await stripe.deliver(chargeRefunded)
            #expect(status == .ok)
            #expect(data(body)["outcome"] as? String == "applied")
            #expect(stripe.fake.requests("GET", "/v1/refunds/\(refund)").count == 1)
            try Self.refundSettled(stripe)
            let (_, again) = try await stripe.deliver(chargeRefunded)
            #expect(data(again)["outcome"] as? String == "duplicate")
            try stripe.expectClean()
        }
    }

    /// No event at all: the sweeper reads the sent refund again and settles it; a refund
    /// still pending at Stripe stays pending here.
    @Test func theSweeperReadsASentRefundAgain() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (task, agent, refund) = try await Self.canceledCardTask(stripe)
            let settlement = stripe.test.services.settlement
            #expect(await settlement.refreshOpenCalls() == 0)  // still pending at Stripe
            #expect(try stripe.balance("clearing:stripe:test:USD")?.creditsPending == 2_750)
            _ = try stripe.fake.settleRefund(refund, succeeded: false, reason: "lost_or_stolen_card")  // no event delivered
            #expect(await settlement.refreshOpenCalls() == 1)
            let (_, payments) = try await stripe.client.send(.get, "/v1/tasks/\(task)/payments", token: agent)
            let rows = try #require(payments["data"] as? [[String: Any]])
            #expect(rows.map { "\($0["kind"] ?? ""):\($0["state"] ?? "")" } == ["checkout:settled", "refund:failed"])
            #expect((rows.last?["error"] as? String)?.contains("lost_or_stolen_card") == true)
            let funding = try #require(try settlement.funding(of: task))
            #expect(try stripe.test.ledger.account(funding.escrowAccountID)?.balance.available(for: .liability) == 2_750)
            #expect(await settlement.refreshOpenCalls() == 0)
            try stripe.expectClean()
        }
    }

    /// A reversal made on Stripe's dashboard whose event was lost: the sweeper reads the
    /// payout's transfer again and credits the worker once.
    @Test func theSweeperFindsAReversalNoEventReported() async throws {
        try await CardFundingTests.withStripe { stripe in
            let (task, agent, worker) = try await PayoutTests.assignedCardTask(stripe)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            let transfer = try #require(stripe.fake.events.last { $0.type == "transfer.created" })
            let transferID = try #require((try JSONSerialization.jsonObject(with: Data(transfer.payload)) as? [String: Any])
                .flatMap { (($0["data"] as? [String: Any])?["object"] as? [String: Any])?["id"] as? String })
            _ = stripe.fake.handle(method: "POST", target: "/v1/transfers/\(transferID)/reversals",
                                   headers: ["authorization": "Bearer \(stripe.fake.secretKey)"], body: Array("amount=900".utf8))
            let settlement = stripe.test.services.settlement
            #expect(await settlement.refreshOpenCalls() == 1)
            #expect(try await stripe.client.wallet(worker).available == 900)
            stripe.test.clock.advance(seconds: SettlementService.payoutRereadSeconds + 1)
            #expect(await settlement.refreshOpenCalls() == 0)  // read again an hour later: nothing new
            #expect(try await stripe.client.wallet(worker).available == 900)
            #expect(stripe.fake.requests("GET", "/v1/transfers/\(transferID)").count == 2)
            try stripe.expectClean()
        }
    }

    /// An event written in another API version than the pinned one: one warning per version.
    @Test func anEventOfAnotherAPIVersionIsWarnedAboutOnce() async throws {
        let logs = CapturedLogs()
        try await CardFundingTests.withStripe(logs: logs) { stripe in
            stripe.fake.setEventAPIVersion("2020-08-27")
            let agent = try await stripe.client.session("agent@example.com")
            let (_, session) = try await CardFundingTests.checkout(stripe, agent)
            let paid = try stripe.fake.pay(session)
            try await stripe.deliver(paid)
            try await stripe.deliver(paid)
            let (_, other) = try await CardFundingTests.checkout(stripe, agent)
            try await stripe.deliver(try stripe.fake.pay(other))
            let warnings = logs.matching("another API version")
            #expect(warnings.count == 1)
            #expect(warnings.first?.metadata["event_api_version"] == "2020-08-27")
            #expect(warnings.first?.level == .warning)
        }
    }

    /// Connectors are found by name: the route reads the signature from the header the
    /// connector names, and a connector this server does not run is 404 with nothing written.
    @Test func aConnectorIsFoundByItsNameAndReadsItsOwnHeader() async throws {
        try await CardFundingTests.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (_, session) = try await CardFundingTests.checkout(stripe, agent)
            let delivery = stripe.fake.delivery(of: try stripe.fake.pay(session), timestamp: stripe.test.clock.now / 1_000_000)
            let before = try TestDatabase.snapshot(stripe.test.path)
            let unknown = try await stripe.client.execute(uri: "/v1/connectors/paypal/webhook", method: .post,
                                                          headers: [HTTPField.Name("Stripe-Signature")!: delivery.header],
                                                          body: ByteBuffer(bytes: delivery.payload)) { $0.status }
            #expect(unknown == .notFound)
            #expect(try TestDatabase.snapshot(stripe.test.path) == before)
            #expect(stripe.test.services.settlement.signatureHeader(of: "stripe") == "Stripe-Signature")
            let (status, body) = try await stripe.post(delivery.payload, header: delivery.header)
            #expect(status == .ok)
            #expect(data(body)["outcome"] as? String == "applied")
        }
    }

    // MARK: - Item 6: a null refund status

    @Test func aRefundWhoseStatusIsNullIsPending() async throws {
        try await CardFundingTests.withStripe { stripe in
            stripe.fake.showPendingRefundStatusAsNull()
            let (task, agent, refund) = try await Self.canceledCardTask(stripe)
            let (_, payments) = try await stripe.client.send(.get, "/v1/tasks/\(task)/payments", token: agent)
            let rows = try #require(payments["data"] as? [[String: Any]])
            #expect(rows.map { "\($0["kind"] ?? ""):\($0["state"] ?? "")" } == ["checkout:settled", "refund:sent"])
            #expect(stripe.fake.requests("POST", "/v1/refunds").count == 1)  // answered the first time: no retry
            for event in try stripe.fake.settleRefund(refund, succeeded: true) { try await stripe.deliver(event) }
            try Self.refundSettled(stripe)
            try stripe.expectClean()
        }
    }

    // MARK: - Item 7: a failed read never fails silently

    /// The payment intent a payout needs does not decode: the payout records the error, logs
    /// it once with the call id, shows it in the task's payments and in reconciliation, waits
    /// longer each time, and after the last attempt is failed for support with the money back
    /// in the worker's wallet.
    @Test func aPayoutWhoseReadFailsIsRecordedRetriedAndFailedForSupport() async throws {
        let logs = CapturedLogs()
        try await CardFundingTests.withStripe(logs: logs) { stripe in
            let (task, agent, worker) = try await PayoutTests.assignedCardTask(stripe)
            stripe.fake.inject(FakeFault(method: "GET", pathPrefix: "/v1/payment_intents", times: 1_000, status: 200,
                                         body: Array(#"{"object":"payment_intent","id":7}"#.utf8)))
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            let (approved, _) = try await stripe.client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
            #expect(approved == .ok)
            #expect(stripe.fake.requests("POST", "/v1/transfers").isEmpty)
            let (_, payments) = try await stripe.client.send(.get, "/v1/tasks/\(task)/payments", token: agent)
            let payout = try #require((payments["data"] as? [[String: Any]])?.last)
            #expect(payout["kind"] as? String == "payout")
            #expect(payout["state"] as? String == "pending")
            #expect(payout["attempts"] as? Int == 1)
            #expect((payout["error"] as? String)?.contains("does not read as PaymentIntent") == true)
            #expect(payout["next_attempt_at"] as? String != nil)
            // Across the owner's tasks too: the failing ones, and a state that is not one refused.
            let (_, failing) = try await stripe.client.send(.get, "/v1/payments?state=failing", token: agent)
            #expect((failing["data"] as? [[String: Any]])?.map { "\($0["task_id"] ?? ""):\($0["kind"] ?? ""):\($0["attempts"] ?? "")" } == ["\(task):payout:1"])
            let (_, workers) = try await stripe.client.send(.get, "/v1/payments?state=failing", token: worker)
            #expect((workers["data"] as? [[String: Any]])?.isEmpty == true)  // not the worker's task
            let (bad, badBody) = try await stripe.client.send(.get, "/v1/payments?state=stuck", token: agent)
            #expect(bad == .badRequest)
            #expect(errorField(badBody) == "state")
            let finance = FinanceService(settlement: stripe.test.services.settlement)
            let retrying = try await finance.reconcile()
            #expect(retrying.breaks.filter { $0.kind == .callRetrying }.count == 1)

            let settlement = stripe.test.services.settlement
            let reads = { stripe.fake.requests.filter { $0.method == "GET" && $0.path.hasPrefix("/v1/payment_intents/") }.count }
            await settlement.sendPendingCalls()  // before the wait is over: not tried
            #expect(reads() == 1)  // an answer that does not read is not retried by the client: the sweeper's wait decides
            for _ in 2...SettlementService.callAttemptsMax {
                stripe.test.clock.advance(seconds: SettlementService.callRetryLongestSeconds)
                await settlement.sendPendingCalls()
            }
            #expect(reads() == SettlementService.callAttemptsMax)
            let (_, after) = try await stripe.client.send(.get, "/v1/tasks/\(task)/payments", token: agent)
            let failed = try #require((after["data"] as? [[String: Any]])?.last)
            #expect(failed["state"] as? String == "failed")
            #expect((failed["error"] as? String)?.hasPrefix("failed for support after \(SettlementService.callAttemptsMax) attempts") == true)
            #expect(try await stripe.client.wallet(worker).available == 2_500)  // the withdrawal intent voided
            #expect(try stripe.balance("in-flight:payouts:stripe:test:USD")?.creditsPending == 0)
            stripe.test.clock.advance(seconds: SettlementService.callRetryLongestSeconds)
            await settlement.sendPendingCalls()
            #expect(reads() == SettlementService.callAttemptsMax)  // never again
            // Logged once when it first failed, once when it was given up: not every round.
            #expect(logs.matching("connector call failed; it is retried later").count == 1)
            #expect(logs.matching("connector call failed; it is retried later").first?.metadata["call"] != nil)
            #expect(logs.matching("failed for support").count == 1)
            let given = try await finance.reconcile()
            #expect(given.breaks.filter { $0.kind == .callGivenUp }.count == 1)
            #expect(given.breaks.filter { $0.kind == .callRetrying }.isEmpty)
            try stripe.expectClean()
        }
    }

    // MARK: - Item 8: a paid session that is not what was asked is refused

    static func expectRefused(_ stripe: Stripe, task: String, agent: String, outcome: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(data(outcome)["outcome"] as? String == "refused", sourceLocation: sourceLocation)
        #expect(try stripe.test.services.settlement.funding(of: task) == nil, sourceLocation: sourceLocation)
        #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPosted ?? 0 == 0, sourceLocation: sourceLocation)
        let (_, payments) = try await stripe.client.send(.get, "/v1/tasks/\(task)/payments", token: agent)
        let checkout = try #require((payments["data"] as? [[String: Any]])?.first, sourceLocation: sourceLocation)
        #expect(checkout["state"] as? String == "failed", sourceLocation: sourceLocation)
        #expect((checkout["error"] as? String)?.hasPrefix("refused:") == true, sourceLocation: sourceLocation)
    }

    @Test func aSessionPaidWithADiscountIsRefusedNotPosted() async throws {
        let logs = CapturedLogs()
        try await CardFundingTests.withStripe(logs: logs) { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (task, session) = try await CardFundingTests.checkout(stripe, agent)
            let (_, body) = try await stripe.deliver(try stripe.fake.pay(session, discountMinor: 500))
            try await Self.expectRefused(stripe, task: task, agent: agent, outcome: body)
            #expect(logs.matching("connector event refused").count == 1)
            let run = try await FinanceService(settlement: stripe.test.services.settlement).reconcile()
            let refused = run.breaks.filter { $0.kind == .fundingRefused }
            #expect(refused.count == 1)
            #expect(refused.first?.detail.contains("amount 2250 differs from the intent's 2750") == true)
            // The 22.50 Stripe holds is no ledger's: the charge is a break too.
            #expect(run.breaks.contains { $0.kind == .missingInLedger && $0.processorMinor == 2_250 })
            try stripe.expectClean()
        }
    }

    @Test func aSessionPaidInAnotherCurrencyIsRefused() async throws {
        try await CardFundingTests.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (task, session) = try await CardFundingTests.checkout(stripe, agent)
            let paid = try stripe.fake.pay(session, presentedCurrency: "eur", presentedAmount: 2_540)
            // Read again by the sweeper before any event: refused there too, nothing funded.
            #expect(await stripe.test.services.settlement.refreshOpenCalls() == 0)
            #expect(stripe.fake.requests("GET", "/v1/checkout/sessions/\(session)").count == 1)
            let (_, body) = try await stripe.deliver(paid)
            try await Self.expectRefused(stripe, task: task, agent: agent, outcome: body)
            try stripe.expectClean()
        }
    }

    @Test func aLiveModeEventIsRefusedByATestModeConnector() async throws {
        try await CardFundingTests.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (task, session) = try await CardFundingTests.checkout(stripe, agent)
            stripe.fake.setLivemode(true)
            let (_, body) = try await stripe.deliver(try stripe.fake.pay(session))
            #expect(data(body)["outcome"] as? String == "refused")
            #expect(try stripe.test.services.settlement.funding(of: task) == nil)
            let run = try await FinanceService(settlement: stripe.test.services.settlement).reconcile()
            #expect(run.breaks.contains { $0.kind == .eventRefused })
            try stripe.expectClean()
        }
    }

    // MARK: - Item 9: every balance transaction type is booked or named

    @Test func everyBalanceTransactionTypeIsBookedOrABreak() async throws {
        try await CardFundingTests.withStripe { stripe in
            let fx = stripe.fake.bookBalanceTransaction(type: "stripe_fx_fee", amount: -42)
            let tax = stripe.fake.bookBalanceTransaction(type: "tax_fee", amount: -7)
            let income = stripe.fake.bookBalanceTransaction(type: "application_fee", amount: 150)
            let payout = stripe.fake.bookBalanceTransaction(type: "payout", amount: -10_000)
            let dispute = stripe.fake.bookBalanceTransaction(type: "adjustment", amount: -2_750, fee: 1_500)
            let unknown = stripe.fake.bookBalanceTransaction(type: "brand_new_type", amount: 3)
            let run = try await FinanceService(settlement: stripe.test.services.settlement).reconcile()
            // Stripe's fees (currency conversion and tax on fees too) are the platform's expense.
            #expect(try stripe.balance("expense:processor-fees:test:USD")?.debitsPosted == 42 + 7 + 1_500)
            #expect(run.feeLinesBooked == 3)
            let kinds = Dictionary(run.breaks.map { ($0.reference, $0.kind) }, uniquingKeysWith: { first, _ in first })
            #expect(kinds[income] == .platformIncome)  // income, never a fee
            #expect(kinds[payout] == .bankPayout)
            #expect(kinds[dispute] == .adjustment)
            #expect(kinds[unknown] == .unknownType)
            #expect(kinds[fx] == nil && kinds[tax] == nil)
            #expect(run.breaks.first { $0.reference == unknown }?.detail.contains("brand_new_type") == true)
            try stripe.expectClean()
        }
    }
}
