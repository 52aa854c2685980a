public import Connectors
import Foundation
public import LedgerCore

/// A stored reconciliation: what each connector's statement and the ledger agreed on, every
/// break, and how the breaks changed since the run before.
public struct ReconciliationRun: Sendable, Hashable {
    public let id: Int64
    public let startedAt: Int64
    public let from: Int64
    public let to: Int64
    public let connectors: [ConnectorMatch]
    /// Processor fees found in the statements and booked by this run.
    public let feesBookedMinor: Int64
    public let feeLinesBooked: Int
    public let breaks: [ReconciliationBreak]
    /// Fingerprints of breaks the previous run did not have.
    public let newBreaks: Set<String>
    /// Breaks of the previous run this one no longer finds.
    public let resolved: [ReconciliationBreak]
    public let previousRunID: Int64?

    public var isClean: Bool { breaks.isEmpty }
    public var matched: Int { connectors.reduce(0) { $0 + $1.matchedByReference + $1.matchedByAmount } }
}

extension FinanceService {
    /// Reconciles every configured connector over [from, to) (the whole history by default):
    /// books the processor fees its statement shows, matches statement and ledger by the
    /// rules, checks clearing and in-flight accounts for drift, stores the run and compares
    /// it with the last one.
    public func reconcile(from: Int64 = 0, to: Int64? = nil) async throws(MarketplaceError) -> ReconciliationRun {
        let now = settlement.clock.nowMicros()
        let end = to ?? now &+ 1
        guard from < end else { throw .validation(field: "from", message: "from must be before to") }
        let margin = policy.windowSeconds &* 1_000_000
        // Read both sides with a margin, so a line near an edge still finds its partner.
        let readFrom = from == 0 ? 0 : from &- margin
        let readTo = to == nil ? now &+ 366 * 86_400_000_000 : end &+ margin
        var statements: [String: [ReconciliationItem]] = [:]
        var noted: [ReconciliationBreak] = try callBreaks(from: from, to: end)
        var fees: (Int64, Int) = (0, 0)
        if let card = settlement.card {
            let lines: [StatementLine]
            do { lines = try await card.connector.statement(from: readFrom / 1_000_000, to: readTo / 1_000_000 + 1) } catch {
                throw error.isIndefinite ? .connectorUnavailable("\(card.connector.name) statement: \(error)") : SettlementService.refusal(error)
            }
            fees = try await settlement.bookFees(of: lines, connector: card.connector.name, mode: card.mode.ledger)
            statements[card.connector.name] = Self.items(stripe: lines)
            noted += Self.unbookedBreaks(lines, connector: card.connector.name, from: from, to: end)
        }
        if let chain = settlement.chain {
            let (items, unreported) = try await chainItems(chain)
            statements[chain.chain.name] = items
            noted += unreported.filter { $0.time >= from && $0.time < end }.map { receipt in
                ReconciliationBreak(kind: .feeUnreported, connector: chain.chain.name, reference: receipt.hash, asset: "ETH", ledgerMinor: nil, processorMinor: nil,
                                    detail: "the receipt of \(receipt.hash) has no l1Fee, though Base charges one to every signed transaction: its gas is booked without the L1 data fee; read the fee from a block explorer and book it")
            }
        }
        statements["test"] = try store.read { stores in try TestConnectorLog.items(from: readFrom, to: readTo, stores) }

        let accounts = try accounts()
        var ledgerItems: [String: [ReconciliationItem]] = [:]
        try forEachPosted(from: readFrom, to: min(readTo, now &+ 1)) { transfer in
            for (id, sign) in [(transfer.debitAccountID, Int64(1)), (transfer.creditAccountID, Int64(-1))] {
                guard case .clearing(let connector) = accounts.kind(id), let account = accounts[id] else { continue }
                ledgerItems[connector, default: []].append(Self.item(transfer, connector: connector, asset: account.asset, sign: sign))
            }
        }
        var matches: [ConnectorMatch] = []
        for connector in Set(statements.keys).union(ledgerItems.keys).sorted() {
            guard let statement = statements[connector] else {
                // Money booked at a connector this process cannot ask: say so, do not guess.
                if let items = ledgerItems[connector], !items.isEmpty {
                    var match = ConnectorMatch(connector: connector, ledgerItems: items.count)
                    match.breaks.append(ReconciliationBreak(kind: .missingAtProcessor, connector: connector, reference: "clearing:\(connector)", asset: items[0].asset,
                                                            ledgerMinor: nil, processorMinor: nil,
                                                            detail: "the ledger has \(items.count) movements at \(connector), but \(connector) is not configured here; run reconcile where it is"))
                    matches.append(match)
                }
                continue
            }
            matches.append(Matcher.match(connector: connector, ledger: ledgerItems[connector] ?? [], processor: statement, policy: policy, from: from, to: end))
        }
        let drift = try driftBreaks(accounts, asOf: min(end, now))
        for item in drift + noted {
            if let index = matches.firstIndex(where: { $0.connector == item.connector }) { matches[index].breaks.append(item) }
            else { matches.append(ConnectorMatch(connector: item.connector, breaks: [item])) }
        }
        return try await store(matches, fees: fees, from: from, to: end, startedAt: now)
    }

    /// Stripe's balance transactions as items: each line, and its fee as a line of its own.
    static func items(stripe lines: [StatementLine]) -> [ReconciliationItem] {
        var items: [ReconciliationItem] = []
        for line in lines {
            let asset = line.currency.uppercased()
            let time = line.createdSeconds &* 1_000_000
            let kind = switch line.kind {
            case .charge: "charge"
            case .refund: "refund"
            case .transfer: "transfer"
            case .transferReversal: "transfer_reversal"
            case .processorFee: "fee"
            default: line.kind.rawValue
            }
            if line.kind == .processorFee {
                items.append(ReconciliationItem(id: line.id, kind: kind, amountMinor: line.amountMinor, asset: asset, time: time,
                                                references: ["fee:\(line.id)"], label: "stripe fee"))
                continue
            }
            // A refund is tied by its own id only: through its payment intent it would join the
            // charge's group, and a missing refund would read as a wrong amount on the charge.
            // A line the ledger does not book is a named break of its own (unbookedBreaks), not
            // an item to match; its fee, booked like every fee, is.
            let related = line.kind == .refund ? [] : line.related
            if line.kind.isBooked {
                items.append(ReconciliationItem(id: line.id, kind: kind, amountMinor: line.amountMinor, asset: asset, time: time,
                                                references: [line.source ?? ""] + related, label: line.kind.rawValue))
            }
            if line.feeMinor > 0 {
                items.append(ReconciliationItem(id: "\(line.id)/fee", kind: "fee", amountMinor: -line.feeMinor, asset: asset, time: time,
                                                references: ["fee:\(line.id)"], label: "fee on \(line.kind.rawValue)"))
            }
        }
        return items
    }

    /// The chain's side: USDC Transfer logs into and out of the hot wallet, and the gas of every
    /// transaction the hot wallet signed (from their receipts).
    func chainItems(_ chain: ChainPayments) async throws(MarketplaceError) -> ([ReconciliationItem], [(hash: String, time: Int64)]) {
        let node = chain.chain
        do {
            let heads = try await node.heads()
            let first = chain.depositStartBlock ?? 0
            let incoming = try await node.incomingTransfers(to: node.hotWallet, from: first, through: heads.latest)
            let outgoing = try await node.outgoingTransfers(from: node.hotWallet, from: first, through: heads.latest)
            var blockTimes: [UInt64: Int64] = [:]
            func time(_ number: UInt64) async throws(ConnectorError) -> Int64 {
                if let known = blockTimes[number] { return known }
                let seconds = try await node.block(number)?.timestamp ?? heads.latestTimestamp
                blockTimes[number] = seconds &* 1_000_000
                return seconds &* 1_000_000
            }
            var items: [ReconciliationItem] = []
            for transfer in incoming where transfer.from.lowercased() != node.hotWallet.lowercased() {
                let hash = transfer.transactionHash.lowercased()
                items.append(ReconciliationItem(id: "\(hash):\(transfer.logIndex)", kind: "usdc_in", amountMinor: transfer.amountMinor, asset: "USDC",
                                                time: try await time(transfer.blockNumber), references: ["\(hash):\(transfer.logIndex)", hash],
                                                label: "USDC from \(transfer.from)"))
            }
            for transfer in outgoing where transfer.to.lowercased() != node.hotWallet.lowercased() {
                let hash = transfer.transactionHash.lowercased()
                items.append(ReconciliationItem(id: "\(hash):\(transfer.logIndex)", kind: "usdc_out", amountMinor: -transfer.amountMinor, asset: "USDC",
                                                time: try await time(transfer.blockNumber), references: [hash], label: "USDC to \(transfer.to)"))
            }
            let hashes = try store.read { stores in try stores.chainTransactions.allHashes() }
            var unreported: [(hash: String, time: Int64)] = []
            for hash in hashes {
                guard let receipt = try await node.receipt(of: hash) else { continue }
                if receipt.l1FeeUnreported { unreported.append((hash.lowercased(), try await time(receipt.blockNumber))) }
                let (gwei, remainder) = receipt.feeWei.quotientAndRemainder(dividingBy: 1_000_000_000)
                let rounded = Int64(gwei) + (remainder > 0 ? 1 : 0)
                guard rounded > 0 else { continue }
                items.append(ReconciliationItem(id: hash.lowercased(), kind: "gas", amountMinor: -rounded, asset: "ETH",
                                                time: try await time(receipt.blockNumber), references: ["gas:\(hash.lowercased())"], label: "gas"))
            }
            return (items, unreported)
        } catch let error as ConnectorError {
            throw error.isIndefinite ? .connectorUnavailable("\(node.name) statement: \(error)") : SettlementService.refusal(error)
        } catch let error as MarketplaceError {
            throw error
        } catch {
            throw .internalError("\(node.name) statement: \(error)")
        }
    }

    /// A ledger movement on `connector`'s clearing account as an item, its references read
    /// from the transfer's metadata.
    static func item(_ transfer: Transfer, connector: String, asset: Asset, sign: Int64) -> ReconciliationItem {
        let metadata = transfer.metadata
        let field = { (name: String) in metadataField(name, in: metadata) ?? "" }
        let recipe = RecipeCode(rawValue: transfer.code)
        var references = ["transfer:\(transfer.id.rawValue)"]
        let kind: String
        switch connector {
        case "test":
            kind = sign > 0 ? "in" : "out"
        case _ where asset == .eth:
            // Gas is its own line: the same hash's USDC transfer is another.
            kind = recipe == .gas ? "gas" : "other"
            if recipe == .gas { references.append("gas:\(field("reference").lowercased())") }
        case _ where field("transaction").hasPrefix("0x"):
            let hash = field("transaction").lowercased()
            kind = sign > 0 ? "usdc_in" : "usdc_out"
            references.append(hash)
            if let index = metadataNumber("log_index", in: metadata) { references.append("\(hash):\(index)") }
        default:
            switch recipe {
            case .processorFee:
                kind = "fee"
                references = ["transfer:\(transfer.id.rawValue)", "fee:\(field("line"))"]
            case .refundPost: kind = "refund"
            case .withdrawalSettle: kind = "transfer"
            case .payoutReturned: kind = "transfer_reversal"
            case .deposit where metadata?.contains("\"reversal\":true") == true: kind = "transfer_reversal"
            default: kind = sign > 0 ? "charge" : "other"
            }
            if recipe != .processorFee {
                references += [field("session"), field("payment_intent"), field("refund"), field("transfer")]
            }
        }
        return ReconciliationItem(id: "#\(transfer.id.rawValue)", kind: kind, amountMinor: sign &* transfer.amountMinor, asset: asset.code,
                                  time: transfer.timestamp, references: references, label: recipe.map { "\($0)" } ?? "code \(transfer.code)")
    }

    /// A whole-number field of a transfer's JSON metadata.
    static func metadataNumber(_ name: String, in metadata: String?) -> Int64? {
        guard let metadata, let range = metadata.range(of: "\"\(name)\":") else { return nil }
        return Int64(metadata[range.upperBound...].prefix { $0.isNumber })
    }

    /// Holds on clearing and in-flight accounts still open after the drift limit (an intent
    /// whose outcome never came), and in-flight accounts that have not been back to zero since.
    func driftBreaks(_ accounts: LedgerAccounts, asOf: Int64) throws(MarketplaceError) -> [ReconciliationBreak] {
        let limit = asOf &- policy.driftDays &* 86_400_000_000
        var open: [TransferID: Transfer] = [:]
        var inFlight: [AccountID: (balance: Int64, nonZeroSince: Int64)] = [:]
        func watched(_ id: AccountID) -> String? {
            switch accounts.kind(id) {
            case .clearing(let connector), .payoutsInFlight(let connector): connector
            default: nil
            }
        }
        try ledgerRead {
            try ledger.forEachTransfer(before: asOf &+ 1) { transfer in
                if transfer.flags.contains(.pending) {
                    if watched(transfer.debitAccountID) != nil || watched(transfer.creditAccountID) != nil { open[transfer.id] = transfer }
                } else if let pending = transfer.pendingID {
                    open[pending] = nil
                }
                guard transfer.flags.isEmpty || transfer.flags.contains(.postPending) else { return }
                for (id, sign) in [(transfer.creditAccountID, Int64(1)), (transfer.debitAccountID, Int64(-1))] {
                    guard case .payoutsInFlight = accounts.kind(id) else { continue }
                    var entry = inFlight[id] ?? (0, transfer.timestamp)
                    if entry.balance == 0 { entry.nonZeroSince = transfer.timestamp }
                    entry.balance &+= sign &* transfer.amountMinor
                    inFlight[id] = entry
                }
            }
        }
        var breaks: [ReconciliationBreak] = []
        for hold in open.values.sorted(by: { $0.seq < $1.seq }) where hold.timestamp < limit {
            let side = watched(hold.debitAccountID) != nil ? hold.debitAccountID : hold.creditAccountID
            guard let account = accounts[side], let connector = watched(side) else { continue }
            let days = (asOf - hold.timestamp) / 86_400_000_000
            breaks.append(ReconciliationBreak(kind: .clearingDrift, connector: connector, reference: "#\(hold.id.rawValue)", asset: account.asset.code,
                                              ledgerMinor: hold.amountMinor, processorMinor: nil,
                                              detail: "\(account.code) has held \(MinorUnits.format(hold.amountMinor, scale: account.asset.scale)) \(account.asset.code) under pending transfer #\(hold.id.rawValue) (\(RecipeCode(rawValue: hold.code).map { "\($0)" } ?? "code \(hold.code)")) for \(days) days; ask \(connector) what became of it and post or void it"))
        }
        for (id, entry) in inFlight.sorted(by: { $0.key < $1.key }) where entry.balance != 0 && entry.nonZeroSince < limit {
            guard let account = accounts[id], let connector = watched(id) else { continue }
            breaks.append(ReconciliationBreak(kind: .clearingDrift, connector: connector, reference: account.code, asset: account.asset.code,
                                              ledgerMinor: entry.balance, processorMinor: nil,
                                              detail: "\(account.code) has not returned to zero since \(Timestamps.format(entry.nonZeroSince)); find the payout posted without its settlement"))
        }
        return breaks
    }

    /// Stores the run and its breaks, and compares them with the previous run.
    private func store(_ matches: [ConnectorMatch], fees: (Int64, Int), from: Int64, to: Int64, startedAt: Int64) async throws(MarketplaceError) -> ReconciliationRun {
        let breaks = matches.flatMap(\.breaks)
        let matched = matches.reduce(0) { $0 + $1.matchedByReference + $1.matchedByAmount }
        let summary = matches.map(\.summaryLine).joined(separator: "; ")
        let (id, previousID, previous) = try await store.write { stores -> (Int64, Int64?, [ReconciliationBreak]) in
            let previousID = try stores.reconciliations.lastRunID()
            let previous = try previousID.map { try Self.breaks(ofRun: $0, stores) } ?? []
            let id = try stores.reconciliations.insertRun(startedAt: startedAt, from: from, to: to, connectors: matches.map(\.connector).joined(separator: ","),
                                                          matched: matched, breakCount: breaks.count, summary: summary)
            for item in breaks { try stores.reconciliations.insertBreak(item, runID: id) }
            return (id, previousID, previous)
        }
        let before = Set(previous.map(\.fingerprint))
        let now = Set(breaks.map(\.fingerprint))
        return ReconciliationRun(id: id, startedAt: startedAt, from: from, to: to, connectors: matches, feesBookedMinor: fees.0, feeLinesBooked: fees.1,
                                 breaks: breaks, newBreaks: now.subtracting(before), resolved: previous.filter { !now.contains($0.fingerprint) },
                                 previousRunID: previousID)
    }

    static func breaks(ofRun id: Int64, _ stores: Stores) throws -> [ReconciliationBreak] {
        try stores.reconciliations.breaks(ofRun: id)
    }

    /// The last stored run's breaks and summary, or nil before the first run.
    public func lastReconciliation() throws(MarketplaceError) -> (id: Int64, startedAt: Int64, summary: String, breaks: [ReconciliationBreak])? {
        try store.read { stores in
            guard let run = try stores.reconciliations.lastRun() else { return nil }
            return (run.id, run.startedAt, run.summary, try Self.breaks(ofRun: run.id, stores))
        }
    }
}

extension ReconciliationRun {
    /// The run as a report: its breaks (new or seen before), each connector's counts, and what was resolved.
    public func report() -> FinanceReport {
        func amount(_ minor: Int64?, _ asset: String) -> ReportCell {
            guard let minor else { return .empty }
            return Asset.named(asset).map { .money(minor, scale: $0.scale) } ?? .count(minor)
        }
        var breakTable = ReportTable(name: "breaks", columns: ["kind", "connector", "reference", "asset", "ledger_amount", "processor_amount", "status", "detail"])
        for item in breaks {
            breakTable.rows.append([.text(item.kind.rawValue), .text(item.connector), .text(item.reference), .text(item.asset), amount(item.ledgerMinor, item.asset),
                                    amount(item.processorMinor, item.asset), .text(newBreaks.contains(item.fingerprint) ? "new" : "seen before"), .text(item.detail)])
        }
        var connectorTable = ReportTable(name: "connectors", columns: ["connector", "ledger_items", "statement_items", "matched_by_reference", "matched_by_amount", "breaks"])
        for match in connectors {
            connectorTable.rows.append([.text(match.connector), .count(Int64(match.ledgerItems)), .count(Int64(match.processorItems)),
                                        .count(Int64(match.matchedByReference)), .count(Int64(match.matchedByAmount)), .count(Int64(match.breaks.count))])
        }
        var resolvedTable = ReportTable(name: "resolved", columns: ["kind", "connector", "reference", "detail"])
        for item in resolved { resolvedTable.rows.append([.text(item.kind.rawValue), .text(item.connector), .text(item.reference), .text(item.detail)]) }
        return FinanceReport(kind: "reconciliation", parameters: [("run", String(id)), ("from", Timestamps.format(from)), ("to", Timestamps.format(to)),
                                                                  ("fees_booked_minor", String(feesBookedMinor)),
                                                                  ("previous_run", previousRunID.map(String.init) ?? "")],
                             tables: [breakTable, connectorTable, resolvedTable])
    }
}
