import GRDB
import LedgerCore

/// The wallet totals in SQLite: sums over `task_funding`, `operations`, `disputes` and
/// `withdrawals`, grouped by asset.
struct SQLiteWalletTotalsStore: WalletTotalsStore {
    let db: Database

    func totals(user userID: String, mode: Mode, assets: [Asset]) throws -> [WalletTotals] {
        var totals = Dictionary(uniqueKeysWithValues: assets.map { ($0.code, WalletTotals(asset: $0)) })
        /// Adds each row's sums (after the asset column) into the totals through `apply`.
        func add(_ sql: String, _ apply: (inout WalletTotals, [Int64]) -> Void) throws {
            for row in try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: [userID, mode.rawValue]) {
                guard let code = row[0] as String?, totals[code] != nil else { continue }
                apply(&totals[code]!, (1..<row.count).map { (row[$0] as Int64?) ?? 0 })
            }
        }
        // The caller's own tasks: each funding, and whether its payout or refund committed.
        try add("""
            SELECT f.asset,
                   SUM(CASE WHEN fo.state = 'committed' THEN f.escrow_minor ELSE 0 END),
                   SUM(CASE WHEN ao.state = 'committed' THEN f.payout_minor ELSE 0 END),
                   SUM(CASE WHEN ao.state = 'committed' THEN f.fee_minor ELSE 0 END),
                   SUM(CASE WHEN ro.state = 'committed' THEN f.escrow_minor ELSE 0 END)
            FROM task_funding f JOIN tasks t ON t.id = f.task_id
            LEFT JOIN operations fo ON fo.key = 'fund:' || f.task_id
            LEFT JOIN operations ao ON ao.key = 'approve:' || f.task_id
            LEFT JOIN operations ro ON ro.key = 'refund:' || f.task_id
            WHERE t.owner_id = ? AND t.mode = ? GROUP BY f.asset
            """) { $0.fundedMinor += $1[0]; $0.paidOutMinor += $1[1]; $0.feesMinor += $1[2]; $0.refundedMinor += $1[3] }
        // Resolved disputes on the caller's own tasks.
        try add("""
            SELECT f.asset, SUM(d.to_worker_minor), SUM(d.fee_minor), SUM(d.to_payer_minor)
            FROM disputes d JOIN tasks t ON t.id = d.task_id JOIN task_funding f ON f.task_id = d.task_id
            WHERE t.owner_id = ? AND t.mode = ? AND d.status = 'resolved' GROUP BY f.asset
            """) { $0.paidOutMinor += $1[0]; $0.feesMinor += $1[1]; $0.refundedMinor += $1[2] }
        // As a worker: approved payouts and dispute shares.
        try add("""
            SELECT f.asset, SUM(f.payout_minor) FROM task_funding f JOIN tasks t ON t.id = f.task_id
            JOIN operations ao ON ao.key = 'approve:' || f.task_id AND ao.state = 'committed'
            WHERE t.worker_id = ? AND t.mode = ? GROUP BY f.asset
            """) { $0.earnedMinor += $1[0] }
        try add("""
            SELECT f.asset, SUM(d.to_worker_minor) FROM disputes d JOIN tasks t ON t.id = d.task_id JOIN task_funding f ON f.task_id = d.task_id
            WHERE t.worker_id = ? AND t.mode = ? AND d.status = 'resolved' GROUP BY f.asset
            """) { $0.earnedMinor += $1[0] }
        try add("SELECT asset, SUM(amount_minor) FROM withdrawals WHERE user_id = ? AND mode = ? AND status = 'paid' GROUP BY asset") {
            $0.withdrawnMinor += $1[0]
        }
        return assets.compactMap { totals[$0.code] }
    }
}

extension Stores {
    var walletTotals: some WalletTotalsStore { SQLiteWalletTotalsStore(db: db) }
}
