public import LedgerCore

/// The finance team's view of the money: reports computed from the ledger alone (never from
/// marketplace tables), as of any time or over any period; reconciliation against what the
/// connectors say; period close and roll-forward; the journal for hledger and ledger-cli.
public struct FinanceService: Sendable {
    let settlement: SettlementService
    public var policy: ReconciliationPolicy

    public init(settlement: SettlementService, policy: ReconciliationPolicy = .standard) {
        self.settlement = settlement
        self.policy = policy
    }

    var ledger: Ledger { settlement.ledger }
    var store: MarketplaceStore { settlement.store }

    /// The caller may read finance: an admin, or a key with finance:read (admins only).
    public static func authorize(_ caller: Principal) throws(MarketplaceError) {
        guard caller.isAdmin || caller.scopes.contains(.financeRead) else { throw .forbidden("finance reports need the finance:read scope") }
    }

    func accounts() throws(MarketplaceError) -> LedgerAccounts {
        LedgerAccounts(try ledgerRead { try ledger.allAccounts() })
    }

    func ledgerRead<T>(_ body: () throws -> T) throws(MarketplaceError) -> T {
        do { return try body() } catch let error as MarketplaceError { throw error } catch { throw .internalError("ledger: \(error)") }
    }

    /// Every posted movement stamped in [from, to), in journal order.
    func forEachPosted(from: Int64, to: Int64, _ body: (Transfer) throws -> Void) throws(MarketplaceError) {
        try ledgerRead {
            try ledger.forEachTransfer(from: from, before: to) { transfer in
                guard transfer.flags.isEmpty || transfer.flags.contains(.postPending) else { return }
                try body(transfer)
            }
        }
    }
}

/// How a flow report groups time: by UTC day, by week (starting Monday), or by month.
public enum ReportGranularity: String, Sendable, CaseIterable {
    case day, week, month

    /// The period a time falls in, named by its first day ("2026-11-16" for a week, "2026-11" for a month).
    func bucket(_ micros: Int64) -> String {
        let days = Timestamps.days(micros)
        switch self {
        case .day: return Timestamps.date(days: days)
        case .week:
            // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays.
            let sinceMonday = ((days + 3) % 7 + 7) % 7
            return Timestamps.date(days: days - sinceMonday)
        case .month: return String(Timestamps.date(days: days).prefix(7))
        }
    }
}

/// A span of time a flow report covers: [from, to) in microseconds.
public struct ReportPeriod: Sendable, Hashable {
    public let from: Int64
    public let to: Int64

    public init(from: Int64, to: Int64) throws(MarketplaceError) {
        guard from < to else { throw .validation(field: "from", message: "from must be before to") }
        self.from = from
        self.to = to
    }

    /// A calendar period by name: a day ("2026-11-22") or a month ("2026-11"), in UTC.
    public init(named name: String) throws(MarketplaceError) {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false).map { Int64($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }), let year = parts[0], let month = parts[1],
              name.count == (parts.count == 2 ? 7 : 10), (1...12).contains(month) else {
            throw .validation(field: "period", message: "a period is a day (2026-11-22) or a month (2026-11)")
        }
        if parts.count == 3 {
            let day = parts[2]!
            let start = Timestamps.days(year: year, month: month, day: day)
            guard Timestamps.date(days: start) == name else { throw .validation(field: "period", message: "\(name) is not a date") }
            try self.init(from: start * 86_400_000_000, to: (start + 1) * 86_400_000_000)
        } else {
            let start = Timestamps.days(year: year, month: month, day: 1)
            let next = month == 12 ? Timestamps.days(year: year + 1, month: 1, day: 1) : Timestamps.days(year: year, month: month + 1, day: 1)
            try self.init(from: start * 86_400_000_000, to: next * 86_400_000_000)
        }
    }

    /// The month `asOf` falls in, from its first day up to and including `asOf` (UTC): the
    /// finance page's period when none is named.
    public static func monthToDate(_ asOf: Int64) throws(MarketplaceError) -> ReportPeriod {
        let month = String(Timestamps.date(days: Timestamps.days(asOf)).prefix(7))
        return try ReportPeriod(from: try ReportPeriod(named: month).from, to: asOf &+ 1)
    }

    var parameters: [(String, String)] { [("from", Timestamps.format(from)), ("to", Timestamps.format(to))] }
}
