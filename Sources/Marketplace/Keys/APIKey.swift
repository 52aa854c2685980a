/// An API key as listed: never the secret, only its prefix and last four characters.
public struct APIKey: Sendable, Hashable, Codable {
    public static let testPrefix = "sk_test_"
    public static let livePrefix = "sk_live_"
    /// The most keys one user may have active at once.
    public static let activeKeysMax = 10
    public static let nameLengthMax = 100

    public let id: String
    public let name: String
    public let mode: Mode
    public let scopes: [Scope]
    /// The secret redacted, e.g. `sk_test_…x9Qa`.
    public let redacted: String
    public let createdAt: Int64
    public let revokedAt: Int64?
    /// Caps on what the key may fund without the account owner's approval.
    public let spendPolicy: KeySpendPolicy?

    static func prefix(for mode: Mode) -> String { mode == .test ? testPrefix : livePrefix }
}

/// A key just created: the only time its secret is shown.
public struct CreatedKey: Sendable, Hashable, Codable {
    public let key: APIKey
    public let secret: String
}

/// A key's spend policy as the API reads and shows it: exact decimal caps in one currency.
public struct KeySpendPolicy: Sendable, Hashable, Codable {
    public let currency: String
    public let perTask: String?
    public let perDay: String?

    public init(currency: String, perTask: String?, perDay: String?) {
        self.currency = currency
        self.perTask = perTask
        self.perDay = perDay
    }
}
