public import LedgerCore

/// Everything the finance page shows for one period, as reports: its figures come from the
/// ledger alone (the same reports the CLI and the API give); only the labels beside them
/// (a user's name, a task's title and status) are read from the marketplace's tables.
public struct MonthEndReport: Sendable {
    /// The period the flows cover; balances are as of its end.
    public let period: ReportPeriod
    /// The last moment inside the period, which the balances are as of.
    public var asOf: Int64 { period.to - 1 }
    public let trialBalance: FinanceReport
    public let balanceSheet: FinanceReport
    public let feeRevenue: FinanceReport
    public let rollForward: FinanceReport
    public let frozenFunds: FinanceReport
    /// The last reconciliation run, nil before the first.
    public let reconciliation: StoredReconciliation?
    /// Volume funded into escrow and fees earned per day and asset inside the period.
    public let daily: [DailyTotal]
    /// Who owns each wallet and escrow account in the trial balance.
    public let owners: [String: String]
    /// For each task holding money, why the money is frozen.
    public let frozenReasons: [String: FrozenReason]
}

/// A stored reconciliation run, as the page reports it.
public struct StoredReconciliation: Sendable {
    public let id: Int64
    public let startedAt: Int64
    public let connectors: [ConnectorMatch]
    public let breaks: [ReconciliationBreak]
}

/// One day's money funded into escrow and fees earned, in one asset.
public struct DailyTotal: Sendable, Hashable {
    public let day: String
    public let asset: Asset
    public let volumeMinor: Int64
    public let feesMinor: Int64
}

/// Why a task's money sits in escrow: its title and status, and the reason in words.
public struct FrozenReason: Sendable, Hashable {
    public let title: String
    public let status: String
    public let reason: String
    /// True when the status says the money should have left escrow already (support should look).
    public let unexpected: Bool

    static func of(_ task: MarketTask) -> FrozenReason {
        let (reason, unexpected): (String, Bool) = switch task.status {
        case .published: ("funded, waiting for a worker to be accepted", false)
        case .assigned: ("a worker is doing the task", false)
        case .submitted: ("submitted, waiting for the owner's review", false)
        case .revisionRequested: ("the owner asked for a revision; waiting for the worker", false)
        case .disputed: ("in dispute: frozen until the dispute is resolved", false)
        case .completed: ("approved; the payout is being posted", false)
        case .canceled, .expired: ("\(task.status.rawValue): its refund has not settled (the money leaves escrow when the processor confirms it)", true)
        case .paid, .resolved: ("the task is \(task.status.rawValue) but money is still in escrow", true)
        }
        return FrozenReason(title: task.spec.title, status: task.status.rawValue, reason: reason, unexpected: unexpected)
    }
}

extension FinanceService {
    /// The month-end page's reports over `period`, balances as of its end.
    public func monthEnd(_ period: ReportPeriod) throws(MarketplaceError) -> MonthEndReport {
        let asOf = period.to - 1
        let trial = try trialBalance(asOf: asOf)
        let frozen = try frozenFunds(asOf: asOf)
        let last = try lastReconciliation().map { run in
            StoredReconciliation(id: run.id, startedAt: run.startedAt, connectors: ConnectorMatch.parse(summary: run.summary), breaks: run.breaks)
        }
        let (owners, reasons) = try labels(accounts: trial.table("lines")?.rows.map { $0[1].text } ?? [],
                                           frozenTasks: frozen.table("lines")?.rows.map { $0[0].text } ?? [])
        return MonthEndReport(period: period, trialBalance: trial, balanceSheet: try balanceSheet(asOf: asOf),
                              feeRevenue: try feeRevenue(period, by: .month), rollForward: try rollForward(period), frozenFunds: frozen,
                              reconciliation: last, daily: try dailyTotals(period), owners: owners, frozenReasons: reasons)
    }

    /// Funded volume and fees earned per day and asset in the period.
    func dailyTotals(_ period: ReportPeriod) throws(MarketplaceError) -> [DailyTotal] {
        let accounts = try accounts()
        struct Day: Hashable, Comparable {
            let day: Int64, asset: Asset
            static func < (a: Day, b: Day) -> Bool { (a.day, a.asset.id) < (b.day, b.asset.id) }
        }
        var daily: [Day: (volume: Int64, fees: Int64)] = [:]
        try forEachPosted(from: period.from, to: period.to) { transfer in
            guard let asset = accounts[transfer.creditAccountID]?.asset else { return }
            let day = Day(day: Timestamps.days(transfer.timestamp), asset: asset)
            switch accounts.kind(transfer.creditAccountID) {
            case .escrow: try ExactSum.add(&daily[day, default: (0, 0)].volume, transfer.amountMinor)
            case .feeRevenue: try ExactSum.add(&daily[day, default: (0, 0)].fees, transfer.amountMinor)
            default: break
            }
        }
        return daily.sorted { $0.key < $1.key }.map { key, value in
            DailyTotal(day: Timestamps.date(days: key.day), asset: key.asset, volumeMinor: value.volume, feesMinor: value.fees)
        }
    }

    /// The owner's name for each wallet and escrow account code, and each frozen task's reason.
    func labels(accounts codes: [String], frozenTasks: [String]) throws(MarketplaceError) -> ([String: String], [String: FrozenReason]) {
        try store.read { stores in
            var owners: [String: String] = [:]
            var reasons: [String: FrozenReason] = [:]
            for task in frozenTasks {
                if let found = try stores.tasks.fetch(task) { reasons[task] = FrozenReason.of(found) }
            }
            for code in codes {
                switch AccountClass(code: code) {
                case .wallet(_, let user):
                    if let name = try stores.users.fullName(ofUser: user) { owners[code] = name }
                case .escrow(let task):
                    if let reason = reasons[task] { owners[code] = reason.title }
                    else if let found = try stores.tasks.fetch(task) { owners[code] = found.spec.title }
                default: continue
                }
            }
            return (owners, reasons)
        }
    }
}
