public import Hummingbird
public import LedgerCore
public import Logging

/// What the server needs: where to listen, which ledger, which mode.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// "test" or "live"; `make run` serves test mode.
    public var mode: String

    public init(host: String = "127.0.0.1", port: Int = 8080, mode: String = "test") {
        self.host = host
        self.port = port
        self.mode = mode
    }
}

/// Assembles the application: configuration and services in, a ready application out.
/// Tests call it too, with their own ledger.
public func buildApplication(_ configuration: ServerConfiguration, ledger: Ledger, logger: Logger = Logger(label: "marketplace")) -> some ApplicationProtocol {
    Application(
        router: buildRouter(ledger: ledger, mode: configuration.mode),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "marketplace"),
        logger: logger
    )
}

/// The router with every route; exposed for tests of the OpenAPI document.
public func buildRouter(ledger: Ledger, mode: String) -> Router<APIContext> {
    let router = Router(context: APIContext.self)
    router.add(middleware: ErrorMiddleware())
    router.get("healthz") { _, _ in Envelope(Health(status: "ok", mode: mode)) }
    router.get("openapi.json") { _, _ in OpenAPIDocument.response() }
    LedgerController(ledger: ledger).addRoutes(to: router.group("v1/ledger"))
    return router
}

struct Health: Codable, Sendable {
    let status: String
    let mode: String
}
