import Hummingbird
import Marketplace

/// Guards a whole group of routes with one scope: 401 without credentials, 403 without the
/// scope. The ledger's routes use it with finance:read, which only admins hold.
struct ScopeMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let scope: Scope

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let caller = try context.requirePrincipal()
        try caller.require(scope)
        return try await next(request, context)
    }
}
