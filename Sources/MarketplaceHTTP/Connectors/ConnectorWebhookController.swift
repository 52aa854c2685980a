import HTTPTypes
import Hummingbird
import Marketplace

/// Where payment connectors report what happened: the exact raw body and its signature go
/// to the settlement service, which verifies them before anything is written.
struct ConnectorWebhookController: Sendable {
    let settlement: SettlementService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post(":connector/webhook", use: receive)
    }

    struct Received: Encodable, Sendable {
        let received: Bool
        let outcome: String
    }

    /// 2xx once the event is acted on (or was before, or is of a type we ignore); 400 for
    /// anything that does not verify; 5xx makes Stripe deliver it again later.
    /// Each connector's events at /v1/connectors/<name>/webhook, its signature in the header the
    /// connector names; a connector this server does not run is 404.
    @Sendable func receive(_ request: Request, context: APIContext) async throws -> Envelope<Received> {
        let name = try context.parameters.require("connector")
        guard let header = settlement.signatureHeader(of: name).flatMap({ HTTPField.Name($0) }) else {
            throw APIError.notFound("no \(name) connector is configured")
        }
        var request = request
        let body = try await RequestBody.collect(&request)
        let outcome = try await settlement.receiveEvent(from: name, payload: Array(body.readableBytesView), signature: request.headers[header])
        return Envelope(Received(received: true, outcome: outcome.rawValue))
    }
}
