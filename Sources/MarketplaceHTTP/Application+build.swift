public import Hummingbird
import HummingbirdCore
public import NIOCore
public import LedgerCore
public import Logging
public import Marketplace

/// What the server needs: where to listen, which mode, and the limits it holds callers to.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// "test" or "live"; `make run` serves test mode.
    public var mode: String
    public var rateLimits: RateLimits
    /// Timeouts on idle and slow connections, and the cap on open ones.
    public var connectionLimits: ConnectionLimits
    /// Proxies whose X-Forwarded-For names the client; none by default.
    public var trustedProxies: TrustedProxies

    public init(host: String = "127.0.0.1", port: Int = 8080, mode: String = "test", rateLimits: RateLimits = .standard,
                connectionLimits: ConnectionLimits = .standard, trustedProxies: TrustedProxies = .none) {
        self.host = host
        self.port = port
        self.mode = mode
        self.rateLimits = rateLimits
        self.connectionLimits = connectionLimits
        self.trustedProxies = trustedProxies
    }
}

/// The services the routes call; `marketplace serve` builds the live ones, tests their own.
public struct Services: Sendable {
    public let ledger: Ledger
    public let auth: AuthService
    public let keys: KeyService
    public let tasks: TaskService
    public let settlement: SettlementService
    public let work: WorkService
    public let profiles: ProfileService
    public let idempotency: IdempotencyStore
    public let messages: MessageService
    /// Outbound webhooks; nil answers their routes 404.
    public var webhooks: WebhookService?
    /// Services and their orders, over the task, settlement and work services.
    public var catalog: ServiceCatalog { ServiceCatalog(tasks: tasks, settlement: settlement, work: work) }

    public init(ledger: Ledger, auth: AuthService, keys: KeyService, tasks: TaskService, settlement: SettlementService, work: WorkService,
                profiles: ProfileService, idempotency: IdempotencyStore, messages: MessageService) {
        self.ledger = ledger
        self.auth = auth
        self.keys = keys
        self.tasks = tasks
        self.settlement = settlement
        self.work = work
        self.profiles = profiles
        self.idempotency = idempotency
        self.messages = messages
    }
}

/// Assembles the application: configuration and services in, a ready application out.
/// Tests call it too, with their own services. `onServerRunning` is called once the socket
/// listens, with the listening channel (its `localAddress` has the port bound).
public func buildApplication(_ configuration: ServerConfiguration, services: Services, logger: Logger = Logger(label: "marketplace"),
                             mounts: [any RouteMount] = [], observability: Observability = .standard,
                             onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
    let limits = configuration.connectionLimits
    return Application(
        router: buildRouter(services: services, mode: configuration.mode, rateLimits: configuration.rateLimits,
                            trustedProxies: configuration.trustedProxies, mounts: mounts, observability: observability),
        server: .http1(limits: limits),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "marketplace",
                             availableConnectionsDelegate: MaximumAvailableConnections(limits.connectionsMax, logger: logger)),
        onServerRunning: onServerRunning,
        logger: logger
    )
}

/// The router with every route; exposed for tests of the OpenAPI document.
/// `rateLimitClock` (seconds since 1970) places requests in the limiter's one-minute windows;
/// tests pin it so that a slow run never straddles a window's end. `trustedProxies` may name
/// the client through X-Forwarded-For.
public func buildRouter(services: Services, mode: String, rateLimits: RateLimits = .standard, trustedProxies: TrustedProxies = .none,
                        rateLimitClock: @escaping @Sendable () -> Int64 = RateLimits.wallClock, mounts: [any RouteMount] = [],
                        observability: Observability = .standard) -> Router<APIContext> {
    let router = Router(context: APIContext.self)
    // Outermost, so that its span ends with the answer as sent: the status the request log gave
    // an error, and the `Request-Id` (recorded from the request, when given, and the answer).
    // No other header is recorded; a query's email (the login-name check) is redacted.
    if observability.tracing {
        router.add(middleware: TracingMiddleware(recordingHeaders: [RequestLogMiddleware.header], redactingQueryParameters: ["email"]))
    }
    if let level = observability.requestLogLevel { router.add(middleware: RequestLogMiddleware(level: level)) }
    // Counts and times every request by route and status into swift-metrics (the registry's backend).
    if observability.registry != nil { router.add(middleware: MetricsMiddleware()) }
    let routes = RouteTable()
    let shapes = mounts.compactMap(\.refusalShape)
    if !shapes.isEmpty { router.add(middleware: RefusalShapeMiddleware(shapes: shapes)) }
    router.add(middleware: ErrorMiddleware(routes: routes))
    router.add(middleware: ClientAddressMiddleware(trusted: trustedProxies))
    router.add(middleware: AuthMiddleware(auth: services.auth))
    router.add(middleware: RateLimitMiddleware(limits: rateLimits, now: rateLimitClock))
    router.add(middleware: LocationMiddleware())
    router.add(middleware: IdempotencyMiddleware(store: services.idempotency, routes: routes))
    router.add(middleware: DomainErrorMiddleware())
    router.get("healthz") { _, _ in Envelope(Health(status: "ok", mode: mode)) }
    router.get("openapi.json") { _, _ in OpenAPIDocument.response(mounts: mounts) }
    ObservabilityController(services: services, observability: observability).addRoutes(to: router)
    LedgerController(ledger: services.ledger).addRoutes(to: router.group("v1/ledger").add(middleware: ScopeMiddleware(scope: .financeRead)))
    FinanceController(finance: FinanceService(settlement: services.settlement))
        .addRoutes(to: router.group("v1/finance").add(middleware: ScopeMiddleware(scope: .financeRead)))
    AuthController(auth: services.auth, defaultMode: Mode(rawValue: mode) ?? .test).addRoutes(to: router.group("v1/auth"))
    AgentsController(auth: services.auth).addRoutes(to: router.group("v1/agents"))
    KeysController(keys: services.keys).addRoutes(to: router.group("v1/keys"))
    let tasksController = TasksController(tasks: services.tasks, settlement: services.settlement, work: services.work, mode: Mode(rawValue: mode) ?? .test)
    tasksController.addRoutes(to: router.group("v1/tasks"))
    router.group("v1/payments").get(use: tasksController.allPayments)
    WorkController(work: services.work, settlement: services.settlement).addRoutes(to: router.group("v1/tasks"))
    MilestonesController(tasks: services.tasks, settlement: services.settlement, work: services.work).addRoutes(to: router.group("v1/tasks"))
    WalletController(settlement: services.settlement).addRoutes(to: router.group("v1/wallet"))
    router.get("v1/categories") { _, _ in Envelope(CategoryGroup.all) }
    ServicesController(catalog: services.catalog, mode: Mode(rawValue: mode) ?? .test).addRoutes(to: router.group("v1/services"))
    OrdersController(catalog: services.catalog).addRoutes(to: router.group("v1/orders"))
    FundingApprovalsController(settlement: services.settlement, work: services.work).addRoutes(to: router.group("v1/funding-approvals"))
    PlatformController(settlement: services.settlement, mode: mode, rateLimits: rateLimits).addRoutes(to: router)
    MessagesController(messages: services.messages).addRoutes(to: router)
    PeopleController(profiles: services.profiles, work: services.work).addRoutes(to: router)
    ReferralsController(auth: services.auth).addRoutes(to: router)
    AdminController(settlement: services.settlement, profiles: services.profiles).addRoutes(to: router.group("v1/admin"))
    ConnectorWebhookController(settlement: services.settlement).addRoutes(to: router.group("v1/connectors"))
    PayoutAccountController(settlement: services.settlement).addRoutes(to: router)
    ChainFundingController(settlement: services.settlement).addRoutes(to: router)
    for mount in mounts { mount.addRoutes(to: router) }
    WebhooksController(webhooks: services.webhooks).addRoutes(to: router.group("v1/webhooks"))
    routes.record(router.routes)
    return router
}

struct Health: Codable, Sendable {
    let status: String
    let mode: String
}
