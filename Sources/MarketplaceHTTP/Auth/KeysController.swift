import Hummingbird
import Marketplace

/// API keys: create (the secret is shown once), list redacted, revoke.
struct KeysController: Sendable {
    let keys: KeyService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post(use: create)
        group.get(use: list)
        group.delete(":key", use: revoke)
    }

    struct SpendPolicyBody: Decodable {
        let currency: String
        let perTask: ExactAmount?
        let perDay: ExactAmount?
    }

    struct CreateRequest: Decodable {
        let name: String
        let scopes: [String]
        let mode: String
        let spendPolicy: SpendPolicyBody?
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<CreatedKey>> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(CreateRequest.self, from: request, context: context)
        let policy = body.spendPolicy.map { KeySpendPolicy(currency: $0.currency, perTask: $0.perTask?.text, perDay: $0.perDay?.text) }
        let created = try await keys.create(for: caller, name: body.name, scopes: body.scopes, mode: body.mode, spendPolicy: policy)
        return EditedResponse(status: .created, response: Envelope(created))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Envelope<[APIKey]> {
        let caller = try context.requirePrincipal()
        return Envelope(try keys.list(for: caller))
    }

    @Sendable func revoke(_ request: Request, context: APIContext) async throws -> Envelope<APIKey> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        let id = try context.parameters.require("key")
        return Envelope(try await keys.revoke(id, for: caller))
    }
}
