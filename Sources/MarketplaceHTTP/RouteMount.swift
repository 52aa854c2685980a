public import Hummingbird

/// Routes a composition module adds to the API beside its own (MCP's /v1/mcp, mounted by
/// MarketplaceServer), with their part of the OpenAPI document, so MarketplaceHTTP imports no
/// other interface module.
public protocol RouteMount: Sendable {
    func addRoutes(to router: Router<APIContext>)
    /// The mount's paths in the OpenAPI document (path -> path item).
    var openAPIPaths: [String: Any] { get }
}
