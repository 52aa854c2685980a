public import LedgerCore

/// What a ledger account is for, read from its chart-of-accounts code. Finance reports group
/// by this, so they need nothing but the ledger.
public enum AccountClass: Sendable, Hashable {
    /// Money at a connector: `clearing:{connector}:{asset}`.
    case clearing(connector: String)
    /// Withdrawals handed to a connector, not settled yet: `in-flight:payouts:{connector}:{asset}`.
    case payoutsInFlight(connector: String)
    /// What the platform owes a user: `wallet:user:{mode}:{user}:{asset}`.
    case wallet(mode: String, user: String)
    /// One task's funded money: `escrow:task:{task}`.
    case escrow(task: String)
    /// Platform fees earned: `revenue:fees:{asset}` (live) or `revenue:fees:test:{asset}`.
    /// Every platform account has a test-mode twin with `test` before its asset, and escrow
    /// `escrow:task:test:{task}`; `LedgerMode(code:)` tells them apart.
    case feeRevenue(mode: String)
    /// What a processor kept: `expense:processor-fees:{asset}`.
    case processorFees
    /// Gas paid on Base: `expense:gas:ETH`.
    case gas
    case equity
    case other

    public init(code: String) {
        var parts = code.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        // A test-mode platform account carries `test` before its asset ("expense:gas:test:ETH"),
        // a test-mode escrow before its task; the class is the same as the live one's.
        let platform = ["clearing", "in-flight", "revenue", "expense", "equity"]
        if let first = parts.first, platform.contains(first), parts.count >= 4, parts[parts.count - 2] == LedgerMode.testSegment {
            parts.remove(at: parts.count - 2)
        } else if parts.first == "escrow", parts.count == 4, parts[2] == LedgerMode.testSegment {
            parts.remove(at: 2)
        }
        switch (parts.first, parts.count) {
        case ("clearing", 3): self = .clearing(connector: parts[1])
        case ("in-flight", 4) where parts[1] == "payouts": self = .payoutsInFlight(connector: parts[2])
        case ("wallet", 5) where parts[1] == "user": self = .wallet(mode: parts[2], user: parts[3])
        case ("escrow", 3) where parts[1] == "task": self = .escrow(task: parts[2])
        case ("revenue", 3) where parts[1] == "fees": self = .feeRevenue(mode: LedgerMode(code: code).rawValue)
        case ("expense", 3) where parts[1] == "processor-fees": self = .processorFees
        case ("expense", 3) where parts[1] == "gas": self = .gas
        case ("equity", _): self = .equity
        default: self = .other
        }
    }

    /// The connector the account belongs to, when it belongs to one.
    var connector: String? {
        switch self {
        case .clearing(let connector), .payoutsInFlight(let connector): connector
        default: nil
        }
    }
}

/// Every ledger account by id, with its class: read once per report.
struct LedgerAccounts {
    let byID: [AccountID: Account]
    let classes: [AccountID: AccountClass]

    init(_ accounts: [Account]) {
        byID = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
        classes = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, AccountClass(code: $0.code)) })
    }

    subscript(_ id: AccountID) -> Account? { byID[id] }

    func kind(_ id: AccountID) -> AccountClass { classes[id] ?? .other }

    /// Test or live: which money the account holds.
    func mode(_ id: AccountID) -> LedgerMode { byID[id].map { LedgerMode(code: $0.code) } ?? .live }

    /// Accounts in code order (what a trial balance lists).
    var sorted: [Account] { byID.values.sorted { ($0.asset.id, $0.code) < ($1.asset.id, $1.code) } }
}

/// Sums money exactly: overflow is an error, never a wrap.
struct ExactSum {
    static func add(_ total: inout Int64, _ amount: Int64) throws(MarketplaceError) {
        do { total = try MinorUnits.add(total, amount) } catch { throw .internalError("a report total overflows: \(error)") }
    }
}
