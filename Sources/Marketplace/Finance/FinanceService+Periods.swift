import Foundation
public import LedgerCore

extension FinanceService {
    /// Opening + movements = closing for task escrow (per asset) and for each wallet class
    /// (per mode and asset) over the period, each closing tied to the trial balance at its end.
    ///
    /// Escrow: opening + funded − released − refunded − fees − other = closing.
    /// Wallets: opening + deposited + earned + refunded + returned − spent − withdrawn + other = closing.
    public func rollForward(_ period: ReportPeriod) throws(MarketplaceError) -> FinanceReport {
        let accounts = try accounts()
        let (opening, closing) = try ledgerRead { (try ledger.balances(before: period.from), try ledger.balances(before: period.to)) }
        struct Key: Hashable, Comparable {
            let mode: String, asset: Asset
            static func < (a: Key, b: Key) -> Bool { (a.mode, a.asset.id) < (b.mode, b.asset.id) }
        }
        /// Columns: opening, the movements in the table's order, trial balance at the end.
        var escrow: [Asset: [Int64]] = [:]
        var wallets: [Key: [Int64]] = [:]
        let escrowColumns = ["funded", "released", "refunded", "fees", "other"]
        let walletColumns = ["deposited", "earned", "refunded", "returned", "spent", "withdrawn", "other"]
        for account in accounts.byID.values {
            let start = opening[account.id]?.posted(for: .liability) ?? 0
            let end = closing[account.id]?.posted(for: .liability) ?? 0
            switch accounts.kind(account.id) {
            case .escrow:
                var row = escrow[account.asset] ?? Array(repeating: 0, count: escrowColumns.count + 2)
                try ExactSum.add(&row[0], start)
                try ExactSum.add(&row[row.count - 1], end)
                escrow[account.asset] = row
            case .wallet(let mode, _):
                let key = Key(mode: mode, asset: account.asset)
                var row = wallets[key] ?? Array(repeating: 0, count: walletColumns.count + 2)
                try ExactSum.add(&row[0], start)
                try ExactSum.add(&row[row.count - 1], end)
                wallets[key] = row
            default: continue
            }
        }
        try forEachPosted(from: period.from, to: period.to) { transfer in
            let recipe = RecipeCode(rawValue: transfer.code)
            let amount = transfer.amountMinor
            if case .escrow = accounts.kind(transfer.creditAccountID), let asset = accounts[transfer.creditAccountID]?.asset {
                try ExactSum.add(&escrow[asset, default: Array(repeating: 0, count: escrowColumns.count + 2)][1], amount)
            }
            if case .escrow = accounts.kind(transfer.debitAccountID), let asset = accounts[transfer.debitAccountID]?.asset {
                let column = switch recipe {
                case .approvePayout, .releasePayout, .disputeWorker: 2
                case .refund, .refundPost, .disputeAgent: 3
                case .approveFee, .releaseFee, .disputeFee: 4
                default: 5
                }
                try ExactSum.add(&escrow[asset, default: Array(repeating: 0, count: escrowColumns.count + 2)][column], amount)
            }
            if case .wallet(let mode, _) = accounts.kind(transfer.creditAccountID), let asset = accounts[transfer.creditAccountID]?.asset {
                let column = switch recipe {
                case .deposit: 1
                case .approvePayout, .releasePayout, .disputeWorker: 2
                case .refund, .disputeAgent: 3
                case .payoutReturned: 4
                default: 7
                }
                try ExactSum.add(&wallets[Key(mode: mode, asset: asset), default: Array(repeating: 0, count: walletColumns.count + 2)][column], amount)
            }
            if case .wallet(let mode, _) = accounts.kind(transfer.debitAccountID), let asset = accounts[transfer.debitAccountID]?.asset {
                let column = switch recipe {
                case .fund: 5
                case .withdrawalPost: 6
                default: 7
                }
                try ExactSum.add(&wallets[Key(mode: mode, asset: asset), default: Array(repeating: 0, count: walletColumns.count + 2)][column],
                                 column == 7 ? -amount : amount)
            }
        }
        var escrowTable = ReportTable(name: "escrow", columns: ["asset", "opening"] + escrowColumns + ["closing", "trial_balance", "ties"])
        for (asset, row) in escrow.sorted(by: { $0.key.id < $1.key.id }) {
            var computed = row[0]
            try ExactSum.add(&computed, row[1])
            for column in 2...5 { try ExactSum.add(&computed, -row[column]) }
            escrowTable.rows.append([.text(asset.code)] + row.dropLast().map { .money($0, scale: asset.scale) }
                                    + [.money(computed, scale: asset.scale), .money(row[row.count - 1], scale: asset.scale), .text(computed == row[row.count - 1] ? "yes" : "no")])
        }
        var walletTable = ReportTable(name: "wallets", columns: ["mode", "asset", "opening"] + walletColumns + ["closing", "trial_balance", "ties"])
        for (key, row) in wallets.sorted(by: { $0.key < $1.key }) {
            var computed = row[0]
            for column in 1...4 { try ExactSum.add(&computed, row[column]) }
            for column in 5...6 { try ExactSum.add(&computed, -row[column]) }
            try ExactSum.add(&computed, row[7])
            walletTable.rows.append([.text(key.mode), .text(key.asset.code)] + row.dropLast().map { .money($0, scale: key.asset.scale) }
                                    + [.money(computed, scale: key.asset.scale), .money(row[row.count - 1], scale: key.asset.scale),
                                       .text(computed == row[row.count - 1] ? "yes" : "no")])
        }
        return FinanceReport(kind: "roll_forward", parameters: period.parameters, tables: [escrowTable, walletTable])
    }

    /// Closes a day or a month: the ledger freezes it (nothing can be stamped inside it any
    /// more) and its roll-forward is returned; it must tie, or the period stays open.
    public func closePeriod(named name: String, by closer: String) async throws(MarketplaceError) -> (ClosedPeriod, FinanceReport) {
        let period = try ReportPeriod(named: name)
        let rollForward = try rollForward(period)
        let untied = rollForward.tables.flatMap { table in table.rows.indices.filter { table.cell($0, "ties") != .text("yes") }.map { (table.name, $0) } }
        guard untied.isEmpty else {
            throw .conflict(field: "period", message: "the roll-forward of \(name) does not tie to the trial balance (\(untied.map { "\($0.0) row \($0.1)" }.joined(separator: ", "))); it stays open")
        }
        do {
            let closed = try await ledger.closePeriod(name: name, startsAt: period.from, endsAt: period.to, by: closer)
            return (closed, rollForward)
        } catch let error as PeriodError {
            switch error {
            case .alreadyClosed: throw .conflict(field: "period", message: error.description)
            case .notContiguous(_, let expected, _):
                throw .conflict(field: "period", message: "periods close in order: the next one to close starts at \(Timestamps.format(expected))")
            case .notEnded(_, let end, _):
                throw .validation(field: "period", message: "\(name) ends at \(Timestamps.format(end)); it cannot be closed before it has ended")
            case .empty: throw .validation(field: "period", message: error.description)
            }
        } catch {
            throw .internalError("closing \(name): \(error)")
        }
    }

    public func closedPeriods() throws(MarketplaceError) -> [ClosedPeriod] {
        try ledgerRead { try ledger.closedPeriods() }
    }

    /// Reverses all or part of a posted transfer as a correction, stamped in the open period,
    /// its metadata naming the transfer, the closed period it sits in (if any) and the reason.
    /// The same key twice corrects once.
    public func correct(transfer id: TransferID, amountMinor: Int64?, reason: String, key: String, by closer: String) async throws(MarketplaceError) -> Transfer {
        guard !reason.isEmpty, reason.count <= 500 else { throw .validation(field: "reason", message: "say why, in 1 to 500 characters") }
        guard let original = try ledgerRead({ try ledger.transfer(id) }) else { throw .notFound("no transfer \(id)") }
        guard original.flags.isEmpty || original.flags.contains(.postPending) else {
            throw .validation(field: "transfer", message: "transfer \(id) moved no posted money (a hold or a void); void or post its hold instead")
        }
        if let amountMinor, amountMinor <= 0 || amountMinor > original.amountMinor {
            throw .validation(field: "amount", message: "a correction reverses between 1 and \(original.amountMinor) minor units of transfer \(id)")
        }
        let period = try closedPeriods().first { $0.startsAt <= original.timestamp && original.timestamp < $0.endsAt }?.name
        var metadata = "{\"corrects\":\(id.rawValue)"
        if let period { metadata += ",\"period\":\(Self.quoted(period))" }
        metadata += ",\"reason\":\(Self.quoted(reason)),\"by\":\(Self.quoted(closer))}"
        let recorded = metadata
        let now = settlement.clock.nowMicros()
        let operation = try await store.transaction { transaction in
            try Operation.commit(key: "correction:\(key)", in: transaction, nowMicros: now) { first in
                [.reversal(id: first, of: id, amountMinor: amountMinor, code: RecipeCode.correction.rawValue, metadata: recorded)]
            }
        }
        guard let row = try ledgerRead({ try ledger.transfer(operation.firstTransferID) }) else {
            throw .internalError("the correction committed but cannot be read back")
        }
        return row
    }

    static func quoted(_ text: String) -> String {
        var output: [UInt8] = []
        JSONQuoter().write(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
