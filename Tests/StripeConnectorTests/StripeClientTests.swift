import AsyncHTTPClient
import Connectors
import Testing
@testable import StripeConnector
import StripeFake

/// The connector's real HTTP code against the fake Stripe over loopback: request shape,
/// idempotency keys, which answers are retried, and Stripe's error object as typed errors.
struct StripeClientTests {
    static let fast = StripeClient.RetryPolicy(attempts: 4, initialDelay: .milliseconds(1), maxDelay: .milliseconds(4),
                                               rateLimitedDelay: .milliseconds(2))

    static func withStripe(_ body: @Sendable (FakeStripe, StripeConnector) async throws -> Void) async throws {
        let fake = FakeStripe()
        try await FakeStripeServer.run(fake) { baseURL in
            let connector = StripeConnector(secretKey: fake.secretKey, webhookSecrets: [fake.webhookSecret], baseURL: baseURL, retry: fast)
            try await body(fake, connector)
        }
    }

    static func funding(key: String = "fund:tsk_1:intent:16", amount: Int64 = 2_750, expiresIn: Int64 = 3_600, now: Int64) -> FundingRequest {
        FundingRequest(amountMinor: amount, currency: "usd", productName: "Verify the address", successURL: "https://example.com/ok",
                       cancelURL: "https://example.com/cancel", reference: "tsk_1", metadata: ["task_id": "tsk_1", "intent_id": "16"],
                       expiresAtSeconds: now + expiresIn, idempotencyKey: key)
    }

    @Test func checkoutSessionRequestHasStripesShape() async throws {
        try await Self.withStripe { fake, stripe in
            let session = try await stripe.startFunding(Self.funding(now: fake.nowSeconds))
            #expect(session.status == .open)
            #expect(session.paymentReference == nil)  // null until the customer pays
            #expect(session.url?.hasPrefix("https://checkout.stripe.com/") == true)
            #expect(session.amountMinor == 2_750)
            let request = try #require(fake.requests("POST", "/v1/checkout/sessions").first)
            #expect(request.idempotencyKey == "fund:tsk_1:intent:16")
            #expect(request.stripeVersion == StripeClient.apiVersion)
            #expect(request.params["mode"] == "payment")
            #expect(request.params["line_items[0][price_data][unit_amount]"] == "2750")
            #expect(request.params["line_items[0][price_data][currency]"] == "usd")
            #expect(request.params["line_items[0][price_data][product_data][name]"] == "Verify the address")
            #expect(request.params["line_items[0][quantity]"] == "1")
            #expect(request.params["client_reference_id"] == "tsk_1")
            #expect(request.params["metadata[task_id]"] == "tsk_1")
            #expect(request.params["payment_intent_data[metadata][intent_id]"] == "16")
            #expect(request.params["expires_at"] == String(fake.nowSeconds + 3_600))

            try fake.pay(session.id)
            let paid = try await stripe.fundingSession(session.id)
            #expect(paid.status == .paid)
            #expect(paid.paymentReference?.hasPrefix("pi_") == true)
            let charge = try await stripe.charge(ofPayment: try #require(paid.paymentReference))
            #expect(charge?.hasPrefix("ch_") == true)
        }
    }

    @Test func fiveHundredsConflictsAndRateLimitsAreRetriedWithTheSameKey() async throws {
        try await Self.withStripe { fake, stripe in
            fake.inject(FakeFault(pathPrefix: "/v1/checkout/sessions", times: 1, status: 500))
            fake.inject(FakeFault(pathPrefix: "/v1/checkout/sessions", times: 1, status: 409, type: "invalid_request_error", code: "lock_timeout"))
            fake.inject(FakeFault(pathPrefix: "/v1/checkout/sessions", times: 1, status: 429, type: "invalid_request_error", code: "rate_limit"))
            let session = try await stripe.startFunding(Self.funding(now: fake.nowSeconds))
            let attempts = fake.requests("POST", "/v1/checkout/sessions")
            #expect(attempts.map(\.status) == [500, 409, 429, 200])
            #expect(Set(attempts.map(\.idempotencyKey)) == ["fund:tsk_1:intent:16"])
            #expect(session.id.hasPrefix("cs_"))
        }
    }

    @Test func aLostAnswerIsReplayedNotRepeated() async throws {
        try await Self.withStripe { fake, stripe in
            // Stripe did the work but the answer was a 502: the retry gets the stored first answer.
            fake.inject(FakeFault(pathPrefix: "/v1/checkout/sessions", status: 502, afterProcessing: true))
            let session = try await stripe.startFunding(Self.funding(now: fake.nowSeconds))
            let attempts = fake.requests("POST", "/v1/checkout/sessions")
            #expect(attempts.map(\.replayed) == [false, true])
            let again = try await stripe.startFunding(Self.funding(now: fake.nowSeconds))
            #expect(again.id == session.id)
            #expect(fake.requests("POST", "/v1/checkout/sessions").filter { !$0.replayed }.count == 1)
        }
    }

    @Test func otherClientErrorsAreNotRetriedAndNameTheirParam() async throws {
        try await Self.withStripe { fake, stripe in
            await #expect(throws: ConnectorError.refused(status: 400, type: "invalid_request_error", code: "parameter_invalid",
                                                         message: "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
                                                         param: "expires_at")) {
                try await stripe.startFunding(Self.funding(expiresIn: 60, now: fake.nowSeconds))
            }
            #expect(fake.requests("POST", "/v1/checkout/sessions").count == 1)
        }
    }

    @Test func stripeShouldRetryDecidesWhenPresent() async throws {
        try await Self.withStripe { fake, stripe in
            fake.inject(FakeFault(pathPrefix: "/v1/checkout/sessions", status: 503, shouldRetry: false))
            let error = await #expect(throws: ConnectorError.self) { try await stripe.startFunding(Self.funding(now: fake.nowSeconds)) }
            #expect(error?.isIndefinite == false)
            #expect(fake.requests("POST", "/v1/checkout/sessions").count == 1)

            fake.inject(FakeFault(pathPrefix: "/v1/checkout/sessions", status: 400, type: "invalid_request_error", shouldRetry: true))
            _ = try await stripe.startFunding(Self.funding(key: "second", now: fake.nowSeconds))
            #expect(fake.requests("POST", "/v1/checkout/sessions").suffix(2).map(\.status) == [400, 200])
        }
    }

    @Test func retriesStopAfterTheLastAttemptAsIndefinite() async throws {
        try await Self.withStripe { fake, stripe in
            fake.inject(FakeFault(pathPrefix: "/v1/refunds", times: 10, status: 500))
            let error = await #expect(throws: ConnectorError.self) {
                try await stripe.refund(RefundRequest(paymentReference: "pi_x", amountMinor: 100, metadata: [:], idempotencyKey: "r1"))
            }
            #expect(error?.isIndefinite == true)
            #expect(fake.requests("POST", "/v1/refunds").count == Self.fast.attempts)
        }
        // Nobody listening: AsyncHTTPClient keeps reconnecting until the deadline, then the
        // connection error is retried, then indefinite.
        let closed = StripeConnector(secretKey: "sk_test_x", webhookSecrets: [], baseURL: "http://127.0.0.1:9", retry: Self.fast,
                                     timeout: .milliseconds(200))
        let error = await #expect(throws: ConnectorError.self) { try await closed.fundingSession("cs_x") }
        #expect(error?.isIndefinite == true)
    }

    @Test func aKeyReusedWithAnotherBodyIsAnIdempotencyError() async throws {
        try await Self.withStripe { fake, stripe in
            _ = try await stripe.startFunding(Self.funding(now: fake.nowSeconds))
            await #expect(throws: ConnectorError.self) { try await stripe.startFunding(Self.funding(amount: 9_999, now: fake.nowSeconds)) }
            let last = try #require(fake.requests("POST", "/v1/checkout/sessions").last)
            #expect(last.status == 400)
            let error = await #expect(throws: ConnectorError.self) { try await stripe.startFunding(Self.funding(amount: 9_999, now: fake.nowSeconds)) }
            guard case .idempotencyConflict = error else { Issue.record("expected an idempotency conflict, got \(String(describing: error))"); return }
        }
    }

    @Test func aWrongSecretKeyIsRefused() async throws {
        let fake = FakeStripe()
        try await FakeStripeServer.run(fake) { baseURL in
            let stripe = StripeConnector(secretKey: "sk_test_wrong", webhookSecrets: [], baseURL: baseURL, retry: Self.fast)
            let error = await #expect(throws: ConnectorError.self) { try await stripe.fundingSession("cs_x") }
            guard case .refused(let status, let type, _, _, _) = error else { Issue.record("\(String(describing: error))"); return }
            #expect(status == 401)
            #expect(type == "invalid_request_error")
        }
    }

    @Test func refundsTransfersReversalsAndExpiry() async throws {
        try await Self.withStripe { fake, stripe in
            let session = try await stripe.startFunding(Self.funding(now: fake.nowSeconds))
            try fake.pay(session.id)
            let intent = try #require(try await stripe.fundingSession(session.id).paymentReference)
            let refund = try await stripe.refund(RefundRequest(paymentReference: intent, amountMinor: 1_000, metadata: ["task_id": "tsk_1"],
                                                               idempotencyKey: "refund:1"))
            #expect(refund.status == .pending)
            #expect(refund.amountMinor == 1_000)
            await #expect(throws: ConnectorError.self) {  // more than is left on the charge
                try await stripe.refund(RefundRequest(paymentReference: intent, amountMinor: 1_751, metadata: [:], idempotencyKey: "refund:2"))
            }
            let charge = try await stripe.charge(ofPayment: intent)
            let payout = try await stripe.payOut(PayoutRequest(destination: "acct_1Worker", amountMinor: 1_500, currency: "usd", group: "tsk_1",
                                                               paymentReference: charge, metadata: ["task_id": "tsk_1"], idempotencyKey: "payout:1"))
            #expect(fake.transfer(payout.id)?.source == charge)
            let transferRequest = try #require(fake.requests("POST", "/v1/transfers").first)
            #expect(transferRequest.params["transfer_group"] == "tsk_1")
            #expect(transferRequest.params["destination"] == "acct_1Worker")
            let reversal = try await stripe.reversePayout(payout.id, amountMinor: 500, idempotencyKey: "reverse:1")
            #expect(reversal.amountMinor == 500)
            #expect(fake.transfer(payout.id)?.reversed == 500)

            let open = try await stripe.startFunding(Self.funding(key: "fund:2", now: fake.nowSeconds))
            #expect(try await stripe.cancelFunding(open.id).status == .failed)
            await #expect(throws: ConnectorError.self) { try await stripe.cancelFunding(session.id) }  // complete: cannot expire
        }
    }

    @Test func theStatementPagesThroughEveryBalanceTransaction() async throws {
        try await Self.withStripe { fake, stripe in
            let start = fake.nowSeconds
            for index in 0..<104 {
                let session = try await stripe.startFunding(Self.funding(key: "fund:\(index)", amount: 1_000 + Int64(index), now: fake.nowSeconds))
                try fake.pay(session.id)
                fake.advanceClock(by: 1)
            }
            let lines = try await stripe.statement(from: start, to: fake.nowSeconds + 1)
            #expect(lines.count == 104)
            #expect(lines.allSatisfy { $0.kind == .charge })
            #expect(lines.map(\.amountMinor) == (0..<104).map { 1_000 + Int64($0) })  // oldest first
            #expect(lines[0].feeMinor == 59)  // 2.9 % of 10.00 + 0.30
            #expect(fake.requests("GET", "/v1/balance_transactions").count == 2)
            let later = try await stripe.statement(from: start + 100, to: fake.nowSeconds + 1)
            #expect(later.count == 4)
        }
    }
}
