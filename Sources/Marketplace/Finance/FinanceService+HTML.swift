public import LedgerCore

extension FinanceService {
    /// How many days the HTML report's chart shows, ending on the last day with activity up to its as-of time.
    public static let chartDays: Int64 = 30

    /// The finance page: trial balance, the last reconciliation's breaks, frozen-funds aging,
    /// and daily volume (money funded into escrow) and fees over the last `chartDays` days.
    public func htmlReport(asOf: Int64) throws(MarketplaceError) -> String {
        let trial = try trialBalance(asOf: asOf)
        let frozen = try frozenFunds(asOf: asOf)
        let lines = trial.table("lines")!
        let totals = trial.table("totals")!
        let buckets = frozen.table("buckets")!
        let last = try lastReconciliation()
        let lastActive = try ledgerRead { try ledger.lastCommitTime(before: asOf &+ 1) } ?? asOf
        let firstDay = Timestamps.days(lastActive) - Self.chartDays + 1
        let accounts = try accounts()
        struct Day: Hashable, Comparable {
            let day: Int64, asset: Asset
            static func < (a: Day, b: Day) -> Bool { (a.day, a.asset.id) < (b.day, b.asset.id) }
        }
        var daily: [Day: (volume: Int64, fees: Int64)] = [:]
        try forEachPosted(from: firstDay * 86_400_000_000, to: asOf &+ 1) { transfer in
            guard let asset = accounts[transfer.creditAccountID]?.asset else { return }
            let day = Day(day: Timestamps.days(transfer.timestamp), asset: asset)
            switch accounts.kind(transfer.creditAccountID) {
            case .escrow: try ExactSum.add(&daily[day, default: (0, 0)].volume, transfer.amountMinor)
            case .feeRevenue: try ExactSum.add(&daily[day, default: (0, 0)].fees, transfer.amountMinor)
            default: break
            }
        }
        let page = FinanceReportPage(
            title: "Finance report",
            asOf: Timestamps.format(asOf),
            period: "\(Timestamps.date(days: firstDay)) to \(Timestamps.date(days: Timestamps.days(lastActive)))",
            trialBalance: lines.rows.map { row in
                TrialBalanceLine(account: row[1].text, type: row[2].text, asset: row[0].text, debit: row[3].text, credit: row[4].text)
            },
            trialTotals: totals.rows.map { AssetTotal(asset: $0[0].text, debits: $0[1].text, credits: $0[2].text) },
            breaks: (last?.breaks ?? []).map { item in
                let scale = Asset.named(item.asset)?.scale ?? 0
                return BreakLine(kind: item.kind.rawValue, connector: item.connector, reference: item.reference,
                                 ledgerAmount: item.ledgerMinor.map { MinorUnits.format($0, scale: scale) } ?? "",
                                 processorAmount: item.processorMinor.map { MinorUnits.format($0, scale: scale) } ?? "", detail: item.detail)
            },
            reconciledAt: last.map { Timestamps.format($0.startedAt) },
            aging: buckets.rows.map { row in
                AgingLine(bucket: row[0].text, asset: row[1].text, tasks: Int(row[2].text) ?? 0, amount: row[3].text)
            },
            daily: daily.sorted { $0.key < $1.key }.map { key, value in
                DailyPoint(day: Timestamps.date(days: key.day), asset: key.asset.code, volumeMinor: value.volume, feesMinor: value.fees, scale: key.asset.scale)
            })
        return FinanceHTML.render(page)
    }
}
