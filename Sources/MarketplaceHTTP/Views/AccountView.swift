public import LedgerCore
import Marketplace
public import MarketplaceViews

/// An account and its balances on the wire.
public struct AccountView: Codable, Sendable, Hashable {
    public let id: Int64
    public let code: String
    public let type: String
    public let asset: String
    public let constraints: [String]
    public let ownerKind: String?
    public let ownerId: String?
    public let createdAt: String
    public let balance: BalanceView

    public init(_ account: Account, balance: AccountBalance? = nil) {
        id = account.id.rawValue
        code = account.code
        type = account.type.rawValue
        asset = account.asset.code
        var constraints: [String] = []
        if account.flags.contains(.debitsMustNotExceedCredits) { constraints.append("debits_must_not_exceed_credits") }
        if account.flags.contains(.creditsMustNotExceedDebits) { constraints.append("credits_must_not_exceed_debits") }
        self.constraints = constraints
        ownerKind = account.ownerKind
        ownerId = account.ownerID
        createdAt = Timestamps.format(account.createdAt)
        self.balance = BalanceView(balance ?? account.balance, type: account.type, asset: account.asset)
    }
}

/// The four running totals and what follows from them, on the account's normal side.
public struct BalanceView: Codable, Sendable, Hashable {
    public let posted: MoneyView
    public let available: MoneyView
    public let pendingOutflows: MoneyView
    public let debitsPosted: MoneyView
    public let creditsPosted: MoneyView
    public let debitsPending: MoneyView
    public let creditsPending: MoneyView

    public init(_ balance: AccountBalance, type: AccountType, asset: Asset) {
        posted = MoneyView(minor: balance.posted(for: type), asset: asset)
        available = MoneyView(minor: balance.available(for: type), asset: asset)
        pendingOutflows = MoneyView(minor: balance.pendingOutflows(for: type), asset: asset)
        debitsPosted = MoneyView(minor: balance.debitsPosted, asset: asset)
        creditsPosted = MoneyView(minor: balance.creditsPosted, asset: asset)
        debitsPending = MoneyView(minor: balance.debitsPending, asset: asset)
        creditsPending = MoneyView(minor: balance.creditsPending, asset: asset)
    }
}
