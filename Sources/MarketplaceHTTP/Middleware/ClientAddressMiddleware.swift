import HTTPTypes
import Hummingbird

/// Sets `clientAddress` from X-Forwarded-For when the socket's peer is a trusted proxy, so
/// that anonymous callers behind a reverse proxy get rate limits and idempotency scopes of
/// their own. From any other peer the header is ignored.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let trusted: TrustedProxies

    static let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = trusted.client(peer: context.clientAddress, forwardedFor: request.headers[values: Self.forwardedForHeader])
        return try await next(request, context)
    }
}
