/// The chart of accounts: the platform's own accounts and the templates for per-user wallets
/// and per-task escrow, read from `Ledger/chart-of-accounts.json` (embedded at build time).
///
/// Lookups answer `NewAccount` values; their `code` finds the live account with
/// `Ledger.account(code:)`.
public struct ChartOfAccounts: Sendable, Hashable {
    /// The platform accounts, in the file's order.
    public let accounts: [ChartEntry]
    /// The per-user wallet template ("wallet:user:{user}:{asset}").
    public let walletTemplate: ChartTemplate
    /// The per-task escrow template ("escrow:task:{task}").
    public let escrowTemplate: ChartTemplate
    /// The account Stripe's processing fees are charged to (USD).
    public let processorFeeExpense: NewAccount
    /// The account gas on Base is charged to (ETH, in gwei).
    public let gasExpense: NewAccount

    /// The chart embedded in the binary. A broken file is a build defect, caught by the tests.
    public static let standard: ChartOfAccounts = {
        do {
            return try ChartOfAccounts(json: PackageResources.chart_of_accounts_json)
        } catch {
            preconditionFailure("Ledger/chart-of-accounts.json: \(error)")
        }
    }()

    /// Every platform account, ready for `Ledger.createAccounts`.
    public var platformAccounts: [NewAccount] { accounts.map(\.newAccount) }

    /// A user's wallet in `mode` and `asset`: a liability that never goes below zero
    /// ("wallet:user:{mode}:{user}:{asset}").
    ///
    /// - Precondition: `user` is not empty and the wallet template lists `asset`.
    public func wallet(user: String, mode: LedgerMode, asset: Asset) -> NewAccount {
        walletTemplate.account(owner: mode.owner(user, naming: true), asset: asset)
    }

    /// A task's escrow in the task's mode and `asset`: a liability that never goes below zero
    /// ("escrow:task:{task}" live, "escrow:task:test:{task}" test).
    ///
    /// - Precondition: `task` is not empty and the escrow template lists `asset`.
    public func escrow(task: String, mode: LedgerMode, asset: Asset) -> NewAccount {
        escrowTemplate.account(owner: mode.owner(task, naming: false), asset: asset)
    }

    /// The connector's clearing account in `mode` and `asset`, or nil when the connector does not carry it.
    public func clearing(connector: String, mode: LedgerMode, asset: Asset) -> NewAccount? {
        first(.clearing, connector: connector, asset: asset).map(mode.platform)
    }

    /// Where platform fees in `mode` and `asset` are earned, or nil when no task is priced in it.
    public func feeRevenue(mode: LedgerMode, asset: Asset) -> NewAccount? {
        first(.feeRevenue, connector: nil, asset: asset).map(mode.platform)
    }

    /// Withdrawals in `mode` and `asset` handed to `connector` and not yet settled, or nil.
    public func payoutsInFlight(connector: String, mode: LedgerMode, asset: Asset) -> NewAccount? {
        first(.payoutsInFlight, connector: connector, asset: asset).map(mode.platform)
    }

    /// Where fees the connector keeps in `mode` and `asset` are booked as the platform's expense, or nil.
    public func processorFeeExpense(connector: String, mode: LedgerMode, asset: Asset) -> NewAccount? {
        first(.processorFeeExpense, connector: connector, asset: asset).map(mode.platform)
    }

    /// Gas paid on chain in `mode` (test-mode gas is Base Sepolia's).
    public func gasExpense(mode: LedgerMode) -> NewAccount { mode.platform(gasExpense) }

    /// The opening-balance equity account in `mode` and `asset`, or nil.
    public func opening(mode: LedgerMode, asset: Asset) -> NewAccount? {
        first(.opening, connector: nil, asset: asset).map(mode.platform)
    }

    /// The platform account with this code, with its description, or nil.
    public func entry(code: String) -> ChartEntry? {
        accounts.first { $0.code == code }
    }

    /// Creates every platform account, all or none, and returns them in the chart's order.
    /// Safe to run on every start: accounts that exist with the same attributes are returned as they are.
    public func install(in ledger: Ledger) async throws(LedgerError) -> [Account] {
        try await ledger.createAccounts(platformAccounts)
    }

    private func first(_ role: AccountRole, connector: String?, asset: Asset) -> NewAccount? {
        accounts.first { $0.role == role && $0.asset == asset && (connector == nil || $0.connector == connector) }?.newAccount
    }
}
