import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Logging
import Marketplace
import StripeConnector
import StripeFake
import Testing
@testable import MarketplaceHTTP

/// Card funding and refunds through the real Stripe connector against the fake Stripe over
/// loopback HTTP, with its signed events delivered to our webhook route. After each story the
/// ledger verifies clean.
struct CardFundingTests {
    struct Stripe {
        let client: Client
        let test: TestServices
        let fake: FakeStripe

        /// Delivers `event` as Stripe would: its exact bytes, signed now (by the test clock).
        @discardableResult
        func deliver(_ event: FakeEvent, header: String? = nil, body: [UInt8]? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
            let delivery = fake.delivery(of: event, timestamp: test.clock.now / 1_000_000)
            return try await post(body ?? delivery.payload, header: header ?? delivery.header)
        }

        func post(_ payload: [UInt8], header: String?) async throws -> (HTTPResponse.Status, [String: Any]) {
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            if let header { headers[HTTPField.Name("Stripe-Signature")!] = header }
            return try await client.execute(uri: "/v1/connectors/stripe/webhook", method: .post, headers: headers, body: ByteBuffer(bytes: payload)) {
                ($0.status, try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any] ?? [:])
            }
        }

        /// Delivers every event the fake has made since `count` events, in order.
        func deliverNew(since count: Int) async throws {
            for event in fake.events.dropFirst(count) { try await deliver(event) }
        }

        func balance(_ code: String) throws -> AccountBalance? { try test.ledger.account(code: code)?.balance }

        func expectClean(sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(try test.ledger.verify().isClean, sourceLocation: sourceLocation)
        }
    }

    /// `logs`, when given, receives what the Stripe connector and the settlement service log;
    /// `observability`: the router's (`/metrics` when it has a registry).
    static func withStripe(logs: CapturedLogs? = nil, observability: Observability = .standard,
                           _ body: @escaping @Sendable (Stripe) async throws -> Void) async throws {
        let clock = ManualClock()
        let fake = FakeStripe(nowSeconds: clock.now / 1_000_000)
        let logger = logs.map { logs in Logger(label: "test") { _ in CapturingLogHandler(logs: logs) } }
        try await FakeStripeServer.run(fake) { baseURL in
            let connector = StripeConnector(secretKey: fake.secretKey, webhookSecrets: ["whsec_old_rotating_out", fake.webhookSecret], baseURL: baseURL,
                                            retry: .init(attempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(2), rateLimitedDelay: .milliseconds(2)),
                                            logger: logger ?? Logger(label: "stripe"))
            let test = try await TestServices(clock: clock, card: CardPayments(connector: connector, successURL: "https://agents.example/ok",
                                                                               cancelURL: "https://agents.example/cancel"), logger: logger)
            defer { test.close() }
            let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited, observability: observability))
            try await app.test(.router) { client in try await body(Stripe(client: client, test: test, fake: fake)) }
        }
    }

    static let task = #"{"title":"Photograph the storefront","description":"Two photos of 12 Main St","category":"photography","budget":{"amount":"25.00","currency":"USD"}}"#

    /// Opens a checkout for a new 25.00 task (27.50 with the fee on top); returns the task and session ids.
    static func checkout(_ stripe: Stripe, _ agent: String) async throws -> (task: String, session: String) {
        let id = try await stripe.client.createTask(agent, task)
        let (status, body) = try await stripe.client.send(.post, "/v1/tasks/\(id)/fund", token: agent, json: #"{"source":"card"}"#)
        #expect(status == .accepted)
        #expect(data(body)["status"] as? String == "open")
        #expect((data(body)["checkout_url"] as? String)?.hasPrefix("https://checkout.stripe.com/") == true)
        return (id, try #require(data(body)["session_id"] as? String))
    }

    /// The fake Stripe's key is an sk_test_ key: it takes test-mode payments only. A live-mode
    /// caller is refused on `source` before anything is held or sent, so no rehearsal card ever
    /// funds real work (and no live money lands in a test-mode account).
    @Test func aTestModeStripeKeyRefusesALiveFunding() async throws {
        try await Self.withStripe { stripe in
            _ = try await stripe.client.session("agent@example.com")
            let (_, live) = try await stripe.client.send(.post, "/v1/auth/login", json: #"{"email":"agent@example.com","password":"correct horse","mode":"live"}"#)
            let token = try #require(data(live)["access_token"] as? String)
            let task = try await stripe.client.createTask(token, Self.task)
            let before = try TestDatabase.snapshot(stripe.test.path)
            let (status, body) = try await stripe.client.send(.post, "/v1/tasks/\(task)/fund", token: token, json: #"{"source":"card"}"#)
            #expect(status == .badRequest)
            #expect(((body["error"] as? [String: Any])?["field"] as? String) == "source")
            #expect(((body["error"] as? [String: Any])?["message"] as? String)?.contains("test-mode payments") == true)
            #expect(stripe.fake.requests("POST", "/v1/checkout/sessions").isEmpty)
            #expect(try TestDatabase.snapshot(stripe.test.path) == before)
        }
    }

    @Test func aPaidEventFundsTheTaskOnceAndOnlyThen() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (task, session) = try await Self.checkout(stripe, agent)
            let request = try #require(stripe.fake.requests("POST", "/v1/checkout/sessions").first)
            #expect(request.params["line_items[0][price_data][unit_amount]"] == "2750")
            #expect(request.params["client_reference_id"] == task)
            #expect(request.params["metadata[task_id]"] == task)
            #expect(request.params["success_url"] == "https://agents.example/ok")
            #expect(request.idempotencyKey == "marketplace:card-intent:\(task):1")
            // Not funded yet: the intent is pending, escrow holds nothing posted.
            #expect(try stripe.test.services.settlement.funding(of: task) == nil)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPending == 2_750)
            let (again, againBody) = try await stripe.client.send(.post, "/v1/tasks/\(task)/fund", token: agent, json: #"{"source":"card"}"#)
            #expect(again == .accepted)
            #expect(data(againBody)["session_id"] as? String == session)  // the same checkout, not a second one
            let (redirect, location) = try await stripe.client.execute(uri: "/v1/tasks/\(task)/fund", method: .get,
                                                                       headers: [.authorization: "Bearer \(agent)"]) { ($0.status, $0.headers[.location]) }
            #expect(redirect == .seeOther)  // the browser flow
            #expect(location == data(againBody)["checkout_url"] as? String)

            let paid = try stripe.fake.pay(session)
            let (status, body) = try await stripe.deliver(paid)
            #expect(status == .ok)
            #expect(data(body)["outcome"] as? String == "applied")
            let funding = try #require(try stripe.test.services.settlement.funding(of: task))
            #expect(funding.source == .card)
            #expect(funding.escrowMinor == 2_750)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPosted == 2_750)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPending == 0)

            // The same event again, and late re-reads: nothing moves twice.
            let (_, duplicate) = try await stripe.deliver(paid)
            #expect(data(duplicate)["outcome"] as? String == "duplicate")
            #expect(await stripe.test.services.settlement.refreshOpenCheckouts() == 0)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPosted == 2_750)
            let (funded, fundedBody) = try await stripe.client.send(.post, "/v1/tasks/\(task)/fund", token: agent, json: #"{"source":"card"}"#)
            #expect(funded == .ok)
            #expect(data(fundedBody)["status"] as? String == "paid")
            #expect(stripe.fake.requests("POST", "/v1/checkout/sessions").count == 1)
            try stripe.expectClean()
        }
    }

    @Test func aFailedDelayedPaymentAndAnExpiredSessionVoidTheIntent() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (task, session) = try await Self.checkout(stripe, agent)
            try await stripe.deliver(try stripe.fake.pay(session, delayed: true))  // completed, but unpaid: nothing yet
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPending == 2_750)
            let (_, failed) = try await stripe.deliver(try stripe.fake.settleDelayedPayment(session, succeeded: false))
            #expect(data(failed)["outcome"] as? String == "applied")
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPending == 0)
            #expect(try stripe.test.services.settlement.funding(of: task) == nil)

            // A second checkout for the same task; it expires unpaid.
            let (_, second) = try await stripe.client.send(.post, "/v1/tasks/\(task)/fund", token: agent, json: #"{"source":"card"}"#)
            #expect(data(second)["session_id"] as? String != session)
            #expect(try stripe.fake.requests("POST", "/v1/checkout/sessions").last?.idempotencyKey == "marketplace:card-intent:\(task):2")
            for event in stripe.fake.advanceClock(by: 86_400) { try await stripe.deliver(event) }
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPending == 0)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPosted == 0)
            try stripe.expectClean()
        }
    }

    @Test func outOfOrderAndLostEventsEndTheSameWay() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (first, firstSession) = try await Self.checkout(stripe, agent)
            let completed = try stripe.fake.pay(firstSession, delayed: true)
            let succeeded = try stripe.fake.settleDelayedPayment(firstSession, succeeded: true)
            try await stripe.deliver(succeeded)  // the later event first
            try await stripe.deliver(completed)
            try await stripe.deliver(succeeded)
            #expect(try stripe.test.services.settlement.funding(of: first)?.escrowMinor == 2_750)

            // Every event of the second checkout is lost: the sweeper's re-read funds it.
            let (second, secondSession) = try await Self.checkout(stripe, agent)
            try stripe.fake.pay(secondSession)
            #expect(await stripe.test.services.settlement.refreshOpenCheckouts() == 1)
            #expect(try stripe.test.services.settlement.funding(of: second)?.escrowMinor == 2_750)
            try await stripe.deliverNew(since: 0)  // and then they all arrive, late
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPosted == 5_500)
            try stripe.expectClean()
        }
    }

    @Test func cancelRefundsTheCardAndTheRefundSettlesOnItsEvent() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (task, session) = try await Self.checkout(stripe, agent)
            try await stripe.deliver(try stripe.fake.pay(session))
            let before = stripe.fake.events.count
            let (canceled, canceledBody) = try await stripe.client.send(.post, "/v1/tasks/\(task)/cancel", token: agent)
            #expect(canceled == .ok)
            // The answer says where the refund went: to the card, through its pending intent.
            #expect(data(canceledBody)["refunded"] as? Bool == true)
            #expect((data(canceledBody)["refund"] as? [String: Any])?["to"] as? String == "card")
            #expect(((data(canceledBody)["refund"] as? [String: Any])?["amount"] as? [String: Any])?["amount_minor"] as? Int == 2_750)
            let refund = try #require(stripe.fake.requests("POST", "/v1/refunds").first)
            #expect(refund.params["amount"] == "2750")
            #expect(refund.params["payment_intent"] == stripe.fake.session(session)?.paymentIntent)
            #expect(refund.idempotencyKey == "marketplace:refund:\(task)")
            // Pending until Stripe says it succeeded; the wallet is not credited (the card is).
            #expect(try stripe.balance("clearing:stripe:test:USD")?.creditsPending == 2_750)
            #expect(try await stripe.client.wallet(agent).available == 0)
            try await stripe.deliverNew(since: before)  // refund.created: nothing yet
            #expect(try stripe.balance("clearing:stripe:test:USD")?.creditsPending == 2_750)
            let refundID = try #require(stripe.fake.refundIDs().first)
            let events = try stripe.fake.settleRefund(refundID, succeeded: true)  // refund.updated, charge.refunded
            for event in events + events { try await stripe.deliver(event) }
            let clearing = try #require(try stripe.balance("clearing:stripe:test:USD"))
            #expect(clearing.creditsPending == 0)
            #expect(clearing.creditsPosted == 2_750)
            #expect(clearing.debitsPosted == 2_750)
            #expect(try await stripe.client.wallet(agent).available == 0)
            try stripe.expectClean()
        }
    }

    @Test func aFailedRefundPutsTheMoneyBackInEscrowAndTellsTheOwner() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (task, session) = try await Self.checkout(stripe, agent)
            try await stripe.deliver(try stripe.fake.pay(session))
            _ = try await stripe.client.send(.post, "/v1/tasks/\(task)/cancel", token: agent)
            let refundID = try #require(stripe.fake.refundIDs().first)
            for event in try stripe.fake.settleRefund(refundID, succeeded: false) { try await stripe.deliver(event) }
            let funding = try #require(try stripe.test.services.settlement.funding(of: task))
            #expect(try stripe.test.ledger.account(funding.escrowAccountID)?.balance.available(for: .liability) == 2_750)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.creditsPending == 0)
            let (_, notifications) = try await stripe.client.send(.get, "/v1/notifications", token: agent)
            let kinds = (notifications["data"] as? [[String: Any]] ?? (data(notifications)["notifications"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("refund_failed"))
            // The task's payments show the flag: the checkout settled, the refund failed.
            let (_, payments) = try await stripe.client.send(.get, "/v1/tasks/\(task)/payments", token: agent)
            let rows = try #require(payments["data"] as? [[String: Any]])
            #expect(rows.compactMap { "\($0["kind"] ?? ""):\($0["state"] ?? "")" } == ["checkout:settled", "refund:failed"])
            #expect((rows.last?["error"] as? String)?.contains("expired_or_canceled_card") == true)
            try stripe.expectClean()
        }
    }

    @Test func cancelExpiresAnOpenCheckout() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (task, session) = try await Self.checkout(stripe, agent)
            let (canceled, _) = try await stripe.client.send(.post, "/v1/tasks/\(task)/cancel", token: agent)
            #expect(canceled == .ok)
            #expect(stripe.fake.requests("POST", "/v1/checkout/sessions/\(session)/expire").count == 1)
            #expect(stripe.fake.session(session)?.status == "expired")
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPending == 0)
            try await stripe.deliverNew(since: 0)  // checkout.session.expired arrives after: ignored
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPosted == 0)
            try stripe.expectClean()
        }
    }

    @Test func webhooksThatDoNotVerifyAreRefusedAndWriteNothing() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (_, session) = try await Self.checkout(stripe, agent)
            let paid = try stripe.fake.pay(session)
            let now = stripe.test.clock.now / 1_000_000
            let good = StripeWebhookVerifier.header(payload: paid.payload, secret: stripe.fake.webhookSecret, timestamp: now)
            var changed = paid.payload
            changed[changed.count / 2] ^= 0x01
            let malformed = Array(#"{"id":"evt_x","object":"event","type":"checkout.session.completed","created":1,"livemode":false,"data":{"object":{"id":1}}}"#.utf8)
            let cases: [([UInt8], String?, String)] = [
                (paid.payload, StripeWebhookVerifier.header(payload: paid.payload, secret: stripe.fake.webhookSecret, timestamp: now - 301), "Stripe-Signature"),
                (paid.payload, nil, "Stripe-Signature"),
                (paid.payload, "garbage", "Stripe-Signature"),
                (paid.payload, "t=\(now)", "Stripe-Signature"),
                (changed, good, "Stripe-Signature"),
                (paid.payload, StripeWebhookVerifier.header(payload: paid.payload, secret: "whsec_someone_else", timestamp: now), "Stripe-Signature"),
                (malformed, StripeWebhookVerifier.header(payload: malformed, secret: stripe.fake.webhookSecret, timestamp: now), "body"),
            ]
            let before = try TestDatabase.snapshot(stripe.test.path)
            for (payload, header, field) in cases {
                let (status, body) = try await stripe.post(payload, header: header)
                #expect(status == .badRequest)
                #expect(errorField(body) == field)
            }
            #expect(try TestDatabase.snapshot(stripe.test.path) == before)

            // A well-signed event of a type we do not act on: 2xx, ignored. The rotated-out secret still verifies.
            let unknown = Array(#"{"id":"evt_unknown_1","object":"event","type":"customer.created","created":1,"livemode":false,"data":{"object":{"id":"cus_1","object":"customer"}}}"#.utf8)
            let (status, body) = try await stripe.post(unknown, header: StripeWebhookVerifier.header(payload: unknown, secret: "whsec_old_rotating_out", timestamp: now))
            #expect(status == .ok)
            #expect(data(body)["outcome"] as? String == "ignored")
            #expect(try stripe.test.services.settlement.funding(of: session) == nil)
        }
    }
}

extension CardFundingTests {
    /// Paid after the task was funded from the wallet, or after it closed while Stripe could not
    /// be reached to expire the page: the payment is the payer's, in their wallet, not in escrow.
    @Test func aPaymentThatFundsNothingGoesToThePayersWallet() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            _ = try await stripe.client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d")
            let (first, firstSession) = try await Self.checkout(stripe, agent)
            let (walletFunded, _) = try await stripe.client.send(.post, "/v1/tasks/\(first)/fund", token: agent)
            #expect(walletFunded == .ok)
            try await stripe.deliver(try stripe.fake.pay(firstSession))
            #expect(try await stripe.client.wallet(agent).available == 5_000 - 2_750 + 2_750)
            #expect(try stripe.test.services.settlement.funding(of: first)?.source == .wallet)

            let (second, secondSession) = try await Self.checkout(stripe, agent)
            stripe.fake.inject(FakeFault(method: "POST", pathPrefix: "/v1/checkout/sessions/\(secondSession)/expire", times: 10, status: 500))
            stripe.fake.inject(FakeFault(method: "GET", pathPrefix: "/v1/checkout/sessions/\(secondSession)", times: 10, status: 500))
            let (canceled, _) = try await stripe.client.send(.post, "/v1/tasks/\(second)/cancel", token: agent)
            #expect(canceled == .ok)
            let paid = try stripe.fake.pay(secondSession)
            try await stripe.deliver(paid)
            #expect(try stripe.test.services.settlement.funding(of: second) == nil)
            #expect(try await stripe.client.wallet(agent).available == 5_000 - 2_750 + 2_750 + 2_750)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPending == 0)
            // Told again about the same payment under another event id: credited and announced once.
            let other = String(decoding: paid.payload, as: UTF8.self).replacingOccurrences(of: paid.id, with: paid.id + "x")
            let retold = FakeEvent(id: paid.id + "x", type: paid.type, created: paid.created, payload: Array(other.utf8))
            let (_, again) = try await stripe.deliver(retold)
            #expect(data(again)["outcome"] as? String == "applied")
            #expect(try await stripe.client.wallet(agent).available == 5_000 - 2_750 + 2_750 + 2_750)
            let (_, notifications) = try await stripe.client.send(.get, "/v1/notifications", token: agent)
            let late = (notifications["data"] as? [[String: Any]] ?? []).filter { ($0["body"] as? String ?? $0["text"] as? String ?? "").contains("after its checkout closed") }
            #expect(late.count == 2)  // one per payment: the first task's and the second's
            try stripe.expectClean()
        }
    }

    /// A request sends the calls its own commit recorded, not another task's stuck one; the
    /// sweeper's round sends every call still waiting.
    @Test func aRequestSendsOnlyItsOwnTasksCalls() async throws {
        try await Self.withStripe { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let (first, firstSession) = try await Self.checkout(stripe, agent)
            let (second, secondSession) = try await Self.checkout(stripe, agent)
            for session in [firstSession, secondSession] { try await stripe.deliver(try stripe.fake.pay(session)) }
            stripe.fake.inject(FakeFault(pathPrefix: "/v1/refunds", times: 3, status: 503))  // every attempt of the first refund
            _ = try await stripe.client.send(.post, "/v1/tasks/\(first)/cancel", token: agent)
            #expect(stripe.fake.requests("POST", "/v1/refunds").map(\.status) == [503, 503, 503])
            _ = try await stripe.client.send(.post, "/v1/tasks/\(second)/cancel", token: agent)
            let keys = stripe.fake.requests("POST", "/v1/refunds").map { $0.idempotencyKey ?? "" }
            #expect(keys == Array(repeating: "marketplace:refund:\(first)", count: 3) + ["marketplace:refund:\(second)"])
            // The failed call waits before its next attempt: a round at once leaves it alone.
            await stripe.test.services.settlement.sendPendingCalls()
            #expect(stripe.fake.requests("POST", "/v1/refunds").count == 4)
            stripe.test.clock.advance(seconds: SettlementService.callRetryFirstSeconds)
            await stripe.test.services.settlement.sendPendingCalls()  // the sweeper's round once the wait is over
            #expect(stripe.fake.requests("POST", "/v1/refunds").last?.idempotencyKey == "marketplace:refund:\(first)")
            #expect(stripe.fake.refundIDs().count == 2)
            try stripe.expectClean()
        }
    }
}
