import ArgumentParser
import Foundation
import Hummingbird
import LedgerCore
import Logging
import Marketplace
import MarketplaceHTTP
import MarketplaceServer
import ServiceLifecycle
import UnixSignals
import Synchronization

/// `marketplace serve`: the HTTP API on the embedded SQLite ledger. The one place that builds
/// live services.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API (test mode by default).", discussion: environmentHelp)

    /// Every environment setting `serve` reads, for `serve --help` (CommandLineTests checks that
    /// each one the sources read is here).
    static let environmentSettings: [(name: String, meaning: String)] = [
        ("MARKETPLACE_DB", "the SQLite file when --db is not given"),
        ("PORT", "the port when --port is not given (default 8080)"),
        ("MARKETPLACE_JWT_SECRET", "access-token signing secret, 32+ bytes (unset: random per process)"),
        ("MARKETPLACE_SECRETS_KEY", "64 hex digits sealing stored secrets (unset: <db>.secrets-key)"),
        ("MARKETPLACE_TRUSTED_PROXIES", "comma-separated proxy addresses/CIDRs whose X-Forwarded-For names the client"),
        ("MARKETPLACE_RISK_DENY", "comma-separated terms the risk gate refuses (unset: a standard list)"),
        ("MARKETPLACE_FEE_BASIS_POINTS", "the platform fee's rate"), ("MARKETPLACE_FEE_FIXED_MINOR", "the fee's fixed part, minor units"),
        ("MARKETPLACE_PRICING_VERSION", "the fee rule's version name"),
        ("MARKETPLACE_PRICING", "a named fee rule: standard (10% on top), humans2ai (0.01% of the payout), humans2ai-example (5%)"),
        ("MARKETPLACE_CHECKOUT_SUCCESS_URL", "where Stripe Checkout returns after paying"),
        ("MARKETPLACE_CHECKOUT_CANCEL_URL", "where Stripe Checkout returns on cancel"),
        ("MARKETPLACE_WEBHOOKS_ALLOW_PRIVATE", "1: webhook endpoints on loopback/private networks (rehearsal)"),
        ("MARKETPLACE_WEBHOOK_ATTEMPTS", "delivery attempts (default 8)"), ("MARKETPLACE_WEBHOOK_RETRY_SECONDS", "first retry wait, doubling (default 5)"),
        ("MARKETPLACE_VERIFIER_URL", "proof verifier endpoint (unset: the rules score)"), ("MARKETPLACE_VERIFIER_SECRET", "its HMAC-SHA256 key"),
        ("MARKETPLACE_VERIFIER_TIMEOUT_SECONDS", "per attempt"), ("MARKETPLACE_VERIFIER_ATTEMPTS", "attempts (default 3)"),
        ("MARKETPLACE_LOG_LEVEL", "trace … critical (default info)"), ("MARKETPLACE_LOG_FORMAT", "text (default) or json lines"),
        ("MARKETPLACE_METRICS", "admin (default: finance:read), public, or off"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "an OTLP/HTTP collector (http://host:4318): a span per request (unset: no tracing)"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf (default) or http/json; swift-otel reads the other OTEL_* settings"),
        ("MARKETPLACE_RATE_LIMITS", "standard (default) or off: no per-minute limits (test mode only, for contract runs)"),
        ("MARKETPLACE_CRASH_POINT", "tests only: SIGKILL the process at a named point"),
        ("STRIPE_SECRET_KEY", "sk_test_/sk_live_ key: card payments on"), ("STRIPE_WEBHOOK_SECRET", "whsec_ secret(s) of the webhook endpoint"),
        ("STRIPE_API_BASE", "another Stripe API base (a fake or emulator)"),
        ("BASE_RPC_URL", "a Base node: USDC on"), ("BASE_NETWORK", "base or base-sepolia"),
        ("BASE_KEY_FILE", "the sealed hot wallet key"), ("BASE_KEY_ENCRYPTION_KEY", "64 hex digits unsealing it"),
        ("BASE_PRIVATE_KEY", "the hot wallet key in the clear (rehearsal only)"), ("BASE_POLL_SECONDS", "how often the chain is read"),
        ("BASE_DEPOSITS_FROM_BLOCK", "where deposit scanning starts"), ("BASE_LOGS_BLOCK_RANGE", "blocks per eth_getLogs"),
        ("BASE_FAST_PATH_MAX", "the largest amount settled before finality"), ("BASE_FAST_PATH_SECONDS", "how long the fast path waits"),
        ("BASE_REPLACE_AFTER_SECONDS", "when a stuck transaction is replaced"),
    ]

    static var environmentHelp: String {
        "Environment settings (README has the details):\n" + environmentSettings.map { "  \($0.name): \($0.meaning)" }.joined(separator: "\n")
    }

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on, 0 for any free one (env PORT; default 8080).") var port: Int?
    @Option(help: "test or live.") var mode: String = "test"
    @Option(help: "An HTTP endpoint that scores submissions' proof (env MARKETPLACE_VERIFIER_URL); the rules score without one.")
    var verifierURL: String?
    @Option(help: "The HMAC-SHA256 key that signs requests to the verifier (env MARKETPLACE_VERIFIER_SECRET, which ps does not show).")
    var verifierSecret: String?

    static func followChain(_ settlement: SettlementService, logger: Logger) async throws {
        // BASE_POLL_SECONDS was checked at start (`validateSettings`).
        let interval = (try? chainPollSeconds()) ?? chainPollSecondsStandard
        while !Task.isCancelled {
            let pass = await settlement.advanceChain()
            if pass != SettlementService.ChainPass() { logger.info("chain pass", metadata: ["pass": "\(pass)"]) }
            try await Task.sleep(for: .seconds(interval))
        }
    }

    static func deliverWebhooks(_ webhooks: WebhookService, logger: Logger) async throws {
        let sender = HTTPWebhookSender()
        while !Task.isCancelled {
            do { try await webhooks.dispatchDue(using: sender) } catch {
                logger.error("webhook dispatch failed; retrying next round", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// How often published tasks past their deadline are expired (and refunded).
    static let expirySweepSeconds = 30

    static func sweepExpiredTasks(_ settlement: SettlementService, idempotency: IdempotencyStore, logger: Logger) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(expirySweepSeconds))
            do {
                // Connector calls without an answer go again (same keys); open checkouts are re-read.
                await settlement.sendPendingCalls()
                _ = await settlement.refreshOpenCalls()
                let expired = try await settlement.expireOverdueTasks()
                if !expired.isEmpty { logger.info("expired overdue tasks", metadata: ["count": "\(expired.count)"]) }
                // Stored answers to Idempotency-Keys older than their 24 hours go too.
                _ = try await idempotency.prune()
            } catch {
                logger.error("sweep failed; retrying next round", metadata: ["error": "\(error)"])
            }
        }
    }

    func run() async throws {
        // Every setting is checked before the database is touched; each failure is one line.
        try validateSettings()
        try await Self.checkChainNode()
        let (port, portSetting) = try listenPort()
        var observability = try Self.bootstrapObservability()
        let tracer = try Self.bootstrapTracing()
        observability.tracing = tracer != nil
        let logger = Logger(label: "marketplace")
        try database.prepareDirectory()
        let ledger = try Ledger(path: database.db, logger: logger)
        defer { ledger.close() }
        // The platform's accounts from Ledger/chart-of-accounts.json; creating them again is a no-op.
        let platform = try await ChartOfAccounts.standard.install(in: ledger)
        logger.info("chart of accounts installed", metadata: ["platform_accounts": "\(platform.count)"])
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        let services = try await makeServices(ledger: ledger, store: store, port: port, logger: logger)
        let configuration = ServerConfiguration(host: host, port: port, mode: mode, rateLimits: try Self.rateLimits(mode: mode),
                                                trustedProxies: try Self.trustedProxies())
        let listening = Mutex(false)
        let mounts = serverMounts(services: services, mode: configuration.mode, rateLimits: configuration.rateLimits)
        let app = buildApplication(configuration, services: services, logger: logger, mounts: mounts,
                                   observability: observability) { [host, mode, database] channel in
            // Only once the socket listens, with the port it got (--port 0 lets the system pick).
            let bound = channel.localAddress?.port ?? port
            listening.withLock { $0 = true }
            print("marketplace serving \(mode) mode on http://\(host):\(bound) (database \(database.db))")
            print("try: curl http://\(host):\(bound)/healthz")
            fflush(nil)  // all streams: stdout is not concurrency-safe to name
        }
        do { try await serve(app, tracer: tracer, services: services, readiness: observability.readiness, logger: logger) } catch where !listening.withLock({ $0 }) {
            throw SettingError(portSetting, "cannot listen on \(host):\(port): \(error)")
        }
    }

    /// The live services over the database, with the connectors the environment configures;
    /// operations recorded before a stop are finished first.
    func makeServices(ledger: Ledger, store: MarketplaceStore, port: Int, logger: Logger) async throws -> Services {
        let tokens = try await TokenIssuer(secret: Self.signingSecret(logger: logger))
        var settings = ServiceSettings(pricing: try Self.pricing(), card: try Self.cardPayments(host: host, port: port, logger: logger),
                                       chain: try Self.chainPayments(logger: logger), riskGate: Self.riskGate(),
                                       webhooks: (try Self.secretsKey(database: database.db), try Self.webhookPolicy()))
        settings.verifier = try proofVerifier(logger: logger)
        let services = Services.assemble(ledger: ledger, store: store, tokens: tokens, settings)
        let settlement = services.settlement
        // A node on another chain stops the start: nothing is signed for the wrong chain.
        try await settlement.startChain()
        let resumed = try await settlement.resumePendingOperations()
        await settlement.sendPendingCalls()
        if resumed > 0 { logger.notice("finished operations recorded before a stop", metadata: ["operations": "\(resumed)"]) }
        return services
    }

    /// The server and the background loops as one ServiceLifecycle group: SIGTERM or SIGINT
    /// shuts it down gracefully (the server drains its connections, each loop ends after its
    /// round), and when the server stops, so does the group. The span exporter (`tracer`) comes
    /// first, so it is shut down last and sends the spans of the drained requests.
    func serve(_ app: some ApplicationProtocol & Service, tracer: (any Service)?, services: Services, readiness: Readiness,
               logger: Logger) async throws {
        let settlement = services.settlement
        let idempotency = services.idempotency
        var loops: [BackgroundLoop] = [BackgroundLoop(name: "sweeper") { try await Self.sweepExpiredTasks(settlement, idempotency: idempotency, logger: logger) }]
        if settlement.chain != nil { loops.append(BackgroundLoop(name: "chain follower") { try await Self.followChain(settlement, logger: logger) }) }
        if let webhooks = services.webhooks {
            loops.append(BackgroundLoop(name: "webhook dispatcher") { try await Self.deliverWebhooks(webhooks, logger: logger) })
        }
        let exporter: [ServiceGroupConfiguration.ServiceConfiguration] = tracer.map { [.init(service: $0)] } ?? []
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: exporter + [.init(service: ShutdownNotice(readiness: readiness), successTerminationBehavior: .ignore), .init(service: app, successTerminationBehavior: .gracefullyShutdownGroup)]
                + loops.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
