public import LedgerCore

/// Who a user is on the marketplace.
public enum UserRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// An AI agent that posts and funds tasks.
    case agent
    /// A person or company that posts and funds tasks.
    case client
    /// A person who does tasks.
    case human
}

/// A registered user, as the API shows it (never with the password hash).
public struct User: Sendable, Hashable, Codable {
    public let id: String
    public let email: String
    public let fullName: String
    public let role: UserRole
    /// Microseconds since 1970.
    public let createdAt: Int64
    /// The code others register with to be counted as this user's referrals (`ReferralCode`).
    public let referralCode: String
}

/// Test or live: picked by an API key's prefix or at login; the two never see each other's data.
public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
    case test, live
}

extension Mode {
    /// The ledger's name for this mode: which accounts its money lives in.
    public var ledger: LedgerMode { self == .test ? .test : .live }
}
