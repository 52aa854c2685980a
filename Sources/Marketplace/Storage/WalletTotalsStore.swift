import LedgerCore

/// A user's lifetime money figures per wallet asset, summed from the fundings, disputes and
/// withdrawals of the user's tasks and work.
protocol WalletTotalsStore {
    /// The figures of `userID` in `mode` for each of `assets` (zero where nothing moved).
    func totals(user userID: String, mode: Mode, assets: [Asset]) throws -> [WalletTotals]
}
