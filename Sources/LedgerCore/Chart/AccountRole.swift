/// What an account is for in the chart of accounts. Each role has exactly one account type,
/// so a chart that files, say, a clearing account as a liability is refused when it loads.
public enum AccountRole: String, Sendable, Hashable, CaseIterable {
    /// Money the platform has at a connector (Stripe balance, Base addresses).
    case clearing
    /// Platform fees earned when escrow is released.
    case feeRevenue = "fee_revenue"
    /// Fees a processor keeps from the platform's balance.
    case processorFeeExpense = "processor_fee_expense"
    /// Gas paid on chain.
    case gasExpense = "gas_expense"
    /// Withdrawals taken from wallets and handed to a connector, not yet settled.
    case payoutsInFlight = "payouts_in_flight"
    /// Opening balances and owner capital.
    case opening
    /// Template: what the platform owes one user in one asset.
    case wallet
    /// Template: one task's funded money.
    case escrow

    /// The account type every account with this role has.
    public var accountType: AccountType {
        switch self {
        case .clearing: .asset
        case .feeRevenue: .revenue
        case .processorFeeExpense, .gasExpense: .expense
        case .payoutsInFlight, .wallet, .escrow: .liability
        case .opening: .equity
        }
    }

    /// True for roles that name a connector (clearing and payouts in flight).
    var needsConnector: Bool { self == .clearing || self == .payoutsInFlight }

    /// True for roles the chart describes as templates, one account per owner.
    var isTemplate: Bool { self == .wallet || self == .escrow }
}
