import Connectors
import Foundation
import Testing
@testable import StripeConnector
import StripeFake

/// Stripe-Signature verification against vectors made by the official stripe package
/// (Fixtures/stripe, stripe-python), and the events they carry read into connector events.
struct WebhookTests {
    struct Fixture: Decodable {
        struct Case: Decodable, CustomTestStringConvertible {
            var name: String
            var payload: String
            var header: String
            var secrets: [String]
            var now: Int64
            var valid: Bool
            var event_id: String?
            var event_type: String?
            var testDescription: String { name }
        }

        var generator: String
        var tolerance_seconds: Int64
        var cases: [Case]
    }

    static let fixture = try! JSONDecoder().decode(Fixture.self, from: Data(PackageResources.webhooks_json))

    @Test func theFixturesComeFromTheOfficialPackageAndCoverBothOutcomes() {
        #expect(Self.fixture.generator.hasPrefix("stripe-python "))
        #expect(Self.fixture.tolerance_seconds == StripeWebhookVerifier.defaultToleranceSeconds)
        #expect(Self.fixture.cases.filter(\.valid).count >= 10)
        #expect(Self.fixture.cases.filter { !$0.valid }.count >= 8)
    }

    @Test(arguments: fixture.cases)
    func verifiesAsTheOfficialPackageDoes(_ vector: Fixture.Case) throws {
        let stripe = StripeConnector(secretKey: "sk_test_unused", webhookSecrets: vector.secrets)
        let payload = Array(vector.payload.utf8)
        if vector.valid {
            let event = try stripe.event(payload: payload, signature: vector.header, nowSeconds: vector.now)
            #expect(event.id == vector.event_id)
            #expect(event.type == vector.event_type)
        } else {
            #expect(throws: ConnectorError.self) { try stripe.event(payload: payload, signature: vector.header, nowSeconds: vector.now) }
        }
    }

    @Test func eventsReadIntoWhatTheyMean() throws {
        func kind(_ name: String) throws -> ConnectorEvent.Kind {
            let vector = try #require(Self.fixture.cases.first { $0.name == name })
            return try StripeConnector.read(Array(vector.payload.utf8)).kind
        }
        guard case .fundingSucceeded(let paid) = try kind("checkout_session_completed_paid") else { Issue.record("not funding"); return }
        #expect(paid.amountMinor == 2_750)
        #expect(paid.currency == "usd")
        #expect(paid.paymentReference?.hasPrefix("pi_") == true)
        #expect(paid.metadata["task_id"] != nil)
        guard case .fundingSucceeded = try kind("checkout_session_async_payment_succeeded") else { Issue.record("async succeeded"); return }
        guard case .fundingFailed(_, let reason) = try kind("checkout_session_async_payment_failed") else { Issue.record("async failed"); return }
        #expect(reason == "payment failed")
        guard case .fundingFailed(let expired, "expired") = try kind("checkout_session_expired") else { Issue.record("expired"); return }
        #expect(expired.paymentReference == nil)
        guard case .refundSucceeded(let refundID, _) = try kind("refund_updated_succeeded") else { Issue.record("refund"); return }
        #expect(refundID.hasPrefix("re_"))
        guard case .refundFailed = try kind("refund_failed") else { Issue.record("refund failed"); return }
        guard case .refundFailed = try kind("refund_updated_status_failed") else { Issue.record("refund status failed"); return }
        guard case .payoutReversed(let transfer, let reversed, _) = try kind("transfer_reversed") else { Issue.record("reversed"); return }
        #expect(transfer.hasPrefix("tr_"))
        #expect(reversed > 0)
        #expect(try kind("unknown_type_customer_created") == .ignored)
    }

    @Test func badHeadersAndBodiesAreRefusedWithAReason() {
        let body = Array(#"{"id":"evt_1","object":"event","type":"x","created":1,"livemode":false,"data":{"object":{}}}"#.utf8)
        let verifier = StripeWebhookVerifier(secrets: ["whsec_a"])
        let header = StripeWebhookVerifier.header(payload: body, secret: "whsec_a", timestamp: 1_000)
        #expect(throws: Never.self) { try verifier.verify(payload: body, header: header, nowSeconds: 1_300) }
        #expect(throws: StripeWebhookVerifier.Failure.stale(ageSeconds: 301)) { try verifier.verify(payload: body, header: header, nowSeconds: 1_301) }
        #expect(throws: StripeWebhookVerifier.Failure.missingHeader) { try verifier.verify(payload: body, header: nil, nowSeconds: 1_000) }
        #expect(throws: StripeWebhookVerifier.Failure.malformedHeader) { try verifier.verify(payload: body, header: "v1=ab", nowSeconds: 1_000) }
        #expect(throws: StripeWebhookVerifier.Failure.noSignature) { try verifier.verify(payload: body, header: "t=1000,v0=ab", nowSeconds: 1_000) }
        #expect(throws: StripeWebhookVerifier.Failure.mismatch) { try verifier.verify(payload: body + [32], header: header, nowSeconds: 1_000) }
        #expect(throws: StripeWebhookVerifier.Failure.mismatch) { try verifier.verify(payload: body, header: header.uppercased().replacingOccurrences(of: "T=", with: "t=").replacingOccurrences(of: "V1=", with: "v1="), nowSeconds: 1_000) }
        // A signed payload that is not an event: refused, not ignored.
        let array = Array("[1,2]".utf8)
        let stripe = StripeConnector(secretKey: "sk", webhookSecrets: ["whsec_a"])
        #expect(throws: ConnectorError.self) {
            try stripe.event(payload: array, signature: StripeWebhookVerifier.header(payload: array, secret: "whsec_a", timestamp: 5), nowSeconds: 5)
        }
    }

    /// Deliveries the fake signs verify here; with STRIPE_INTEROP_OUT set they are written out
    /// for `make test`'s check with the official stripe package (Fixtures/stripe/check_fake_signatures.py).
    @Test func theFakesDeliveriesVerify() async throws {
        try await StripeClientTests.withStripe { fake, stripe in
            let session = try await stripe.startFunding(StripeClientTests.funding(now: fake.nowSeconds))
            try fake.pay(session.id)
            let intent = try #require(try await stripe.fundingSession(session.id).paymentReference)
            let refund = try await stripe.refund(RefundRequest(paymentReference: intent, amountMinor: 700, metadata: ["why": "café"], idempotencyKey: "r"))
            try fake.settleRefund(refund.id, succeeded: true)
            let delayed = try await stripe.startFunding(StripeClientTests.funding(key: "fund:2", now: fake.nowSeconds))
            try fake.pay(delayed.id, delayed: true)
            try fake.settleDelayedPayment(delayed.id, succeeded: false)
            _ = try await stripe.startFunding(StripeClientTests.funding(key: "fund:3", now: fake.nowSeconds))
            fake.advanceClock(by: 3_601)

            var kinds: [String] = []
            for event in fake.events {
                let delivery = fake.delivery(of: event)
                let read = try stripe.event(payload: delivery.payload, signature: delivery.header, nowSeconds: Int64(Date().timeIntervalSince1970))
                #expect(read.id == event.id)
                switch read.kind {
                case .fundingSucceeded: kinds.append("paid")
                case .fundingFailed(_, let reason): kinds.append(reason)
                case .fundingPending: kinds.append("pending")
                case .refundSucceeded: kinds.append("refunded")
                case .refundFailed: kinds.append("refund failed")
                case .payoutReversed: kinds.append("reversed")
                case .refundsChanged(let payment, _): kinds.append(payment == intent ? "refunds of the payment" : "refunds of another payment")
                case .ignored: kinds.append("ignored")
                }
            }
            // charge.refunded in the pinned shape names the charge and its payment, not the refund.
            #expect(kinds == ["paid", "ignored", "refunded", "refunds of the payment", "pending", "payment failed", "expired"])
            if let path = ProcessInfo.processInfo.environment["STRIPE_INTEROP_OUT"] {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(fake.deliveriesJSON()).write(to: URL(fileURLWithPath: path))
                // The balance-transaction map, for Fixtures/stripe/check_balance_types.py.
                let types = StripeConnector.balanceTypes.mapValues(\.rawValue)
                let map = try JSONSerialization.data(withJSONObject: ["api_version": StripeClient.apiVersion, "types": types], options: [.sortedKeys])
                try map.write(to: URL(fileURLWithPath: path + ".balance-types.json"))
            }
        }
    }
}
