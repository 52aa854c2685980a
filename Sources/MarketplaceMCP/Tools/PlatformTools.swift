import Connectors
import LedgerCore
import MCP
import Marketplace
import MarketplaceViews

/// What the platform is and charges: categories, the fee rule, the platform's facts. Public, in
/// REST and here: they answer with or without a key.
enum PlatformTools {
    static let definitions = [getCategories, getPricingInfo, getPlatformInfo]

    static let getCategories = ToolDefinition(
        name: "get_categories", title: "List categories",
        description: """
            The taxonomy of tasks and services, group by group: each group's id and name, and its categories: id (a stable \
            slug, what create_task's and create_service's category takes), name and what belongs there.
            """,
        input: Schema.none,
        readOnly: true, anonymous: true
    ) { _ in
        Categories(groups: CategoryGroup.all)
    }

    struct Categories: Encodable, Sendable { let groups: [CategoryGroup] }

    static let getPricingInfo = ToolDefinition(
        name: "get_pricing_info", title: "Get the fee rule",
        description: """
            The platform fee: basis points and a fixed part, who pays it (by default the agent, on top of the \
            budget: a 25.00 task at 10% puts 27.50 in escrow), how it is rounded, and the rule's version.
            """,
        input: Schema.none,
        readOnly: true, anonymous: true
    ) { call in
        PricingView(call.tools.settlement.pricing)
    }

    static let getPlatformInfo = ToolDefinition(
        name: "get_platform_info", title: "Get platform facts",
        description: """
            The server's mode (test or live), currencies, payment connectors (test, stripe, base), delivery types, \
            request limits per minute, how long an idempotency key is kept, key and anonymous-task limits, the \
            pricing version, and where USDC is paid on chain when configured.
            """,
        input: Schema.none,
        readOnly: true, anonymous: true
    ) { call in
        let facts = call.tools.platform
        return PlatformView(mode: facts.mode, rateLimitsPerMinute: facts.rateLimitsPerMinute, settlement: call.tools.settlement)
    }
}
