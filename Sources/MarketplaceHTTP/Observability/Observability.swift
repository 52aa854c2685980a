public import Hummingbird
import Foundation
import LedgerCore
public import Logging
import Marketplace
public import Prometheus
import Synchronization

/// What the server tells an operator, and the switches for it: Prometheus metrics (a
/// registry that swift-metrics reports into, `/metrics`), the per-request log line's level,
/// tracing, and readiness (`/readyz` is 503 once a shutdown began).
public struct Observability: Sendable {
    /// Where swift-metrics' counters and timers (Hummingbird's MetricsMiddleware) and the
    /// scrape-time gauges land; nil: no metrics, `/metrics` is 404.
    public var registry: PrometheusCollectorRegistry?
    /// `/metrics` answers without credentials (a scraper on a private network); otherwise only
    /// a caller holding finance:read (an admin) reads it.
    public var metricsPublic: Bool
    /// The level of the per-request log line; nil: no request ids and no request lines (only
    /// `bench api --observability off`, the baseline).
    public var requestLogLevel: Logger.Level?
    /// A span per request (Hummingbird's TracingMiddleware) into the tracer bootstrapped for the
    /// process (swift-otel's, when `serve` has OTEL_EXPORTER_OTLP_ENDPOINT); false: no middleware.
    public var tracing: Bool
    public let readiness: Readiness

    public init(registry: PrometheusCollectorRegistry? = nil, metricsPublic: Bool = false, requestLogLevel: Logger.Level? = .info,
                tracing: Bool = false, readiness: Readiness = Readiness()) {
        self.registry = registry
        self.metricsPublic = metricsPublic
        self.requestLogLevel = requestLogLevel
        self.tracing = tracing
        self.readiness = readiness
    }

    /// Request ids and lines on, no metrics: what tests and the benchmark's baseline use.
    public static let standard = Observability()
}

/// Whether the server should be sent traffic: false once a graceful shutdown began.
public final class Readiness: Sendable {
    private let shuttingDown = Atomic(false)

    public init() {}

    public func beginShutdown() { shuttingDown.store(true, ordering: .relaxed) }

    public var isShuttingDown: Bool { shuttingDown.load(ordering: .relaxed) }
}

/// `/readyz` and `/metrics`.
struct ObservabilityController: Sendable {
    let services: Services
    let observability: Observability

    func addRoutes(to router: Router<APIContext>) {
        router.get("readyz", use: ready)
        if observability.registry != nil { router.get("metrics", use: metrics) }
    }

    struct Readiness: Encodable, Sendable {
        let status: String
        let database: Bool
        let writer: Bool
    }

    /// 200 when the database answers a read and the ledger's writer takes jobs; 503 otherwise
    /// and from the moment a shutdown begins.
    @Sendable func ready(_ request: Request, context: APIContext) async throws -> Response {
        let database = (try? services.ledger.head()) != nil
        let writer = services.ledger.isWriterRunning
        let ready = database && writer && !observability.readiness.isShuttingDown
        let body = Envelope(Readiness(status: ready ? "ready" : observability.readiness.isShuttingDown ? "shutting_down" : "unavailable",
                                      database: database, writer: writer))
        var response = try body.response(from: request, context: context)
        response.status = ready ? .ok : .serviceUnavailable
        if !ready { response.headers[.retryAfter] = "5" }
        return response
    }

    /// Prometheus' text format: the request counters and timers, and gauges read now.
    @Sendable func metrics(_ request: Request, context: APIContext) async throws -> Response {
        if !observability.metricsPublic { try context.requirePrincipal().require(.financeRead) }
        guard let registry = observability.registry else { throw APIError.notFound("metrics are off") }
        try ScrapeGauges.update(registry, services: services)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}

/// Gauges read at each scrape: the ledger writer's work and queue, webhook deliveries waiting
/// and given up, connector calls by connector, kind and state, open holds by asset, the latest
/// reconciliation's breaks.
enum ScrapeGauges {
    static func update(_ registry: PrometheusCollectorRegistry, services: Services) throws {
        let ledger = services.ledger
        let commits = ledger.writerCommits
        registry.makeGauge(name: "marketplace_ledger_commits", help: "Durable commits the writer made since the process started.").set(Double(commits.commits))
        registry.makeGauge(name: "marketplace_ledger_jobs_committed", help: "Jobs those commits carried (jobs per commit = this / commits).").set(Double(commits.jobs))
        registry.makeGauge(name: "marketplace_ledger_writer_queue_depth", help: "Jobs waiting for the ledger writer now.").set(Double(ledger.writerQueueDepth))
        let facts = try services.settlement.operationalFacts()
        registry.makeGauge(name: "marketplace_webhook_deliveries", labels: [("state", "pending")], help: "Webhook deliveries by state.")
            .set(Double(facts.webhookDeliveriesPending))
        registry.makeGauge(name: "marketplace_webhook_deliveries", labels: [("state", "failed")], help: "Webhook deliveries by state.")
            .set(Double(facts.webhookDeliveriesFailed))
        for calls in facts.connectorCalls {
            registry.makeGauge(name: "marketplace_connector_calls", labels: [("connector", calls.connector), ("kind", calls.kind), ("state", calls.state)],
                               help: "Connector calls by connector, kind and state.").set(Double(calls.count))
        }
        // Every asset, none open included: a gauge keeps its last value until set again.
        for asset in Asset.all.map(\.code) + facts.openHolds.map(\.asset).filter({ code in !Asset.all.contains { $0.code == code } }) {
            let holds = facts.openHolds.first { $0.asset == asset }
            registry.makeGauge(name: "marketplace_open_holds", labels: [("asset", asset)], help: "Open (pending) holds in the ledger, by asset.")
                .set(Double(holds?.count ?? 0))
            // Exact as a Double below 2^53 minor units; a reading, never summed back into money.
            registry.makeGauge(name: "marketplace_open_holds_amount_minor", labels: [("asset", asset)],
                               help: "Minor units the open holds hold, by asset.").set(Double(holds?.amountMinor ?? 0))
        }
        registry.makeGauge(name: "marketplace_reconciliation_breaks", help: "Breaks the latest reconciliation found (-1 before the first).")
            .set(Double(facts.reconciliationBreaks ?? -1))
    }
}
