import LedgerCore

extension SettlementSummary {
    /// The summary against the ledger's own accounts, per asset: the fees it counts are the
    /// test-mode fee revenue's balance, and what it calls frozen is what the tasks' escrow
    /// accounts still hold. Answers each disagreement.
    static func disagreements(results: [TaskResult], rows: [Row], ledger: Ledger) throws -> [String] {
        var found: [String] = []
        for asset in [Asset.usd, .usdc] {
            let assetRows = rows.filter { $0.asset == asset.code }
            let feesMinor = assetRows.reduce(0) { $0 + $1.feesMinor }
            let revenueMinor = try ledger.account(code: "revenue:fees:test:\(asset.code)")?.balance.posted(for: .revenue) ?? 0
            if feesMinor != revenueMinor { found.append("\(asset.code) fees: the summary counts \(feesMinor), the fee revenue holds \(revenueMinor)") }
            let frozenMinor = assetRows.reduce(0) { $0 + $1.frozenMinor }
            var escrowMinor: Int64 = 0
            for result in results where result.plan.asset == asset {
                let code = ChartOfAccounts.standard.escrow(task: result.id, mode: .test, asset: asset).code
                escrowMinor += try ledger.account(code: code)?.balance.posted(for: .liability) ?? 0
            }
            if frozenMinor != escrowMinor { found.append("\(asset.code) frozen: the summary counts \(frozenMinor), the escrows hold \(escrowMinor)") }
        }
        return found
    }
}
