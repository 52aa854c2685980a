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

    struct CreateRequest: Decodable {
        let name: String
        let scopes: [String]
        let mode: String
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<CreatedKey>> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(CreateRequest.self, from: request, context: context)
        let created = try api { try keys.create(for: caller, name: body.name, scopes: body.scopes, mode: body.mode) }
        return EditedResponse(status: .created, response: Envelope(created))
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Envelope<[APIKey]> {
        let caller = try context.requirePrincipal()
        return Envelope(try api { try keys.list(for: caller) })
    }

    @Sendable func revoke(_ request: Request, context: APIContext) async throws -> Envelope<APIKey> {
        let caller = try context.requirePrincipal()
        let id = context.parameters.get("key") ?? ""
        return Envelope(try api { try keys.revoke(id, for: caller) })
    }
}
