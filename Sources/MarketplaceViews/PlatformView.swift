import Connectors
import LedgerCore
public import Marketplace

/// What the platform tells a client about the server it reaches: mode, currencies, connectors,
/// limits, pricing version, and where USDC is paid on chain.
public struct PlatformView: Encodable, Sendable {
    public struct ChainView: Encodable, Sendable {
        public let network: String
        public let chainId: UInt64
        public let asset: String
        public let payTo: String
        /// The mode whose keys this chain serves.
        public let mode: String
    }

    /// The release (`marketplace --version`).
    public let version: String
    public let mode: String
    public let currencies: [String]
    public let connectors: [String]
    public let deliveryTypes: [String]
    public let rateLimitsPerMinute: [String: Int]
    public let idempotencyKeyHours: Int64
    public let apiKeysActiveMax: Int
    public let anonymousUnfundedTasksPerAddressMax: Int
    public let pricingVersion: String
    /// Where USDC is paid on chain (deposits and x402 authorizations), when configured.
    public let usdc: ChainView?

    /// `rateLimitsPerMinute` by class of endpoint; empty where no HTTP limits apply (stdio).
    public init(mode: String, rateLimitsPerMinute: [String: Int], settlement: SettlementService) {
        let chain = settlement.chain
        version = ReleaseVersion.current
        self.mode = mode
        currencies = SettlementService.walletAssets.map(\.code)
        connectors = (mode == Mode.test.rawValue ? ["test"] : []) + [settlement.card?.connector.name, chain?.chain.name].compactMap { $0 }
        deliveryTypes = DeliveryType.allCases.map(\.rawValue)
        self.rateLimitsPerMinute = rateLimitsPerMinute
        idempotencyKeyHours = IdempotencyStore.retentionSeconds / 3_600
        apiKeysActiveMax = APIKey.activeKeysMax
        anonymousUnfundedTasksPerAddressMax = AnonymousTask.unfundedPerAddressMax
        pricingVersion = settlement.pricing.version
        usdc = chain.map { ChainView(network: $0.chain.network, chainId: $0.chain.chainID, asset: $0.chain.asset, payTo: $0.chain.hotWallet,
                                     mode: $0.mode.rawValue) }
    }
}

/// The fee rule in force, as a client reads it.
public struct PricingView: Encodable, Sendable {
    public let version: String
    public let basisPoints: Int64
    public let percent: String
    public let fixed: [MoneyView]
    public let defaultFeePaidBy: String
    public let feePaidBy: [String]
    public let rounding: String
    public let appliesTo: String

    public init(_ rule: Pricing) {
        version = rule.version
        basisPoints = rule.policy.basisPoints
        percent = MinorUnits.format(rule.policy.basisPoints, scale: 2)
        fixed = SettlementService.walletAssets.map { MoneyView(minor: rule.policy.fixedMinor, asset: $0) }
        defaultFeePaidBy = FeePayer.agent.rawValue
        feePaidBy = FeePayer.allCases.map(\.rawValue)
        rounding = "fee = round_half_up(budget × basis_points / 10000) + fixed, in the task's minor units; from the payout it is capped at the budget"
        appliesTo = "tasks funded after the version took effect; each funding and fee transfer records its version"
    }
}
