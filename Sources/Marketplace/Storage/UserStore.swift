/// The users: one row per account (its email, password hash, role and admin flag), the hidden
/// owners of anonymous tasks and the mock operator among them.
protocol UserStore {
    /// The user with this id, without its password hash.
    func fetch(_ id: String) throws -> User?
    /// True when an account already uses the (normalized) email.
    func isEmailTaken(_ email: String) throws -> Bool
    func insert(_ user: User, passwordHash: String) throws
    /// The id of the user whose referral code this is (normalized), nil for none.
    func userID(forReferralCode code: String) throws -> String?
    /// The id and password hash of the account with this email, for a login to check.
    func credentials(email: String) throws -> (userID: String, passwordHash: String)?
    /// The role and admin flag of a user (nil for none, or a role this code does not know).
    func standing(of id: String) throws -> (role: UserRole, isAdmin: Bool)?
    /// Whether the user is an admin (nil when there is no such user).
    func isAdmin(_ id: String) throws -> Bool?
    /// Makes the account with this email an admin; answers its id, nil when there is none.
    func grantAdmin(email: String) throws -> String?
    /// Adds the hidden agent that owns an anonymous task: it has no password anybody can match.
    func insertAnonymousOwner(id: String, email: String, nowMicros: Int64) throws
    /// Adds the mock operator's hidden human unless it exists.
    func ensureMockOperator(id: String, nowMicros: Int64) throws
    /// The full name of user `id`, nil when there is no such user or no name.
    func fullName(ofUser id: String) throws -> String?
}
