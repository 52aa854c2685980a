/// One platform account in the chart of accounts, exactly as `Ledger/chart-of-accounts.json` lists it.
public struct ChartEntry: Sendable, Hashable {
    /// The account's code, e.g. "clearing:stripe:USD".
    public let code: String
    public let role: AccountRole
    /// The connector the account belongs to ("stripe", "base", "test"), when it has one.
    public let connector: String?
    public let type: AccountType
    public let asset: Asset
    public let flags: AccountFlags
    /// One line saying what the account carries.
    public let description: String

    /// The owner kind every platform account is created with.
    public static let ownerKind = "platform"

    /// The account the ledger creates for this entry.
    public var newAccount: NewAccount {
        NewAccount(code: code, type: type, asset: asset, flags: flags, ownerKind: Self.ownerKind)
    }
}
