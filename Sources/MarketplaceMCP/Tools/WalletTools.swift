import MCP
import Marketplace
import MarketplaceViews

/// The caller's wallets and their history (SettlementService).
enum WalletTools {
    static let definitions = [getWallet, listTransactions]

    static let getWallet = ToolDefinition(
        name: "get_wallet", title: "Get wallet balances",
        description: """
            Your wallets, one per currency (USD, USDC), in your key's mode: available (spendable now), pending \
            (incoming, not yet spendable), frozen (in your tasks' escrows and pending outflows), and lifetime totals \
            (funded, paid out, refunded, fees, earned, withdrawn). Every amount is a decimal string with its minor \
            units. Needs wallet:read.
            """,
        input: Schema.none,
        readOnly: true
    ) { call in
        let totals = try call.tools.settlement.totals(for: call.caller)
        let wallets = try await call.tools.settlement.wallets(for: call.caller)
        return Wallets(wallets: wallets.map { wallet in WalletView(wallet, totals: totals.first { $0.asset == wallet.asset }) })
    }

    struct Wallets: Encodable, Sendable { let wallets: [WalletView] }

    static let listTransactions = ToolDefinition(
        name: "list_transactions", title: "List wallet transactions",
        description: """
            Your wallet's movements in one currency, oldest first, each a ledger transfer: type (deposit, funding, \
            refund, earning, dispute_payout, dispute_refund, withdrawal, withdrawal_paid, withdrawal_failed, \
            withdrawal_returned), direction (in/out), amount, and whether it is still pending. Pass next_cursor as \
            cursor for the next page. Needs wallet:read.
            """,
        input: Schema.object([
            "asset": Schema.string("USD (default) or USDC.", oneOf: ["USD", "USDC"]),
            "type": Schema.string("Only movements of this type.", oneOf: Set(WalletTransaction.types.values).sorted()),
            "limit": Schema.integer("Movements per page (default 50).", minimum: 1, maximum: 100),
            "cursor": Schema.string("next_cursor from the previous page."),
        ]),
        readOnly: true
    ) { call in
        let arguments = call.arguments
        let page = try await call.tools.settlement.transactions(for: call.caller, asset: arguments.string("asset") ?? "USD", type: arguments.string("type"),
                                                                cursor: arguments.string("cursor"), limit: arguments.int("limit") ?? 50)
        return TransactionPageView(transactions: page.transactions.map(TransactionView.init), hasMore: page.nextCursor != nil, nextCursor: page.nextCursor)
    }
}
