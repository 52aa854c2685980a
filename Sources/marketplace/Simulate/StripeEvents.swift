import LedgerCore
import NIOHTTP1
import StripeFake
import Synchronization

/// Stripe's webhook sender for a run: the fake's events, signed by the run's clock (the route
/// checks a signature's timestamp against the marketplace's clock), posted to the API's
/// webhook route. A task delivers the events its own steps cause at once; the rest (created
/// refunds, transfers) arrive late, in one sweep at the end, as Stripe's retries would.
final class StripeEvents: Sendable {
    let fake: FakeStripe
    private let api: APIClient
    private let clock: ManualClock
    private let delivered = Mutex<Set<String>>([])

    static let route = "/v1/connectors/stripe/webhook"
    /// What the route may answer for an event of ours; `unmatched` would mean a lost record.
    static let outcomesAccepted: Set<String> = ["applied", "duplicate", "ignored"]

    init(fake: FakeStripe, api: APIClient, clock: ManualClock) {
        self.fake = fake
        self.api = api
        self.clock = clock
    }

    /// Delivers `event` as Stripe would; answers the route's outcome.
    @discardableResult
    func deliver(_ event: FakeEvent) async throws -> String {
        let delivery = fake.delivery(of: event, timestamp: clock.now / 1_000_000)
        let response = try await api.send(.POST, Self.route, token: nil, body: delivery.payload,
                                          headers: [("Stripe-Signature", delivery.header)])
        struct Answer: Decodable { let outcome: String }
        let answer: Answer = try APIClient.data(of: response, step: "deliver \(event.type) \(event.id)", expect: [200])
        guard Self.outcomesAccepted.contains(answer.outcome) else {
            throw SimulationError.mismatch("\(event.type) \(event.id) was \(answer.outcome)")
        }
        delivered.withLock { _ = $0.insert(event.id) }
        return answer.outcome
    }

    /// Delivers every event not delivered yet, oldest first; answers how many.
    func deliverLate() async throws -> Int {
        let late = fake.events.filter { event in !delivered.withLock { $0.contains(event.id) } }
        for event in late { try await deliver(event) }
        return late.count
    }
}
