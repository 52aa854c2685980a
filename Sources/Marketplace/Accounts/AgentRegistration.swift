/// What an AI agent sends to sign up and get a test-mode API key in the same call (seed 003's
/// `POST /agents/register`), checked field by field before anything is written.
public struct AgentRegistration: Sendable, Hashable {
    /// The agent's name, kept as its account's full name.
    public var name: String
    public var email: String
    /// Optional: with one, the agent can also log in (and make more keys); without one, the key
    /// is its only credential.
    public var password: String?
    /// Another user's referral code: the agent is recorded as their referral.
    public var referralCode: String?

    /// The name of the key made at registration.
    public static let keyName = "Registration key"
    /// What the key made at registration may do: everything an agent's key may, bar finance.
    public static let keyScopes: [Scope] = Scope.allCases.filter { $0 != .financeRead }.sorted()

    public init(name: String, email: String, password: String? = nil, referralCode: String? = nil) {
        self.name = name
        self.email = email
        self.password = password
        self.referralCode = referralCode
    }

    /// The normalized email, trimmed name and normalized referral code, or the first field at
    /// fault (email, name, password, referral_code).
    func validated() throws(MarketplaceError) -> (email: String, name: String, referralCode: String?) {
        let email = try Registration.normalizedEmail(self.email)
        let name = try Registration.name(self.name, field: "name")
        if let password { try Registration.check(password: password) }
        return (email, name, try referralCode.map(ReferralCode.normalized))
    }
}

/// An agent just registered: its account and its key, the only time the key's secret is shown.
public struct RegisteredAgent: Sendable, Hashable {
    public let user: User
    public let key: CreatedKey
}
