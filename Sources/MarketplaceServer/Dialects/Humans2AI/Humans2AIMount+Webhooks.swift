import Foundation
import Hummingbird
import Marketplace
import MarketplaceHTTP
import MarketplaceViews

/// Seed 004's `/webhooks`: endpoints the webhook service delivers to in the document's format
/// (Humans2AIWebhookFormat: its envelope, event names and `X-Humans2AI-Signature`), through the
/// same durable outbox, retries and per-endpoint ordering as /v1/webhooks.
extension Humans2AIMount {
    func addWebhookRoutes(to group: RouterGroup<APIContext>) {
        group.get("webhooks", use: webhooks)
        group.post("webhooks", use: createWebhook)
        group.delete("webhooks/{webhook}", use: deleteWebhook)
    }

    static let format = Humans2AIWebhookFormat()

    struct WebhookAnswer: Encodable, Sendable {
        let id: String
        let url: String
        let events: [String]
        let description: String?
        let active: Bool
        let createdAt: String
        /// The signing secret: in the create answer only, never again.
        let secret: String?

        init(_ endpoint: WebhookEndpoint, secret: String? = nil) {
            id = endpoint.id
            url = endpoint.url
            events = endpoint.events.compactMap { WebhookEvent(rawValue: $0).flatMap { Humans2AIMount.format.events[$0] } }.sorted()
            description = endpoint.description
            active = endpoint.enabled
            createdAt = Timestamps.format(endpoint.createdAt)
            self.secret = secret
        }
    }

    struct WebhookBody: Decodable {
        let url: String
        /// The document's event names; every one of them when left out.
        let events: [String]?
        let description: String?
    }

    /// The caller's endpoints in this format (a /v1 endpoint is not listed here).
    @Sendable func webhooks(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<[WebhookAnswer]> {
        let caller = try context.requirePrincipal()
        let endpoints = try services.requireWebhooks().list(by: caller).filter { $0.format == Self.format.name }
        return Humans2AIAnswer(endpoints.map { WebhookAnswer($0) })
    }

    /// 201 with the endpoint and its `secret` (`whsec_…`), shown once.
    @Sendable func createWebhook(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<WebhookAnswer> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(WebhookBody.self, from: request, context: context)
        let (endpoint, secret) = try await services.requireWebhooks().create(url: body.url, events: body.events ?? ["*"], description: body.description,
                                                                              format: Self.format.name, by: caller)
        return Humans2AIAnswer(WebhookAnswer(endpoint, secret: secret), status: .created)
    }

    @Sendable func deleteWebhook(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<WebhookAnswer> {
        let caller = try context.requirePrincipal()
        try await MarketplaceHTTP.RequestBody.refuseFields(request, context: context)
        let webhooks = try services.requireWebhooks()
        let id = try context.parameters.require("webhook")
        guard try webhooks.list(by: caller).contains(where: { $0.id == id && $0.format == Self.format.name }) else {
            throw MarketplaceError.notFound("no webhook endpoint \(id)")
        }
        return Humans2AIAnswer(WebhookAnswer(try await webhooks.delete(id, by: caller)))
    }
}

extension Services {
    /// The webhook service; a server assembled without one answers its routes 404, as /v1/webhooks does.
    fileprivate func requireWebhooks() throws(MarketplaceError) -> WebhookService {
        guard let webhooks else { throw .notFound("webhooks are not served by this server") }
        return webhooks
    }
}
