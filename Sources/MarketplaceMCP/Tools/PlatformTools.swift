import Connectors
import LedgerCore
import MCP
import Marketplace

/// What the platform is and charges: categories, the fee rule, the platform's facts. Public in
/// REST (no scope); here the caller is still the key the session authenticated.
enum PlatformTools {
    static let definitions = [getCategories, getPricingInfo, getPlatformInfo]

    static let getCategories = ToolDefinition(
        name: "get_categories", title: "List task categories",
        description: "The categories a task can be posted in: id (what create_task's category takes), name and what belongs there.",
        input: Schema.none,
        readOnly: true
    ) { _ in
        Categories(categories: Category.all)
    }

    struct Categories: Encodable, Sendable { let categories: [Category] }

    static let getPricingInfo = ToolDefinition(
        name: "get_pricing_info", title: "Get the fee rule",
        description: """
            The platform fee: basis points and a fixed part, who pays it (by default the agent, on top of the \
            budget: a 25.00 task at 10% puts 27.50 in escrow), how it is rounded, and the rule's version.
            """,
        input: Schema.none,
        readOnly: true
    ) { call in
        let rule = call.tools.settlement.pricing
        return PricingView(
            version: rule.version, basisPoints: rule.policy.basisPoints, percent: MinorUnits.format(rule.policy.basisPoints, scale: 2),
            fixed: SettlementService.walletAssets.map { MoneyView(minor: rule.policy.fixedMinor, asset: $0) },
            defaultFeePaidBy: FeePayer.agent.rawValue, feePaidBy: FeePayer.allCases.map(\.rawValue),
            rounding: "fee = round_half_up(budget × basis_points / 10000) + fixed, in the task's minor units; from the payout it is capped at the budget",
            appliesTo: "tasks funded after the version took effect; each funding and fee transfer records its version")
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

    static let getPlatformInfo = ToolDefinition(
        name: "get_platform_info", title: "Get platform facts",
        description: """
            The server's mode (test or live), currencies, payment connectors (test, stripe, base), delivery types, \
            request limits per minute, how long an idempotency key is kept, key and anonymous-task limits, the \
            pricing version, and where USDC is paid on chain when configured.
            """,
        input: Schema.none,
        readOnly: true
    ) { call in
        let settlement = call.tools.settlement
        let facts = call.tools.platform
        let chain = settlement.chain
        let connectors = (facts.mode == Mode.test.rawValue ? ["test"] : []) + [settlement.card?.connector.name, chain?.chain.name].compactMap { $0 }
        return PlatformView(
            mode: facts.mode, currencies: SettlementService.walletAssets.map(\.code), connectors: connectors,
            deliveryTypes: DeliveryType.allCases.map(\.rawValue), rateLimitsPerMinute: facts.rateLimitsPerMinute,
            idempotencyKeyHours: IdempotencyStore.retentionSeconds / 3_600, apiKeysActiveMax: APIKey.activeKeysMax,
            anonymousUnfundedTasksPerAddressMax: AnonymousTask.unfundedPerAddressMax, pricingVersion: settlement.pricing.version,
            usdc: chain.map { ChainView(network: $0.chain.network, chainId: $0.chain.chainID, asset: $0.chain.asset, payTo: $0.chain.hotWallet,
                                        mode: $0.mode.rawValue) })
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
        let usdc: ChainView?
    }

    struct ChainView: Encodable, Sendable {
        let network: String
        let chainId: UInt64
        let asset: String
        let payTo: String
        let mode: String
    }
}
