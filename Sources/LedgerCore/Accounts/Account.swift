/// A ledger account's identity, assigned by the ledger when the account is created.
public struct AccountID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// What a caller asks for when it opens an account. Creating the same code twice with the
/// same attributes returns the existing account; with other attributes it is a conflict.
public struct NewAccount: Sendable, Hashable, Codable {
    /// A unique, human-readable code from the chart of accounts, e.g. "wallet:user:42:USD".
    public var code: String
    public var type: AccountType
    public var asset: Asset
    public var flags: AccountFlags
    /// Who the account belongs to ("user", "task", "platform"), and their id.
    public var ownerKind: String?
    public var ownerID: String?

    /// The longest account code accepted.
    public static let codeLengthMax = 200

    public init(code: String, type: AccountType, asset: Asset, flags: AccountFlags = [], ownerKind: String? = nil, ownerID: String? = nil) {
        self.code = code
        self.type = type
        self.asset = asset
        self.flags = flags
        self.ownerKind = ownerKind
        self.ownerID = ownerID
    }
}

/// A ledger account with its balances as stored.
public struct Account: Sendable, Hashable, Codable {
    public let id: AccountID
    public let code: String
    public let type: AccountType
    public let asset: Asset
    public let flags: AccountFlags
    public let ownerKind: String?
    public let ownerID: String?
    /// Microseconds since 1970.
    public let createdAt: Int64
    public var balance: AccountBalance

    public init(id: AccountID, code: String, type: AccountType, asset: Asset, flags: AccountFlags, ownerKind: String?, ownerID: String?, createdAt: Int64, balance: AccountBalance) {
        self.id = id
        self.code = code
        self.type = type
        self.asset = asset
        self.flags = flags
        self.ownerKind = ownerKind
        self.ownerID = ownerID
        self.createdAt = createdAt
        self.balance = balance
    }

    /// True when this account was created from exactly these attributes.
    func matches(_ new: NewAccount) -> Bool {
        code == new.code && type == new.type && asset == new.asset && flags == new.flags
            && ownerKind == new.ownerKind && ownerID == new.ownerID
    }
}
