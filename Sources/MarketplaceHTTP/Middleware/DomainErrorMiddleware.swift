import Hummingbird

/// Innermost: a handler's marketplace or ledger refusal becomes the API's error here, once, so
/// the idempotency, rate-limit and error middlewares around it only ever see an `APIError`.
struct DomainErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do { return try await next(request, context) } catch { throw APIError(domain: error) ?? error }
    }
}
