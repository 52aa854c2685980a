import Hummingbird
import Marketplace

/// Where payment connectors report what happened: the exact raw body and its signature go
/// to the settlement service, which verifies them before anything is written.
struct ConnectorWebhookController: Sendable {
    let settlement: SettlementService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post("stripe/webhook", use: stripe)
    }

    struct Received: Encodable, Sendable {
        let received: Bool
        let outcome: String
    }

    /// 2xx once the event is acted on (or was before, or is of a type we ignore); 400 for
    /// anything that does not verify; 5xx makes Stripe deliver it again later.
    @Sendable func stripe(_ request: Request, context: APIContext) async throws -> Envelope<Received> {
        var request = request
        let body = try await RequestBody.collect(&request)
        let signature = request.headers[.init("Stripe-Signature")!]
        let outcome = try await settlement.receiveEvent(from: "stripe", payload: Array(body.readableBytesView), signature: signature)
        return Envelope(Received(received: true, outcome: outcome.rawValue))
    }
}
