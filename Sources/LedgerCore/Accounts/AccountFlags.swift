/// Constraints an account enforces on every transfer that touches it.
public struct AccountFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Pending plus posted debits may never exceed posted credits (a wallet cannot go below zero).
    public static let debitsMustNotExceedCredits = AccountFlags(rawValue: 1)
    /// Pending plus posted credits may never exceed posted debits.
    public static let creditsMustNotExceedDebits = AccountFlags(rawValue: 2)

    static let known: AccountFlags = [.debitsMustNotExceedCredits, .creditsMustNotExceedDebits]
}
