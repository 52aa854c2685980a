// swift-tools-version:6.1
import PackageDescription

/// Upcoming features from STYLE.md: `public import` shows exactly what leaks into a module's API.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "marketplace",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "marketplace", targets: ["marketplace"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", exact: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", exact: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Hummingbird's own lifecycle package, named here for the fakes' graceful shutdown.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        // /metrics: swift-metrics' API (Hummingbird's MetricsMiddleware records through it) in Prometheus' text format.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        // Tracing (on when OTEL_EXPORTER_OTLP_ENDPOINT is set): swift-distributed-tracing's API, which
        // Hummingbird's TracingMiddleware records through, and swift-otel's OTLP/HTTP exporter
        // only: its gRPC trait stays off, so grpc-swift is resolved but never built.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", exact: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        .target(
            name: "LedgerCore",
            dependencies: [
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // A span around each durable commit, in the caller's trace (a no-op without a tracer).
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            resources: [
                // One entry per migration, in order; the `v` prefix keeps the generated names valid.
                .embedInCode("../../Ledger/migrations/v0001_ledger.sql"),
                .embedInCode("../../Ledger/migrations/v0002_periods.sql"),
                .embedInCode("../../Ledger/chart-of-accounts.json"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Connectors",
            swiftSettings: strictSettings
        ),
        .target(
            name: "StripeConnector",
            dependencies: [
                "Connectors",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BaseConnector",
            dependencies: [
                "Connectors",
                "CSecp256k1",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // Test support: a Base node that speaks Ethereum JSON-RPC over loopback HTTP.
        .target(
            name: "BaseFake",
            dependencies: [
                "BaseConnector",
                "LoopbackServer",
                "Connectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        // Test support: the loopback HTTP server the fakes of outside services sit behind.
        .target(
            name: "LoopbackServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Test support: a Stripe that speaks the real wire format over loopback HTTP.
        .target(
            name: "StripeFake",
            dependencies: [
                "StripeConnector",
                "LoopbackServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Marketplace",
            dependencies: [
                "LedgerCore",
                "Connectors",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Schema/m0001_accounts.sql"),
                .embedInCode("Schema/m0002_tasks.sql"),
                .embedInCode("Schema/m0003_money.sql"),
                .embedInCode("Schema/m0004_work.sql"),
                .embedInCode("Schema/m0005_deadlines.sql"),
                .embedInCode("Schema/m0006_people.sql"),
                .embedInCode("Schema/m0007_requests.sql"),
                .embedInCode("Schema/m0008_spending.sql"),
                .embedInCode("Schema/m0009_messages.sql"),
                .embedInCode("Schema/m0010_withdrawals.sql"),
                .embedInCode("Schema/m0011_proof_scores.sql"),
                .embedInCode("Schema/m0012_connectors.sql"),
                .embedInCode("Schema/m0013_payout_accounts.sql"),
                .embedInCode("Schema/m0014_chain.sql"),
                .embedInCode("Schema/m0015_webhooks.sql"),
                .embedInCode("Schema/m0016_finance.sql"),
                .embedInCode("Schema/m0017_call_failures.sql"),
                .embedInCode("Schema/m0018_hidden_tasks.sql"),
                .embedInCode("Schema/m0019_referrals.sql"),
                .embedInCode("Schema/m0020_services.sql"),
                .embedInCode("Schema/m0021_milestones.sql"),
                .embedInCode("Schema/m0022_webhook_formats.sql"),
                .embedInCode("Schema/m0023_order_numbers.sql"),
            ],
            swiftSettings: strictSettings
        ),
        // MCP tools over the Marketplace services, for stdio (`marketplace mcp`) and streamable HTTP (/v1/mcp).
        .target(
            name: "MarketplaceMCP",
            dependencies: [
                "Marketplace",
                "MarketplaceViews",
                "LedgerCore",
                "Connectors",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // What the API answers (tasks, work, money, wallets), shared by REST and MCP.
        .target(
            name: "MarketplaceViews",
            dependencies: ["Marketplace", "LedgerCore", "Connectors", .product(name: "Mustache", package: "swift-mustache"),
                           .product(name: "Crypto", package: "swift-crypto")],
            resources: [
                .embedInCode("Templates/finance-report.mustache"),
                .embedInCode("Templates/finance-table.mustache"),
            ],
            swiftSettings: strictSettings
        ),
        // The shipped server's composition: the REST API with MCP mounted at /v1/mcp, so
        // neither interface module imports the other.
        .target(
            name: "MarketplaceServer",
            dependencies: [
                "MarketplaceHTTP",
                "MarketplaceMCP",
                "MarketplaceViews",
                "Marketplace",
                "LedgerCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MarketplaceHTTP",
            dependencies: [
                "LedgerCore",
                "MarketplaceViews",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "Marketplace",
                "Connectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The HTTP/1 child channel, wrapped to add the connection timeouts (same package).
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "marketplace",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "LedgerCore",
                "Marketplace",
                "MarketplaceHTTP",
                "MarketplaceServer",
                "MarketplaceMCP",
                "MarketplaceViews",
                "StripeConnector",
                "BaseConnector",
                "Connectors",
                "CSQLite",
                "CSecp256k1",
                // `marketplace simulate`: the fakes are its mock connectors, over loopback like the API it drives.
                "StripeFake",
                "BaseFake",
                "LoopbackServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // `bench api`'s load generator: plain HTTP/1.1 over a NIO channel.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // The loopback client of `bench api` (no extra package: part of hummingbird).
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LedgerCoreTests",
            dependencies: [
                "LedgerCore",
                "CSecp256k1",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarketplaceTests",
            dependencies: ["Marketplace", "LedgerCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarketplaceHTTPTests",
            dependencies: [
                "MarketplaceHTTP",
                "MarketplaceServer",
                "Marketplace",
                "LedgerCore",
                "Connectors",
                "StripeConnector",
                "StripeFake",
                "BaseConnector",
                "BaseFake",
                "LoopbackServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // Request bodies (ByteBuffer), and bare TCP connections: requests the HTTP parser
                // refuses, the connection timeout and cap tests.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // OpenHoldsGaugeTests' /metrics registry.
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.embedInCode("../../Fixtures/x402/payments.json"), .embedInCode("../../Fixtures/dialects/humanops/humanops-requests.json"),
                        .embedInCode("../../Fixtures/dialects/gohirehumans/gohirehumans-requests.json"),
                        .embedInCode("../../Fixtures/dialects/humans2ai/humans2ai-requests.json"),
                        .embedInCode("../../Fixtures/dialects/requesthuman/requesthuman-requests.json")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarketplaceMCPTests",
            dependencies: [
                "MarketplaceMCP",
                "MarketplaceServer",
                "MarketplaceViews",
                "MarketplaceHTTP",
                "Marketplace",
                "LedgerCore",
                "Connectors",
                "StripeConnector",
                "StripeFake",
                "BaseConnector",
                "BaseFake",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.embedInCode("../../Fixtures/x402/payments.json")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BaseConnectorTests",
            dependencies: ["BaseConnector", "BaseFake", "Connectors", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
            resources: [.embedInCode("../../Fixtures/ethereum/vectors.json")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StripeConnectorTests",
            dependencies: ["StripeConnector", "StripeFake", "Connectors", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            resources: [.embedInCode("../../Fixtures/stripe/webhooks.json")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "marketplaceTests",
            dependencies: [
                "marketplace", "LedgerCore", "StripeFake", "BaseFake", "BaseConnector", "Marketplace", .product(name: "GRDB", package: "GRDB.swift"),
                // TracingTests' fake OTLP collector.
                "LoopbackServer", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
