import Foundation
import Hummingbird
import Marketplace

/// Webhook endpoints: create (the signing secret shown once), list, update, delete; their
/// deliveries and redelivery; the secret that signs task callback_url deliveries.
struct WebhooksController: Sendable {
    let webhooks: WebhookService?

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post(use: create)
        group.get(use: list)
        group.post("callback-secret", use: callbackSecret)
        group.patch(":webhook", use: update)
        group.delete(":webhook", use: delete)
        group.get(":webhook/deliveries", use: deliveries)
        group.post(":webhook/deliveries/:delivery/redeliver", use: redeliver)
    }

    struct CreateBody: Decodable {
        let url: String
        let events: [String]
        let description: String?
    }

    struct UpdateBody: Decodable {
        let url: String?
        let events: [String]?
        let description: String?
        let enabled: Bool?
    }

    struct EndpointView: Encodable, Sendable {
        let id: String
        let url: String
        let events: [String]
        let description: String?
        let enabled: Bool
        let failures: Int
        let disabledReason: String?
        let createdAt: String
        /// Only in the answer to create: store it, it is not shown again.
        var secret: String?

        init(_ endpoint: WebhookEndpoint, secret: String? = nil) {
            id = endpoint.id
            url = endpoint.url
            events = endpoint.events
            description = endpoint.description
            enabled = endpoint.enabled
            failures = endpoint.failures
            disabledReason = endpoint.disabledReason
            createdAt = Timestamps.format(endpoint.createdAt)
            self.secret = secret
        }
    }

    struct DeliveryView: Encodable, Sendable {
        let id: Int64
        let eventId: String
        let event: String
        let taskId: String?
        let state: String
        let attempts: Int
        let lastStatus: Int?
        let lastError: String?
        let nextAttemptAt: String?
        let deliveredAt: String?

        init(_ delivery: WebhookDelivery) {
            id = delivery.id
            eventId = delivery.eventID
            event = delivery.event
            taskId = delivery.taskID
            state = delivery.state
            attempts = delivery.attempts
            lastStatus = delivery.lastStatus
            lastError = delivery.lastError
            nextAttemptAt = delivery.state == "pending" ? Timestamps.format(delivery.nextAttemptAt) : nil
            deliveredAt = delivery.deliveredAt.map(Timestamps.format)
        }
    }

    struct SecretView: Encodable, Sendable { let secret: String }

    private func service() throws -> WebhookService {
        guard let webhooks else { throw APIError(.notFound, code: "NOT_FOUND", message: "webhooks are not configured on this server", field: nil) }
        return webhooks
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<EndpointView>> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(CreateBody.self, from: request, context: context)
        let webhooks = try service()
        let (endpoint, secret) = try await webhooks.create(url: body.url, events: body.events, description: body.description, by: caller)
        return EditedResponse(status: .created, response: Envelope(EndpointView(endpoint, secret: secret)))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Envelope<[EndpointView]> {
        let caller = try context.requirePrincipal()
        let webhooks = try service()
        return Envelope(try webhooks.list(by: caller).map { EndpointView($0) })
    }

    @Sendable func update(_ request: Request, context: APIContext) async throws -> Envelope<EndpointView> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(UpdateBody.self, from: request, context: context)
        let id = try context.parameters.require("webhook")
        let webhooks = try service()
        return Envelope(EndpointView(try await webhooks.update(id, url: body.url, events: body.events, description: body.description, enabled: body.enabled, by: caller)))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Envelope<EndpointView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        let id = try context.parameters.require("webhook")
        let webhooks = try service()
        return Envelope(EndpointView(try await webhooks.delete(id, by: caller)))
    }

    @Sendable func deliveries(_ request: Request, context: APIContext) async throws -> Envelope<[DeliveryView]> {
        let caller = try context.requirePrincipal()
        let id = try context.parameters.require("webhook")
        let webhooks = try service()
        return Envelope(try webhooks.deliveries(of: id, by: caller).map(DeliveryView.init))
    }

    @Sendable func redeliver(_ request: Request, context: APIContext) async throws -> Envelope<DeliveryView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        let id = try context.parameters.require("webhook")
        guard let delivery = context.parameters.get("delivery").flatMap(Int64.init) else {
            throw APIError.validation("delivery must be a delivery id", field: "delivery")
        }
        let webhooks = try service()
        return Envelope(DeliveryView(try await webhooks.redeliver(delivery, of: id, by: caller)))
    }

    @Sendable func callbackSecret(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<SecretView>> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        let webhooks = try service()
        return EditedResponse(status: .created, response: Envelope(SecretView(secret: try await webhooks.rotateCallbackSecret(by: caller))))
    }
}
