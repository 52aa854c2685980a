/// The finance reports, by the one name the CLI (`marketplace report <name>`), REST
/// (`/v1/finance/reports/<name>`) and the OpenAPI document give each.
public enum ReportName: String, CaseIterable, Sendable {
    case trialBalance = "trial-balance"
    case balanceSheet = "balance-sheet"
    case feeRevenue = "fee-revenue"
    case frozen
    case payoutsRefunds = "payouts-refunds"
    case statement
    case rollForward = "roll-forward"

    /// What the report shows, in one line (the CLI's help, the API's description).
    public var summary: String {
        switch self {
        case .trialBalance: "Posted balances per account; debits = credits per asset."
        case .balanceSheet: "Balances by account type and group, per asset."
        case .feeRevenue: "Fees earned, processor fees, gas and net revenue by period."
        case .frozen: "Frozen funds by task, oldest first, with age buckets."
        case .payoutsRefunds: "Payouts and refunds by period and connector."
        case .statement: "One user's wallets: opening balance, movements, closing balance."
        case .rollForward: "Opening + movements = closing for escrow and wallets, tied to the trial balance."
        }
    }

    /// Every name, comma-separated, for messages and descriptions.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
