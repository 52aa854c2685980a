import ArgumentParser
import BaseConnector
import Connectors
import Foundation
import LedgerCore
import MarketplaceHTTP
import Logging
import Marketplace
import StripeConnector

/// The settings of `marketplace serve`, from its environment.
extension Serve {
    /// The access-token signing secret from MARKETPLACE_JWT_SECRET, or a random one for this
    /// process (sessions then end with it). The secret itself is never logged.
    /// A secret that is set but too short stops the start.
    static func signingSecret(logger: Logger) throws(SettingError) -> [UInt8] {
        guard let secret = ProcessInfo.processInfo.environment["MARKETPLACE_JWT_SECRET"] else {
            logger.warning("MARKETPLACE_JWT_SECRET is unset; using a random signing secret for this process")
            return TokenIssuer.randomSecret()
        }
        guard secret.utf8.count >= TokenIssuer.secretBytesMin else {
            throw SettingError("MARKETPLACE_JWT_SECRET", "must be at least \(TokenIssuer.secretBytesMin) bytes, not \(secret.utf8.count)")
        }
        return Array(secret.utf8)
    }

    /// The fee rule: MARKETPLACE_FEE_BASIS_POINTS, MARKETPLACE_FEE_FIXED_MINOR and
    /// MARKETPLACE_PRICING_VERSION (all three, or none for the standard rule). A change applies
    /// to tasks funded after it; each funding records the version it was made under.
    static func pricing() throws(SettingError) -> Pricing {
        let environment = ProcessInfo.processInfo.environment
        if let name = environment["MARKETPLACE_PRICING"] {
            // A named rule is the whole rule: a fee set beside it would be silently ignored.
            for other in ["MARKETPLACE_PRICING_VERSION", "MARKETPLACE_FEE_BASIS_POINTS", "MARKETPLACE_FEE_FIXED_MINOR"] where environment[other] != nil {
                throw SettingError(other, "is set with MARKETPLACE_PRICING (choose a named rule or a fee of your own, not both)")
            }
            guard let rule = Pricing.named[name] else {
                throw SettingError("MARKETPLACE_PRICING", "must be one of \(Pricing.named.keys.sorted().joined(separator: ", ")), not \(name)")
            }
            return rule
        }
        guard let version = environment["MARKETPLACE_PRICING_VERSION"] else {
            // A fee without a version would be silently ignored: refuse it instead.
            for name in ["MARKETPLACE_FEE_BASIS_POINTS", "MARKETPLACE_FEE_FIXED_MINOR"] where environment[name] != nil {
                throw SettingError(name, "is set but MARKETPLACE_PRICING_VERSION is not (set the version with the fee, or neither)")
            }
            return .standard
        }
        guard !version.isEmpty else { throw SettingError("MARKETPLACE_PRICING_VERSION", "must not be empty") }
        guard let basisPoints = Int64(environment["MARKETPLACE_FEE_BASIS_POINTS"] ?? "") else {
            throw SettingError("MARKETPLACE_FEE_BASIS_POINTS", "must be a whole number from 0 to 10000 when MARKETPLACE_PRICING_VERSION is set")
        }
        guard let fixedMinor = Int64(environment["MARKETPLACE_FEE_FIXED_MINOR"] ?? "0") else {
            throw SettingError("MARKETPLACE_FEE_FIXED_MINOR", "must be a whole number of minor units")
        }
        do { return Pricing(version: version, policy: try FeePolicy(basisPoints: basisPoints, fixedMinor: fixedMinor, payer: .agentOnTop)) } catch {
            guard case .invalid(let field, let value, let reason) = error else { throw SettingError("MARKETPLACE_FEE_BASIS_POINTS", "\(error)") }
            throw SettingError(field == "fixed_minor" ? "MARKETPLACE_FEE_FIXED_MINOR" : "MARKETPLACE_FEE_BASIS_POINTS", "\(reason), not \(value)")
        }
    }

    /// The risk gate's deny list: MARKETPLACE_RISK_DENY (comma-separated terms) or the standard list.
    static func riskGate() -> RiskGate {
        guard let terms = ProcessInfo.processInfo.environment["MARKETPLACE_RISK_DENY"] else { return .standard }
        return RiskGate(deniedTerms: terms.split(separator: ",").map(String.init))
    }

    /// Card payments through Stripe when STRIPE_SECRET_KEY is set: STRIPE_WEBHOOK_SECRET (one
    /// endpoint secret, or several comma-separated while rotating) is then required;
    /// STRIPE_API_BASE points at another Stripe (a fake in tests); MARKETPLACE_CHECKOUT_SUCCESS_URL
    /// and MARKETPLACE_CHECKOUT_CANCEL_URL are where checkout pages send the payer back. Without
    /// it, card funding is off and the test-mode connector settles at once. Keys are never logged.
    static func cardPayments(host: String, port: Int, logger: Logger) throws(SettingError) -> CardPayments? {
        let environment = ProcessInfo.processInfo.environment
        guard let secretKey = environment["STRIPE_SECRET_KEY"], !secretKey.isEmpty else { return nil }
        let secrets = (environment["STRIPE_WEBHOOK_SECRET"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !secrets.isEmpty else { throw SettingError("STRIPE_WEBHOOK_SECRET", "is required with STRIPE_SECRET_KEY (one endpoint secret, or several comma-separated while rotating)") }
        let base = environment["STRIPE_API_BASE"] ?? "https://api.stripe.com"
        let connector = StripeConnector(secretKey: secretKey, webhookSecrets: secrets, baseURL: base, logger: logger)
        let site = "http://\(host):\(port)"
        logger.info("card payments through Stripe", metadata: ["api": "\(base)", "webhook_secrets": "\(secrets.count)"])
        return CardPayments(connector: connector, successURL: environment["MARKETPLACE_CHECKOUT_SUCCESS_URL"] ?? "\(site)/checkout/success",
                            cancelURL: environment["MARKETPLACE_CHECKOUT_CANCEL_URL"] ?? "\(site)/checkout/cancel",
                            crashPoint: try crashPoint())
    }

    /// USDC on Base when BASE_RPC_URL is set: BASE_NETWORK (base-sepolia, the default, serves
    /// test-mode keys; base serves live ones), the hot wallet key (BASE_KEY_FILE with
    /// BASE_KEY_ENCRYPTION_KEY, or BASE_PRIVATE_KEY), BASE_FAST_PATH_MAX (USDC, e.g. "5.00";
    /// unset: every transaction and deposit waits for the safe head), BASE_FAST_PATH_SECONDS,
    /// BASE_REPLACE_AFTER_SECONDS, BASE_DEPOSITS_FROM_BLOCK and BASE_LOGS_BLOCK_RANGE. Without it, USDC moves through
    /// the test-mode connector. The key is never logged.
    static func chainPayments(logger: Logger) throws(SettingError) -> ChainPayments? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["BASE_RPC_URL"], !url.isEmpty else { return nil }
        let name = environment["BASE_NETWORK"] ?? "base-sepolia"
        guard let network = BaseNetwork.named(name) else { throw SettingError("BASE_NETWORK", "must be base or base-sepolia, not \(name)") }
        let key: HotWalletKey
        do { key = try HotWalletKey.load(environment: environment) } catch { throw SettingError("BASE_KEY_FILE", "the Base hot wallet key: \(error)") }
        var policy = ConfirmationPolicy()
        if let fast = environment["BASE_FAST_PATH_MAX"] {
            do { policy.fastPathMaxMinor = try MinorUnits.parse(fast, scale: Asset.usdc.scale) } catch {
                throw SettingError("BASE_FAST_PATH_MAX", "must be a USDC amount with at most 6 decimals: \(error)")
            }
        }
        if let seconds = environment["BASE_FAST_PATH_SECONDS"] {
            guard let value = Int64(seconds), value >= 0 else { throw SettingError("BASE_FAST_PATH_SECONDS", "must be whole seconds") }
            policy.fastPathSeconds = value
        }
        var chain = ChainPayments(chain: BaseChain(network: network, rpc: EthereumRPC(url: url, logger: logger), key: key,
                                                   logsBlockRange: try logsBlockRange()),
                                  mode: network == .base ? .live : .test, policy: policy,
                                  depositStartBlock: try depositsFromBlock(), crashPoint: try crashPoint())
        if let seconds = environment["BASE_REPLACE_AFTER_SECONDS"] {
            guard let value = Int64(seconds), value > 0 else { throw SettingError("BASE_REPLACE_AFTER_SECONDS", "must be whole seconds above 0") }
            chain.replaceAfterSeconds = value
        }
        logger.info("USDC on Base", metadata: ["network": "\(network.name)", "hot_wallet": "\(key.address.checksummed)",
                                               "fast_path_max_minor": "\(policy.fastPathMaxMinor)"])
        return chain
    }

    /// How often the chain is read: sends, receipts, replacements, deposits (env BASE_POLL_SECONDS).
    static func chainPollSeconds() throws(SettingError) -> Double {
        guard let text = ProcessInfo.processInfo.environment["BASE_POLL_SECONDS"] else { return chainPollSecondsStandard }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else { throw SettingError("BASE_POLL_SECONDS", "must be seconds above 0, not \(text)") }
        return seconds
    }

    /// How often the chain is read when BASE_POLL_SECONDS is unset.
    static let chainPollSecondsStandard = 2.0

    /// The block the deposit watcher starts at on a new database (BASE_DEPOSITS_FROM_BLOCK).
    static func depositsFromBlock() throws(SettingError) -> UInt64? {
        guard let text = ProcessInfo.processInfo.environment["BASE_DEPOSITS_FROM_BLOCK"] else { return nil }
        guard let block = UInt64(text) else { throw SettingError("BASE_DEPOSITS_FROM_BLOCK", "must be a block number, not \(text)") }
        return block
    }

    /// Blocks per eth_getLogs call (BASE_LOGS_BLOCK_RANGE, default 2000): within what providers answer.
    static func logsBlockRange() throws(SettingError) -> UInt64 {
        guard let text = ProcessInfo.processInfo.environment["BASE_LOGS_BLOCK_RANGE"] else { return BaseChain.logsBlockRangeStandard }
        guard let blocks = UInt64(text), (1...logsBlockRangeMax).contains(blocks) else {
            throw SettingError("BASE_LOGS_BLOCK_RANGE", "must be a whole number of blocks from 1 to \(logsBlockRangeMax), not \(text)")
        }
        return blocks
    }

    /// The widest log page a setting may ask for.
    static let logsBlockRangeMax: UInt64 = 100_000

    /// The per-minute request limits: MARKETPLACE_RATE_LIMITS=standard (the default) or off, which
    /// lifts them for a contract or load run; off is refused in live mode.
    static func rateLimits(mode: String) throws(SettingError) -> RateLimits {
        switch ProcessInfo.processInfo.environment["MARKETPLACE_RATE_LIMITS"] ?? "standard" {
        case "standard": return .standard
        case "off":
            guard mode == "test" else { throw SettingError("MARKETPLACE_RATE_LIMITS", "off is for test mode only") }
            return .unlimited
        case let other: throw SettingError("MARKETPLACE_RATE_LIMITS", "must be standard or off, not \(other)")
        }
    }

    /// The crash hook of the crash tests (MARKETPLACE_CRASH_POINT).
    static func crashPoint() throws(SettingError) -> CardPayments.CrashPoint? {
        guard let text = ProcessInfo.processInfo.environment["MARKETPLACE_CRASH_POINT"] else { return nil }
        guard let point = CardPayments.CrashPoint(rawValue: text) else {
            throw SettingError("MARKETPLACE_CRASH_POINT", "must be after-intent or after-connector-call, not \(text)")
        }
        return point
    }

    /// The key that seals webhook signing secrets at rest: MARKETPLACE_SECRETS_KEY (64 hex
    /// digits), else a random one kept beside the database in `<db>.secrets-key` (mode 0600),
    /// made on first start, so a local server keeps its webhooks across restarts. Never logged.
    static func secretsKey(database: String) throws(SettingError) -> [UInt8] {
        if let key = try secretsKeySetting() { return key }
        let path = database + ".secrets-key"
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let key = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)),
           key.count == 32 {
            return key
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        guard FileManager.default.createFile(atPath: path, contents: Data(Hex.encode(key, prefix: false).utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SettingError("MARKETPLACE_SECRETS_KEY", "unset, and cannot write \(path) to keep a generated one")
        }
        return key
    }

    /// MARKETPLACE_SECRETS_KEY's 32 bytes; nil when unset.
    static func secretsKeySetting() throws(SettingError) -> [UInt8]? {
        guard let text = ProcessInfo.processInfo.environment["MARKETPLACE_SECRETS_KEY"] else { return nil }
        guard let key = Hex.decode(text), key.count == 32 else { throw SettingError("MARKETPLACE_SECRETS_KEY", "must be 64 hex digits") }
        return key
    }

    /// Webhook delivery: MARKETPLACE_WEBHOOKS_ALLOW_PRIVATE=1 lets endpoints on loopback and
    /// private networks (local rehearsal); MARKETPLACE_WEBHOOK_ATTEMPTS (default 8) and
    /// MARKETPLACE_WEBHOOK_RETRY_SECONDS (the first wait, default 5, doubling).
    static func webhookPolicy() throws(SettingError) -> WebhookService.Policy {
        let environment = ProcessInfo.processInfo.environment
        let allowPrivate = environment["MARKETPLACE_WEBHOOKS_ALLOW_PRIVATE"] ?? "0"
        guard allowPrivate == "0" || allowPrivate == "1" else { throw SettingError("MARKETPLACE_WEBHOOKS_ALLOW_PRIVATE", "must be 0 or 1, not \(allowPrivate)") }
        var policy = WebhookService.Policy(allowPrivateTargets: allowPrivate == "1")
        if let text = environment["MARKETPLACE_WEBHOOK_ATTEMPTS"] {
            guard let value = Int(text), value > 0 else { throw SettingError("MARKETPLACE_WEBHOOK_ATTEMPTS", "must be a whole number above 0") }
            policy.attemptsMax = value
        }
        if let text = environment["MARKETPLACE_WEBHOOK_RETRY_SECONDS"] {
            guard let value = Int64(text), value > 0 else { throw SettingError("MARKETPLACE_WEBHOOK_RETRY_SECONDS", "must be whole seconds above 0") }
            policy.firstRetrySeconds = value
        }
        return policy
    }
}
