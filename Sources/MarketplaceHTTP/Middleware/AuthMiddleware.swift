import Hummingbird
import Marketplace

/// Resolves `Authorization: Bearer …` into the caller once per request. A request without the
/// header goes on anonymous; a bad credential stops here with 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let auth: AuthService

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.hasPrefix("Bearer "), header.count > 7 else {
            throw APIError(.unauthorized, code: "UNAUTHORIZED", message: "Authorization must be 'Bearer <token>'")
        }
        var context = context
        do {
            context.principal = try await auth.authenticate(bearer: String(header.dropFirst(7)))
        } catch {
            throw APIError(error)
        }
        return try await next(request, context)
    }
}
