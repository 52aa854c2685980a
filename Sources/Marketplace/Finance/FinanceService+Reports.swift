import Foundation
public import LedgerCore

extension FinanceService {
    /// Every account's posted balance at `asOf` (inclusive) as a debit or a credit; per asset
    /// the debits equal the credits, or the ledger is broken.
    public func trialBalance(asOf: Int64) throws(MarketplaceError) -> FinanceReport {
        let accounts = try accounts()
        let balances = try ledgerRead { try ledger.balances(before: asOf &+ 1) }
        var lines = ReportTable(name: "lines", columns: ["asset", "account", "type", "debit", "credit"])
        var totals: [Asset: (debits: Int64, credits: Int64)] = [:]
        for account in accounts.sorted {
            guard let balance = balances[account.id] else { continue }
            let net = balance.debitsPosted &- balance.creditsPosted
            guard net != 0 else { continue }
            let scale = account.asset.scale
            var total = totals[account.asset] ?? (0, 0)
            if net > 0 { try ExactSum.add(&total.debits, net) } else { try ExactSum.add(&total.credits, -net) }
            totals[account.asset] = total
            lines.rows.append([.text(account.asset.code), .text(account.code), .text(account.type.rawValue),
                               net > 0 ? .money(net, scale: scale) : .empty, net < 0 ? .money(-net, scale: scale) : .empty])
        }
        var summary = ReportTable(name: "totals", columns: ["asset", "debits", "credits", "balanced"])
        for (asset, total) in totals.sorted(by: { $0.key.id < $1.key.id }) {
            summary.rows.append([.text(asset.code), .money(total.debits, scale: asset.scale), .money(total.credits, scale: asset.scale),
                                 .text(total.debits == total.credits ? "yes" : "no")])
        }
        return FinanceReport(kind: "trial_balance", parameters: [("as_of", Timestamps.format(asOf))], tables: [lines, summary])
    }

    /// Balances at `asOf` by account type and class, per asset, on each type's normal side;
    /// assets = liabilities + equity + revenue − expenses is checked per asset.
    public func balanceSheet(asOf: Int64) throws(MarketplaceError) -> FinanceReport {
        let accounts = try accounts()
        let balances = try ledgerRead { try ledger.balances(before: asOf &+ 1) }
        struct Key: Hashable, Comparable {
            let asset: Asset, type: AccountType, group: String
            static func < (a: Key, b: Key) -> Bool { (a.asset.id, a.type.order, a.group) < (b.asset.id, b.type.order, b.group) }
        }
        var groups: [Key: (accounts: Int64, amount: Int64)] = [:]
        for account in accounts.sorted {
            guard let balance = balances[account.id] else { continue }
            let key = Key(asset: account.asset, type: account.type, group: Self.group(accounts.kind(account.id), account))
            var entry = groups[key] ?? (0, 0)
            entry.accounts += 1
            try ExactSum.add(&entry.amount, balance.posted(for: account.type))
            groups[key] = entry
        }
        var lines = ReportTable(name: "lines", columns: ["asset", "type", "group", "accounts", "amount"])
        var byType: [Asset: [AccountType: Int64]] = [:]
        for (key, entry) in groups.sorted(by: { $0.key < $1.key }) where entry.amount != 0 || key.type != .expense {
            lines.rows.append([.text(key.asset.code), .text(key.type.rawValue), .text(key.group), .count(entry.accounts),
                               .money(entry.amount, scale: key.asset.scale)])
            try ExactSum.add(&byType[key.asset, default: [:]][key.type, default: 0], entry.amount)
        }
        var check = ReportTable(name: "equation", columns: ["asset", "assets", "liabilities", "equity", "revenue", "expenses", "balanced"])
        for (asset, sums) in byType.sorted(by: { $0.key.id < $1.key.id }) {
            let value = { (type: AccountType) in sums[type] ?? 0 }
            var right: Int64 = 0
            try ExactSum.add(&right, value(.liability))
            try ExactSum.add(&right, value(.equity))
            try ExactSum.add(&right, value(.revenue))
            try ExactSum.add(&right, -value(.expense))
            check.rows.append([.text(asset.code)] + [AccountType.asset, .liability, .equity, .revenue, .expense].map { .money(value($0), scale: asset.scale) }
                              + [.text(value(.asset) == right ? "yes" : "no")])
        }
        return FinanceReport(kind: "balance_sheet", parameters: [("as_of", Timestamps.format(asOf))], tables: [lines, check])
    }

    /// The line a balance-sheet account is summed into; a test-mode twin of a platform account
    /// is its own line ("processor fees:test"), so rehearsal money never sums with real money.
    static func group(_ kind: AccountClass, _ account: Account) -> String {
        let line = liveGroup(kind, account)
        switch kind {
        case .clearing("test"), .payoutsInFlight("test"), .wallet, .feeRevenue, .other: return line
        default: return LedgerMode(code: account.code) == .test ? line + ":test" : line
        }
    }

    private static func liveGroup(_ kind: AccountClass, _ account: Account) -> String {
        switch kind {
        case .clearing(let connector): "clearing:\(connector)"
        case .payoutsInFlight(let connector): "payouts in flight:\(connector)"
        case .wallet(let mode, _): "wallets:\(mode)"
        case .escrow: "escrow"
        case .feeRevenue(let mode): "fees:\(mode)"
        case .processorFees: "processor fees"
        case .gas: "gas"
        case .equity: "equity"
        case .other: account.code
        }
    }

    /// Platform fees earned per period and asset, what processors kept and gas spent, and net
    /// revenue (fees − processor fees − gas, each in its own asset).
    public func feeRevenue(_ period: ReportPeriod, by granularity: ReportGranularity) throws(MarketplaceError) -> FinanceReport {
        let accounts = try accounts()
        struct Key: Hashable, Comparable {
            let bucket: String, asset: Asset, mode: String
            static func < (a: Key, b: Key) -> Bool { (a.bucket, a.asset.id, a.mode) < (b.bucket, b.asset.id, b.mode) }
        }
        var sums: [Key: (fees: Int64, processor: Int64, gas: Int64)] = [:]
        try forEachPosted(from: period.from, to: period.to) { transfer in
            for (id, sign) in [(transfer.creditAccountID, Int64(1)), (transfer.debitAccountID, Int64(-1))] {
                guard let account = accounts[id] else { continue }
                let bucket = granularity.bucket(transfer.timestamp)
                switch accounts.kind(id) {
                case .feeRevenue(let mode): try ExactSum.add(&sums[Key(bucket: bucket, asset: account.asset, mode: mode), default: (0, 0, 0)].fees, sign * transfer.amountMinor)
                case .processorFees: try ExactSum.add(&sums[Key(bucket: bucket, asset: account.asset, mode: accounts.mode(id).rawValue), default: (0, 0, 0)].processor, -sign * transfer.amountMinor)
                case .gas: try ExactSum.add(&sums[Key(bucket: bucket, asset: account.asset, mode: accounts.mode(id).rawValue), default: (0, 0, 0)].gas, -sign * transfer.amountMinor)
                default: break
                }
            }
        }
        var lines = ReportTable(name: "lines", columns: ["period", "asset", "mode", "fees", "processor_fees", "gas", "net"])
        for (key, sum) in sums.sorted(by: { $0.key < $1.key }) {
            var net = sum.fees
            try ExactSum.add(&net, -sum.processor)
            try ExactSum.add(&net, -sum.gas)
            let scale = key.asset.scale
            lines.rows.append([.text(key.bucket), .text(key.asset.code), .text(key.mode), .money(sum.fees, scale: scale),
                               .money(sum.processor, scale: scale), .money(sum.gas, scale: scale), .money(net, scale: scale)])
        }
        return FinanceReport(kind: "fee_revenue", parameters: period.parameters + [("by", granularity.rawValue)], tables: [lines])
    }

    /// The age buckets of frozen funds, in days since the escrow was first funded.
    public static let agingBuckets: [(name: String, maxDays: Int64)] = [("0-7", 7), ("8-30", 30), ("31-90", 90), (">90", .max)]

    /// Every task escrow holding money at `asOf`, oldest first, with its age bucket; and the
    /// buckets' totals per asset.
    public func frozenFunds(asOf: Int64) throws(MarketplaceError) -> FinanceReport {
        let accounts = try accounts()
        var held: [AccountID: (balance: Int64, fundedAt: Int64)] = [:]
        try forEachPosted(from: .min, to: asOf &+ 1) { transfer in
            if case .escrow = accounts.kind(transfer.creditAccountID) {
                var entry = held[transfer.creditAccountID] ?? (0, transfer.timestamp)
                if entry.balance == 0 { entry.fundedAt = transfer.timestamp }
                try ExactSum.add(&entry.balance, transfer.amountMinor)
                held[transfer.creditAccountID] = entry
            }
            if case .escrow = accounts.kind(transfer.debitAccountID) {
                try ExactSum.add(&held[transfer.debitAccountID, default: (0, transfer.timestamp)].balance, -transfer.amountMinor)
            }
        }
        var lines = ReportTable(name: "lines", columns: ["task", "asset", "amount", "funded_at", "age_days", "bucket"])
        var buckets: [String: [Asset: (tasks: Int64, amount: Int64)]] = [:]
        for (id, entry) in held.filter({ $0.value.balance != 0 }).sorted(by: { ($0.value.fundedAt, $0.key) < ($1.value.fundedAt, $1.key) }) {
            guard let account = accounts[id], case .escrow(let task) = accounts.kind(id) else { continue }
            let age = max(0, (asOf - entry.fundedAt) / 86_400_000_000)
            let bucket = Self.agingBuckets.first { age <= $0.maxDays }!.name
            var total = buckets[bucket, default: [:]][account.asset] ?? (0, 0)
            total.tasks += 1
            try ExactSum.add(&total.amount, entry.balance)
            buckets[bucket, default: [:]][account.asset] = total
            lines.rows.append([.text(task), .text(account.asset.code), .money(entry.balance, scale: account.asset.scale),
                               .text(Timestamps.format(entry.fundedAt)), .count(age), .text(bucket)])
        }
        var summary = ReportTable(name: "buckets", columns: ["bucket", "asset", "tasks", "amount"])
        for bucket in Self.agingBuckets.map(\.name) {
            for (asset, total) in (buckets[bucket] ?? [:]).sorted(by: { $0.key.id < $1.key.id }) {
                summary.rows.append([.text(bucket), .text(asset.code), .count(total.tasks), .money(total.amount, scale: asset.scale)])
            }
        }
        return FinanceReport(kind: "frozen_funds", parameters: [("as_of", Timestamps.format(asOf))], tables: [lines, summary])
    }

    /// Money leaving escrow and wallets per period, connector and asset: released to workers'
    /// wallets, refunded (to wallets or to the card), paid out by a connector, and payouts
    /// that came back.
    public func payoutsAndRefunds(_ period: ReportPeriod, by granularity: ReportGranularity) throws(MarketplaceError) -> FinanceReport {
        let accounts = try accounts()
        struct Key: Hashable, Comparable {
            let bucket: String, connector: String, asset: Asset, kind: String
            static func < (a: Key, b: Key) -> Bool { (a.bucket, a.connector, a.asset.id, a.kind) < (b.bucket, b.connector, b.asset.id, b.kind) }
        }
        var sums: [Key: (count: Int64, amount: Int64)] = [:]
        try forEachPosted(from: period.from, to: period.to) { transfer in
            guard let asset = accounts[transfer.debitAccountID]?.asset, let recipe = RecipeCode(rawValue: transfer.code) else { return }
            let debit = accounts.kind(transfer.debitAccountID), credit = accounts.kind(transfer.creditAccountID)
            let entry: (connector: String, kind: String)?
            switch recipe {
            case .approvePayout, .releasePayout, .disputeWorker: entry = ("wallet", "released")
            case .refund, .disputeAgent: entry = ("wallet", "refund")
            case .refundPost: entry = (credit.connector ?? "?", "refund")
            case .withdrawalSettle: entry = (credit.connector ?? "?", "payout")
            case .payoutReturned where debit.connector != nil: entry = (debit.connector!, "payout_returned")
            default: entry = nil
            }
            guard let entry else { return }
            let key = Key(bucket: granularity.bucket(transfer.timestamp), connector: entry.connector, asset: asset, kind: entry.kind)
            sums[key, default: (0, 0)].count += 1
            try ExactSum.add(&sums[key, default: (0, 0)].amount, transfer.amountMinor)
        }
        var lines = ReportTable(name: "lines", columns: ["period", "connector", "asset", "kind", "count", "amount"])
        for (key, sum) in sums.sorted(by: { $0.key < $1.key }) {
            lines.rows.append([.text(key.bucket), .text(key.connector), .text(key.asset.code), .text(key.kind), .count(sum.count),
                               .money(sum.amount, scale: key.asset.scale)])
        }
        return FinanceReport(kind: "payouts_and_refunds", parameters: period.parameters + [("by", granularity.rawValue)], tables: [lines])
    }

    /// One user's wallets over a period: opening balance, each posted movement with the
    /// running balance, closing balance; test and live wallets apart.
    public func statement(user: String, _ period: ReportPeriod) throws(MarketplaceError) -> FinanceReport {
        let accounts = try accounts()
        let wallets = accounts.byID.values.filter { if case .wallet(_, let owner) = accounts.kind($0.id) { owner == user } else { false } }
        guard !wallets.isEmpty else { throw .notFound("user \(user) has no wallet in the ledger") }
        let opening = try ledgerRead { try ledger.balances(before: period.from) }
        var running = Dictionary(uniqueKeysWithValues: wallets.map { ($0.id, opening[$0.id]?.posted(for: .liability) ?? 0) })
        var lines = ReportTable(name: "lines", columns: ["account", "time", "transfer", "type", "task", "amount", "balance"])
        try forEachPosted(from: period.from, to: period.to) { transfer in
            for (id, sign) in [(transfer.creditAccountID, Int64(1)), (transfer.debitAccountID, Int64(-1))] where running[id] != nil {
                guard let account = accounts[id] else { continue }
                try ExactSum.add(&running[id]!, sign * transfer.amountMinor)
                let type = WalletTransaction.types[transfer.code] ?? "other"
                let task = Self.metadataField("task", in: transfer.metadata)
                lines.rows.append([.text(account.code), .text(Timestamps.format(transfer.timestamp)), .count(transfer.id.rawValue), .text(type),
                                   task.map(ReportCell.text) ?? .empty, .money(sign * transfer.amountMinor, scale: account.asset.scale),
                                   .money(running[id]!, scale: account.asset.scale)])
            }
        }
        var summary = ReportTable(name: "balances", columns: ["account", "asset", "opening", "closing"])
        for wallet in wallets.sorted(by: { $0.code < $1.code }) {
            summary.rows.append([.text(wallet.code), .text(wallet.asset.code), .money(opening[wallet.id]?.posted(for: .liability) ?? 0, scale: wallet.asset.scale),
                                 .money(running[wallet.id] ?? 0, scale: wallet.asset.scale)])
        }
        return FinanceReport(kind: "statement", parameters: [("user", user)] + period.parameters, tables: [lines, summary])
    }

    /// A string field of a transfer's JSON metadata, read without a JSON parser's doubles.
    static func metadataField(_ name: String, in metadata: String?) -> String? {
        guard let metadata, let range = metadata.range(of: "\"\(name)\":\"") else { return nil }
        let rest = metadata[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

extension AccountType {
    /// Balance-sheet order.
    var order: Int {
        switch self {
        case .asset: 0
        case .liability: 1
        case .equity: 2
        case .revenue: 3
        case .expense: 4
        }
    }
}
