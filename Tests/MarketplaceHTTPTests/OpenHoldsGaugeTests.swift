import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Prometheus
import StripeFake
import Testing
@testable import MarketplaceHTTP

/// `/metrics`' open holds, read at scrape time from the ledger: a card funding opens a hold (its
/// pending intent) and the gauge moves by exactly that hold; the payment event posts it and the
/// gauge moves back, to the cent, and agrees with `ledger verify`'s count.
struct OpenHoldsGaugeTests {
    /// The value of `name{asset="USD"}` in a scrape.
    static func usd(_ name: String, in scrape: String) throws -> Double {
        let line = try #require(scrape.split(separator: "\n").first { $0.hasPrefix(name + #"{asset="USD"} "#) }, "\(name) is not in the scrape")
        return try #require(line.split(separator: " ").last.flatMap { Double($0) })
    }

    static func scrape(_ stripe: CardFundingTests.Stripe) async throws -> (count: Double, amountMinor: Double) {
        let text = try await stripe.client.execute(uri: "/metrics", method: .get) { response in
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
        return (try usd("marketplace_open_holds", in: text), try usd("marketplace_open_holds_amount_minor", in: text))
    }

    @Test func theGaugeMovesExactlyWithAFundingAndItsRelease() async throws {
        let observability = Observability(registry: PrometheusCollectorRegistry(), metricsPublic: true)
        try await CardFundingTests.withStripe(observability: observability) { stripe in
            let agent = try await stripe.client.session("agent@example.com")
            let none = try await Self.scrape(stripe)
            #expect(none.count == 0 && none.amountMinor == 0)

            // Two card fundings of 25.00 tasks (27.50 each with the fee): each intent is a hold.
            let (_, first) = try await CardFundingTests.checkout(stripe, agent)
            let one = try await Self.scrape(stripe)
            #expect(one.count == 1 && one.amountMinor == 2_750)
            let (_, second) = try await CardFundingTests.checkout(stripe, agent)
            let two = try await Self.scrape(stripe)
            #expect(two.count == 2 && two.amountMinor == 5_500)
            #expect(try stripe.test.ledger.verify().holdsOpen == 2)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPending == 5_500)

            // The first payment's event posts its intent: that hold is released, the other stays.
            try await stripe.deliver(try stripe.fake.pay(first))
            let released = try await Self.scrape(stripe)
            #expect(released.count == 1 && released.amountMinor == 2_750)
            try await stripe.deliver(try stripe.fake.pay(second))
            let both = try await Self.scrape(stripe)
            #expect(both.count == 0 && both.amountMinor == 0)
            #expect(try stripe.test.ledger.verify().holdsOpen == 0)
            #expect(try stripe.balance("clearing:stripe:test:USD")?.debitsPosted == 5_500)
            try stripe.expectClean()
        }
    }
}
