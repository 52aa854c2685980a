import Foundation

/// Registration, login, token refresh, and turning a bearer credential into a `Principal`.
public struct AuthService: Sendable {
    /// How long a refresh token lives.
    public static let refreshTokenSeconds: Int64 = 30 * 24 * 3_600
    public static let refreshTokenPrefix = "rt_"

    let store: MarketplaceStore
    let tokens: TokenIssuer
    /// bcrypt, off the request threads and bounded; tests lower its cost, production keeps the default.
    let passwords: PasswordHasher

    public init(store: MarketplaceStore, tokens: TokenIssuer, bcryptCost: UInt8 = PasswordHasher.costStandard) {
        self.init(store: store, tokens: tokens, passwords: PasswordHasher(cost: bcryptCost))
    }

    /// With a hasher of the caller's (its cost and its bound on hashes at once).
    public init(store: MarketplaceStore, tokens: TokenIssuer, passwords: PasswordHasher) {
        self.store = store
        self.tokens = tokens
        self.passwords = passwords
    }

    /// Creates a user; the email must be free.
    public func register(_ registration: Registration) async throws(MarketplaceError) -> User {
        let (email, role) = try registration.validated()
        let referralCode = try registration.referralCode.map(ReferralCode.normalized)
        let user = User(id: Secrets.id("usr"), email: email, fullName: registration.fullName.trimmingWhitespace, role: role,
                        createdAt: Self.nowMicros(), referralCode: ReferralCode.make())
        let hash = await passwords.hash(registration.password)
        try await store.write { stores in
            try Self.insert(user, passwordHash: hash, referredWith: referralCode, stores)
        }
        return user
    }

    /// Adds a new user (the email must be free) and, with another user's code, their referral.
    /// An unknown code refuses the registration: nothing is written.
    static func insert(_ user: User, passwordHash: String, referredWith code: String?, _ stores: Stores) throws {
        guard try !stores.users.isEmailTaken(user.email) else {
            throw MarketplaceError.conflict(field: "email", message: "an account with this email exists")
        }
        let referrerID = try code.map { code in
            guard let id = try stores.users.userID(forReferralCode: code) else {
                throw MarketplaceError.validation(field: "referral_code", message: "no user has the referral code \(code)")
            }
            return id
        }
        try stores.users.insert(user, passwordHash: passwordHash)
        if let referrerID, let code {
            // The new user's id is new: nobody can refer themselves (the table checks it too).
            try stores.referrals.insert(referredID: user.id, referrerID: referrerID, code: code, nowMicros: user.createdAt)
        }
    }

    /// Registers an agent and makes its test-mode API key in one commit: both exist or neither
    /// does. The email must be free; without a password the account cannot log in.
    public func registerAgent(_ registration: AgentRegistration) async throws(MarketplaceError) -> RegisteredAgent {
        let (email, name, referralCode) = try registration.validated()
        let user = User(id: Secrets.id("usr"), email: email, fullName: name, role: .agent, createdAt: Self.nowMicros(),
                        referralCode: ReferralCode.make())
        let hash = if let password = registration.password { await passwords.hash(password) } else { Self.passwordHashNone }
        let key = KeyService.make(name: AgentRegistration.keyName, mode: .test, scopes: AgentRegistration.keyScopes, policy: nil)
        try await store.write { stores in
            try Self.insert(user, passwordHash: hash, referredWith: referralCode, stores)
            try KeyService.insert(key, userID: user.id, policy: nil, stores)
        }
        return RegisteredAgent(user: user, key: key)
    }

    /// The stored hash of an account without a password: not a bcrypt hash, so no password matches it.
    static let passwordHashNone = "!"

    /// Checks the password and opens a session in `mode`.
    public func login(email: String, password: String, mode: Mode) async throws(MarketplaceError) -> Session {
        let normalized = (try? Registration.normalizedEmail(email)) ?? email
        let credentials = try store.read { stores in try stores.users.credentials(email: normalized) }
        // The same answer for an unknown email and a wrong password.
        guard let credentials, await passwords.verify(password, hash: credentials.passwordHash) else {
            throw .unauthorized("email or password is wrong")
        }
        return try await openSession(userID: credentials.userID, mode: mode)
    }

    /// Trades a refresh token for a new session; each refresh token works once.
    public func refresh(_ refreshToken: String) async throws(MarketplaceError) -> Session {
        let hash = Secrets.hash(refreshToken)
        let now = Self.nowMicros()
        let claimed = try await store.write { stores in try stores.refreshTokens.claim(tokenHash: Data(hash), nowMicros: now) }
        guard let (userID, mode) = claimed, let mode else {
            throw .unauthorized("the refresh token is invalid, used or expired")
        }
        return try await openSession(userID: userID, mode: mode)
    }

    /// The user with this id.
    public func user(_ id: String) throws(MarketplaceError) -> User {
        guard let user = try store.read({ stores in try stores.users.fetch(id) }) else { throw .notFound("no such user") }
        return user
    }

    /// Makes the user with `email` an admin (from the command line only).
    public func grantAdmin(email: String) async throws(MarketplaceError) -> User {
        let normalized = try Registration.normalizedEmail(email)
        let id = try await store.write { stores in try stores.users.grantAdmin(email: normalized) }
        guard let id else { throw .notFound("no account with email \(normalized)") }
        return try user(id)
    }

    /// True when no account uses the address.
    public func isEmailAvailable(_ email: String) throws(MarketplaceError) -> Bool {
        let normalized = try Registration.normalizedEmail(email)
        return try store.read { stores in try !stores.users.isEmailTaken(normalized) }
    }

    /// The caller behind `Authorization: Bearer …`: an access token or an `sk_test_`/`sk_live_` key.
    public func authenticate(bearer: String) async throws(MarketplaceError) -> Principal {
        if bearer.hasPrefix(APIKey.testPrefix) || bearer.hasPrefix(APIKey.livePrefix) {
            return try KeyService(store: store).principal(forSecret: bearer)
        }
        if bearer.hasPrefix(AnonymousTask.tokenPrefix) {
            return try AnonymousTask.principal(forToken: bearer, store: store)
        }
        let (userID, mode, role, isAdmin) = try await tokens.verify(bearer)
        if let role, let isAdmin {
            return Principal(userID: userID, mode: mode, scopes: Set(Scope.allCases), credential: .session, role: role, isAdmin: isAdmin)
        }
        guard let standing = try store.read({ stores in try stores.users.standing(of: userID) }) else {
            throw .unauthorized("the account no longer exists")
        }
        return Principal(userID: userID, mode: mode, scopes: Set(Scope.allCases), credential: .session, role: standing.role, isAdmin: standing.isAdmin)
    }

    private func openSession(userID: String, mode: Mode) async throws(MarketplaceError) -> Session {
        let user = try user(userID)
        let refreshToken = Secrets.make(prefix: Self.refreshTokenPrefix)
        let expiresAt = Self.nowMicros() + Self.refreshTokenSeconds * 1_000_000
        try await store.write { stores in
            try stores.refreshTokens.insert(tokenHash: Data(Secrets.hash(refreshToken)), userID: userID, mode: mode, expiresAtMicros: expiresAt)
        }
        let isAdmin = try store.read { stores in try stores.users.isAdmin(userID) } ?? false
        let accessToken = try await tokens.accessToken(userID: userID, mode: mode, role: user.role, isAdmin: isAdmin)
        return Session(accessToken: accessToken, refreshToken: refreshToken, tokenType: "Bearer",
                       expiresIn: TokenIssuer.accessTokenSeconds, mode: mode, user: user)
    }

    static func nowMicros() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
}
