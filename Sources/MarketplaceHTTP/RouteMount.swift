public import Hummingbird

/// Routes a composition module adds to the API beside its own (MCP's /v1/mcp, mounted by
/// MarketplaceServer), with their part of the OpenAPI document, so MarketplaceHTTP imports no
/// other interface module.
public protocol RouteMount: Sendable {
    func addRoutes(to router: Router<APIContext>)
    /// The mount's paths in the OpenAPI document (path -> path item).
    var openAPIPaths: [String: Any] { get }
    /// How errors under the mount's paths are rendered, when not as the API's envelope.
    var refusalShape: RefusalShape? { get }
}

/// A dialect whose refusals have a shape of their own (seed 002's `{"success": false, "error":
/// "…"}`): under `prefix`, every error is rendered by `render`, the ones the server-wide
/// middlewares raise (a bad credential, a rate limit, an Idempotency-Key refused) as well as
/// the routes' own, so that a client of that API never meets another shape.
public struct RefusalShape: Sendable {
    public let prefix: String
    public let render: @Sendable (any Error) -> Response

    public init(prefix: String, render: @escaping @Sendable (any Error) -> Response) {
        self.prefix = prefix
        self.render = render
    }
}

extension RouteMount {
    /// nil: the API's own error envelope.
    public var refusalShape: RefusalShape? { nil }
}

/// Renders errors under each dialect's prefix in its own shape (outside ErrorMiddleware, which
/// turns the router's 404 and 405 into APIErrors first).
struct RefusalShapeMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let shapes: [RefusalShape]

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard let shape = shapes.first(where: { path.hasPrefix($0.prefix) }) else { return try await next(request, context) }
        do { return try await next(request, context) } catch { return shape.render(error) }
    }
}
