import AsyncHTTPClient
import BaseConnector
import Foundation
import Logging
import Marketplace
import MarketplaceHTTP
import NIOCore

/// What `marketplace serve` checks before it opens the database: every setting, and that the
/// Base node answers for the right chain. Each failure is one line naming its setting.
extension Serve {
    /// Where the port comes from when neither --port nor PORT is given.
    static let portStandard = 8080
    /// Ports a socket can bind; 0 lets the system pick a free one (the banner says which).
    static let portRange = 0...65_535
    /// The start-up check of BASE_RPC_URL: how long to wait for a connection to the node...
    static let chainCheckConnectSeconds: Int64 = 3
    /// ...and for its answer to eth_chainId, in all.
    static let chainCheckSeconds: Int64 = 5

    /// Settings whose feature is off unless another setting is set: set alone, they would be
    /// silently ignored, so they stop the start instead.
    static let dependentSettings: [(setting: String, needs: String)] = [
        ("STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY"), ("STRIPE_API_BASE", "STRIPE_SECRET_KEY"),
        ("MARKETPLACE_CHECKOUT_SUCCESS_URL", "STRIPE_SECRET_KEY"), ("MARKETPLACE_CHECKOUT_CANCEL_URL", "STRIPE_SECRET_KEY"),
        ("BASE_NETWORK", "BASE_RPC_URL"), ("BASE_KEY_FILE", "BASE_RPC_URL"), ("BASE_KEY_ENCRYPTION_KEY", "BASE_RPC_URL"),
        ("BASE_PRIVATE_KEY", "BASE_RPC_URL"), ("BASE_FAST_PATH_MAX", "BASE_RPC_URL"), ("BASE_FAST_PATH_SECONDS", "BASE_RPC_URL"),
        ("BASE_REPLACE_AFTER_SECONDS", "BASE_RPC_URL"), ("BASE_DEPOSITS_FROM_BLOCK", "BASE_RPC_URL"), ("BASE_LOGS_BLOCK_RANGE", "BASE_RPC_URL"),
        ("BASE_POLL_SECONDS", "BASE_RPC_URL"),
    ]

    /// The port to listen on and the setting it came from: --port, else PORT, else 8080.
    func listenPort() throws(SettingError) -> (port: Int, setting: String) {
        if let port {
            guard Self.portRange.contains(port) else { throw SettingError("--port", "must be from 0 to 65535, not \(port)") }
            return (port, "--port")
        }
        guard let text = ProcessInfo.processInfo.environment["PORT"] else { return (Self.portStandard, "--port") }
        guard let port = Int(text), Self.portRange.contains(port) else { throw SettingError("PORT", "must be a whole number from 0 to 65535, not \(text)") }
        return (port, "PORT")
    }

    /// Every setting that can be checked without the network or the database.
    func validateSettings() throws(SettingError) {
        guard mode == "test" || mode == "live" else { throw SettingError("--mode", "must be test or live, not \(mode)") }
        guard !host.isEmpty else { throw SettingError("--host", "must not be empty") }
        _ = try listenPort()
        let environment = ProcessInfo.processInfo.environment
        for (setting, needs) in Self.dependentSettings where environment[setting] != nil && (environment[needs] ?? "").isEmpty {
            throw SettingError(setting, "is set but \(needs) is not, so it would be ignored")
        }
        if let secret = environment["MARKETPLACE_JWT_SECRET"], secret.utf8.count < TokenIssuer.secretBytesMin {
            throw SettingError("MARKETPLACE_JWT_SECRET", "must be at least \(TokenIssuer.secretBytesMin) bytes, not \(secret.utf8.count)")
        }
        _ = try Self.pricing()
        _ = try Self.webhookPolicy()
        _ = try Self.secretsKeySetting()
        _ = try Self.trustedProxies()
        _ = try verifierConfiguration()
        _ = try Self.crashPoint()
        _ = try Self.rateLimits(mode: mode)
        _ = try Self.logLevel()
        _ = try Self.logFormat()
        _ = try Self.metricsSetting()
        _ = try Self.tracingEndpoint()
        if let url = environment["BASE_RPC_URL"], !url.isEmpty {
            try Self.checkURL(url, "BASE_RPC_URL")
            _ = try Self.chainPollSeconds()
        }
        if let base = environment["STRIPE_API_BASE"] { try Self.checkURL(base, "STRIPE_API_BASE") }
        // The connectors are built here once and dropped (no network, nothing logged), so that
        // their settings (the hot wallet key, the fast path, the webhook secrets) fail now too.
        _ = try Self.cardPayments(host: host, port: Self.portStandard, logger: Self.silent)
        _ = try Self.chainPayments(logger: Self.silent)
    }

    /// A logger that writes nothing, for the connectors built only to check their settings.
    static let silent = Logger(label: "settings-check", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The proxies whose X-Forwarded-For names the client (MARKETPLACE_TRUSTED_PROXIES: IPs
    /// and CIDR ranges, comma-separated); none when unset.
    static func trustedProxies() throws(SettingError) -> TrustedProxies {
        guard let text = ProcessInfo.processInfo.environment["MARKETPLACE_TRUSTED_PROXIES"] else { return .none }
        do { return try TrustedProxies(parsing: text) } catch { throw SettingError("MARKETPLACE_TRUSTED_PROXIES", "\(error)") }
    }

    static func checkURL(_ text: String, _ setting: String) throws(SettingError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw SettingError(setting, "must be an http(s) URL with a host")
        }
    }

    /// The scheme, host and port of a URL and no more: a node's URL often carries an API key
    /// in its path or query, which is never printed.
    static func origin(of text: String) -> String {
        guard let url = URL(string: text), let scheme = url.scheme, let host = url.host else { return "the URL" }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }

    /// Asks the node at BASE_RPC_URL for its chain id with short timeouts and no retries, so
    /// an unreachable or wrong node stops the start within seconds, naming BASE_RPC_URL.
    static func checkChainNode() async throws(SettingError) {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["BASE_RPC_URL"], !url.isEmpty,
              let network = BaseNetwork.named(environment["BASE_NETWORK"] ?? "base-sepolia") else { return }
        let timeout = HTTPClient.Configuration.Timeout(connect: .seconds(chainCheckConnectSeconds), read: .seconds(chainCheckSeconds))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: timeout))
        let rpc = EthereumRPC(url: url, http: http, retry: .init(attempts: 1, initialDelay: .zero, maxDelay: .zero),
                              timeout: .seconds(chainCheckSeconds))
        let served: Result<UInt64, RPCError>
        do { served = .success(try await rpc.chainID()) } catch { served = .failure(error) }
        try? await http.shutdown()
        switch served {
        case .failure(let error):
            throw SettingError("BASE_RPC_URL", "\(Self.origin(of: url)) gave no chain id (waiting \(chainCheckConnectSeconds) s to connect, \(chainCheckSeconds) s in all): \(error)")
        case .success(let chainID) where chainID != network.chainID:
            throw SettingError("BASE_RPC_URL", "the node serves chain \(chainID), not \(network.name) (\(network.chainID))")
        case .success:
            return
        }
    }
}
