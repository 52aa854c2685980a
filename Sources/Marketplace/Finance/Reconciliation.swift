public import Connectors
public import LedgerCore

/// How reconciliation matches and when it calls a clearing account stuck.
public struct ReconciliationPolicy: Sendable, Hashable {
    /// Two lines with no reference in common may match on amount and currency when their
    /// times are at most this far apart.
    public var windowSeconds: Int64
    /// The largest difference in minor units still matched on amount (0: exact).
    public var toleranceMinor: Int64
    /// A hold on a clearing or in-flight account, or an in-flight balance, older than this is drift.
    public var driftDays: Int64

    public init(windowSeconds: Int64 = 3 * 86_400, toleranceMinor: Int64 = 0, driftDays: Int64 = 3) {
        self.windowSeconds = windowSeconds
        self.toleranceMinor = toleranceMinor
        self.driftDays = driftDays
    }

    public static let standard = ReconciliationPolicy()
}

/// One line on either side: a ledger movement on a connector's clearing account, or a line
/// of the connector's statement. Amounts are signed as the platform's money at the connector
/// moved (in > 0), in the asset's minor units.
public struct ReconciliationItem: Sendable, Hashable {
    public let id: String
    /// What it is, for matching on amount: only items of the same kind match without a reference.
    public let kind: String
    public let amountMinor: Int64
    public let asset: String
    /// Microseconds since 1970.
    public let time: Int64
    /// Ids that tie it to the other side (payment intent, refund, transfer, tx hash + log index).
    public let references: [String]
    /// How a person names it (recipe, balance-transaction type).
    public let label: String

    public init(id: String, kind: String, amountMinor: Int64, asset: String, time: Int64, references: [String], label: String) {
        self.id = id
        self.kind = kind
        self.amountMinor = amountMinor
        self.asset = asset
        self.time = time
        self.references = references.filter { !$0.isEmpty }
        self.label = label
    }
}

/// Something the ledger and a connector disagree on, with what to look at.
public struct ReconciliationBreak: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case missingInLedger = "missing_in_ledger"
        case missingAtProcessor = "missing_at_processor"
        case amountMismatch = "amount_mismatch"
        case currencyMismatch = "currency_mismatch"
        case duplicated
        case clearingDrift = "clearing_drift"
        /// Statement lines of money the marketplace's recipes do not move, each named by what
        /// it is (see `StatementLine.Kind`): finance books or explains them.
        case platformIncome = "platform_income"
        case bankPayout = "bank_payout"
        case reserve
        case adjustment
        case unusedProduct = "unused_product"
        case unknownType = "unknown_type"
        /// A connector call whose last send or read failed; it is being retried.
        case callRetrying = "call_retrying"
        /// A connector call failed for support after its last attempt (its intent voided).
        case callGivenUp = "call_given_up"
        /// A paid funding whose amount, currency or mode was not its intent's: never posted.
        case fundingRefused = "funding_refused"
        /// An event of the other mode: nothing acted on.
        case eventRefused = "event_refused"
        /// A receipt on a chain whose receipts carry an L1 fee, without one: read as 0.
        case feeUnreported = "fee_unreported"

        /// The break for a statement line the ledger does not book; nil for one it does.
        public init?(unbooked kind: StatementLine.Kind) {
            switch kind {
            case .charge, .refund, .transfer, .transferReversal, .processorFee: return nil
            case .platformIncome: self = .platformIncome
            case .bankPayout: self = .bankPayout
            case .reserve: self = .reserve
            case .adjustment: self = .adjustment
            case .unusedProduct: self = .unusedProduct
            case .unknownType: self = .unknownType
            }
        }
    }

    public let kind: Kind
    public let connector: String
    /// The id to search for: the processor's line or object, the ledger transfer, the account.
    public let reference: String
    public let asset: String
    public let ledgerMinor: Int64?
    public let processorMinor: Int64?
    public let detail: String

    /// Stable across runs, so the next run can say which breaks are new and which are gone.
    public var fingerprint: String { "\(kind.rawValue)|\(connector)|\(reference)" }
}

/// What one pass of the matching rules found for one connector.
public struct ConnectorMatch: Sendable, Hashable {
    public var connector: String
    public var ledgerItems = 0
    public var processorItems = 0
    /// Groups matched on a shared reference (one to one, or one to many with equal sums).
    public var matchedByReference = 0
    /// Pairs matched on amount, currency and time.
    public var matchedByAmount = 0
    public var breaks: [ReconciliationBreak] = []
    /// How many breaks, when read back from a stored run's summary (which keeps the counts, the
    /// breaks themselves being stored one per row).
    public var breakCount: Int { breaks.isEmpty ? storedBreakCount : breaks.count }
    private var storedBreakCount = 0

    public init(connector: String, ledgerItems: Int = 0, processorItems: Int = 0, breaks: [ReconciliationBreak] = []) {
        self.connector = connector
        self.ledgerItems = ledgerItems
        self.processorItems = processorItems
        self.breaks = breaks
    }

    /// The counts as a stored run's summary keeps them:
    /// "stripe: 3 ledger, 3 statement, 2 by reference, 1 by amount, 0 breaks".
    var summaryLine: String {
        "\(connector): \(ledgerItems) ledger, \(processorItems) statement, \(matchedByReference) by reference, \(matchedByAmount) by amount, \(breakCount) breaks"
    }

    /// Reads back one `summaryLine`; nil for any other text.
    init?(summaryLine line: Substring) {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let counts = line[line.index(after: colon)...].split(separator: ",").map { $0.split(separator: " ") }
        let labels = [["ledger"], ["statement"], ["by", "reference"], ["by", "amount"], ["breaks"]]
        guard counts.count == labels.count else { return nil }
        var numbers: [Int] = []
        for (words, label) in zip(counts, labels) {
            guard words.count == label.count + 1, let number = Int(words[0]), words.dropFirst().map(String.init) == label else { return nil }
            numbers.append(number)
        }
        self.init(connector: String(line[..<colon]), ledgerItems: numbers[0], processorItems: numbers[1])
        matchedByReference = numbers[2]
        matchedByAmount = numbers[3]
        storedBreakCount = numbers[4]
    }

    /// Every connector's counts in a stored run's summary, in its order.
    static func parse(summary: String) -> [ConnectorMatch] {
        summary.split(separator: ";").compactMap { ConnectorMatch(summaryLine: $0.drop { $0 == " " }) }
    }
}

enum Matcher {
    /// Matches `ledger` against `processor`: first every group of items linked by a shared
    /// reference (one to one, or one to many when the sums agree); then what is left on amount,
    /// currency and time within the window; the rest is missing on the other side. Only
    /// items stamped in [from, to) can be a break: the margins are read to find their partners.
    static func match(connector: String, ledger: [ReconciliationItem], processor: [ReconciliationItem], policy: ReconciliationPolicy,
                      from: Int64, to: Int64) -> ConnectorMatch {
        var result = ConnectorMatch(connector: connector, ledgerItems: ledger.count, processorItems: processor.count)
        let all = ledger + processor
        let ledgerCount = ledger.count
        // Union-find over items that share a reference.
        var parent = Array(all.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index { parent[index] = parent[parent[index]]; index = parent[index] }
            return index
        }
        var owner: [String: Int] = [:]
        for (index, item) in all.enumerated() {
            for reference in item.references {
                if let other = owner[reference] { parent[root(index)] = root(other) } else { owner[reference] = index }
            }
        }
        var groups: [Int: [Int]] = [:]
        for index in all.indices { groups[root(index), default: []].append(index) }
        var leftLedger: [Int] = []
        var leftProcessor: [Int] = []
        func inScope(_ indices: [Int]) -> Bool { indices.contains { all[$0].time >= from && all[$0].time < to } }
        func money(_ minor: Int64?, _ asset: String) -> String {
            guard let minor else { return "nothing" }
            return Asset.named(asset).map { "\(MinorUnits.format(minor, scale: $0.scale)) \(asset)" } ?? "\(minor) \(asset) minor units"
        }

        for (_, members) in groups.sorted(by: { $0.key < $1.key }) {
            let mine = members.filter { $0 < ledgerCount }
            let theirs = members.filter { $0 >= ledgerCount }
            guard !mine.isEmpty, !theirs.isEmpty else {
                leftLedger += mine
                leftProcessor += theirs
                continue
            }
            let ledgerSum = mine.reduce(Int64(0)) { $0 &+ all[$1].amountMinor }
            let processorSum = theirs.reduce(Int64(0)) { $0 &+ all[$1].amountMinor }
            let assets = Set(members.map { all[$0].asset })
            let reference = all[theirs[0]].references.first ?? all[theirs[0]].id
            let asset = all[mine[0]].asset
            let names = "ledger \(mine.map { all[$0].id }.joined(separator: ", ")); \(connector) \(theirs.map { all[$0].id }.joined(separator: ", "))"
            if assets.count > 1 {
                guard inScope(members) else { continue }
                result.breaks.append(ReconciliationBreak(kind: .currencyMismatch, connector: connector, reference: reference, asset: assets.sorted().joined(separator: "/"),
                                                         ledgerMinor: ledgerSum, processorMinor: processorSum,
                                                         detail: "the ledger booked \(Set(mine.map { all[$0].asset }).sorted()) and \(connector) \(Set(theirs.map { all[$0].asset }).sorted()): \(names)"))
                continue
            }
            if abs(ledgerSum &- processorSum) <= policy.toleranceMinor {
                result.matchedByReference += 1
                continue
            }
            guard inScope(members) else { continue }
            // The same amount booked more than once on one side is a duplicate, not a wrong amount.
            let processorAmounts = theirs.map { all[$0].amountMinor }
            let ledgerAmounts = mine.map { all[$0].amountMinor }
            if theirs.count > mine.count, Set(processorAmounts).count == 1, processorAmounts[0] &* Int64(mine.count) == ledgerSum {
                result.breaks.append(ReconciliationBreak(kind: .duplicated, connector: connector, reference: reference, asset: asset,
                                                         ledgerMinor: ledgerSum, processorMinor: processorSum,
                                                         detail: "\(connector) booked \(theirs.count) lines for what the ledger booked \(mine.count) time(s): \(names); refund or reverse the extra one at \(connector)"))
            } else if mine.count > theirs.count, Set(ledgerAmounts).count == 1, ledgerAmounts[0] &* Int64(theirs.count) == processorSum {
                result.breaks.append(ReconciliationBreak(kind: .duplicated, connector: connector, reference: reference, asset: asset,
                                                         ledgerMinor: ledgerSum, processorMinor: processorSum,
                                                         detail: "the ledger booked \(mine.count) transfers for \(theirs.count) \(connector) line(s): \(names); correct the extra transfer"))
            } else {
                result.breaks.append(ReconciliationBreak(kind: .amountMismatch, connector: connector, reference: reference, asset: asset,
                                                         ledgerMinor: ledgerSum, processorMinor: processorSum,
                                                         detail: "the ledger has \(money(ledgerSum, asset)), \(connector) \(money(processorSum, asset)) (difference \(money(processorSum &- ledgerSum, asset))): \(names)"))
            }
        }

        // Amount, currency and time, closest in time first, within one kind of line: each
        // ledger item looks only at the processor's leftovers of its own kind and asset.
        var unmatchedProcessor = Set(leftProcessor)
        let byKind = Dictionary(grouping: leftProcessor) { "\(all[$0].kind)|\(all[$0].asset)" }
        for index in leftLedger.sorted(by: { all[$0].time < all[$1].time }) {
            let item = all[index]
            let candidate = (byKind["\(item.kind)|\(item.asset)"] ?? []).filter { other in
                unmatchedProcessor.contains(other) && abs(all[other].amountMinor &- item.amountMinor) <= policy.toleranceMinor
                    && abs(all[other].time &- item.time) <= policy.windowSeconds &* 1_000_000
            }.min { (abs(all[$0].time &- item.time), $0) < (abs(all[$1].time &- item.time), $1) }
            if let candidate {
                unmatchedProcessor.remove(candidate)
                result.matchedByAmount += 1
                continue
            }
            guard item.time >= from && item.time < to else { continue }
            // Name it by what the processor would know it as, when the ledger recorded that.
            let reference = item.references.first { !$0.hasPrefix("transfer:") } ?? item.references.first ?? item.id
            result.breaks.append(ReconciliationBreak(kind: .missingAtProcessor, connector: connector, reference: reference, asset: item.asset,
                                                     ledgerMinor: item.amountMinor, processorMinor: nil,
                                                     detail: "ledger \(item.id) (\(item.label), \(money(item.amountMinor, item.asset)) at \(Timestamps.format(item.time))) has no line at \(connector); look for it in \(connector)'s dashboard or reverse it"))
        }
        for index in unmatchedProcessor.sorted() {
            let item = all[index]
            guard item.time >= from && item.time < to else { continue }
            result.breaks.append(ReconciliationBreak(kind: .missingInLedger, connector: connector, reference: item.references.first ?? item.id, asset: item.asset,
                                                     ledgerMinor: nil, processorMinor: item.amountMinor,
                                                     detail: "\(connector) line \(item.id) (\(item.label), \(money(item.amountMinor, item.asset)) at \(Timestamps.format(item.time))) is not in the ledger; find who moved it and book it"))
        }
        return result
    }
}
