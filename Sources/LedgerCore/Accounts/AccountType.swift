/// The five classes of account in double-entry bookkeeping.
public enum AccountType: String, Sendable, Hashable, Codable, CaseIterable {
    case asset, liability, equity, revenue, expense

    /// True when the account's balance grows with debits (assets and expenses).
    public var isDebitNormal: Bool { self == .asset || self == .expense }
}
