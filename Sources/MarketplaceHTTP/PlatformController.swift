import Connectors
import Hummingbird
import LedgerCore
import Marketplace

/// What the platform charges and how it behaves: public, no credentials needed.
struct PlatformController: Sendable {
    let settlement: SettlementService
    let mode: String
    let rateLimits: RateLimits

    func addRoutes(to router: Router<APIContext>) {
        router.get("v1/pricing", use: pricing)
        router.get("v1/platform", use: platform)
    }

    struct PricingView: Encodable, Sendable {
        let version: String
        let basisPoints: Int64
        let percent: String
        let fixed: [MoneyView]
        let defaultFeePaidBy: String
        let feePaidBy: [String]
        let rounding: String
        let appliesTo: String
    }

    @Sendable func pricing(_ request: Request, context: APIContext) async throws -> Envelope<PricingView> {
        let rule = settlement.pricing
        return Envelope(PricingView(
            version: rule.version, basisPoints: rule.policy.basisPoints,
            percent: MinorUnits.format(rule.policy.basisPoints, scale: 2),
            fixed: SettlementService.walletAssets.map { MoneyView(minor: rule.policy.fixedMinor, asset: $0) },
            defaultFeePaidBy: FeePayer.agent.rawValue, feePaidBy: FeePayer.allCases.map(\.rawValue),
            rounding: "fee = round_half_up(budget × basis_points / 10000) + fixed, in the task's minor units; from the payout it is capped at the budget",
            appliesTo: "tasks funded after the version took effect; each funding and fee transfer records its version"))
    }

    struct PlatformView: Encodable, Sendable {
        let mode: String
        let currencies: [String]
        let connectors: [String]
        let deliveryTypes: [String]
        let rateLimitsPerMinute: [String: Int]
        let idempotencyKeyHours: Int64
        let apiKeysActiveMax: Int
        let anonymousUnfundedTasksPerAddressMax: Int
        let pricingVersion: String
        /// Where USDC is paid on chain (deposits and x402 authorizations), when configured.
        let usdc: ChainView?
    }

    struct ChainView: Encodable, Sendable {
        let network: String
        let chainId: UInt64
        let asset: String
        let payTo: String
        /// The mode whose keys this chain serves.
        let mode: String
    }

    @Sendable func platform(_ request: Request, context: APIContext) async throws -> Envelope<PlatformView> {
        let chain = settlement.chain
        let connectors = (mode == "test" ? ["test"] : []) + [settlement.card?.connector.name, chain?.chain.name].compactMap { $0 }
        return Envelope(PlatformView(
            mode: mode, currencies: SettlementService.walletAssets.map(\.code), connectors: connectors,
            deliveryTypes: DeliveryType.allCases.map(\.rawValue),
            rateLimitsPerMinute: Dictionary(uniqueKeysWithValues: rateLimits.perMinute.map { ($0.key.rawValue, $0.value) }),
            idempotencyKeyHours: IdempotencyStore.retentionSeconds / 3_600, apiKeysActiveMax: APIKey.activeKeysMax,
            anonymousUnfundedTasksPerAddressMax: AnonymousTask.unfundedPerAddressMax, pricingVersion: settlement.pricing.version,
            usdc: chain.map { ChainView(network: $0.chain.network, chainId: $0.chain.chainID, asset: $0.chain.asset, payTo: $0.chain.hotWallet, mode: $0.mode.rawValue) }))
    }
}
