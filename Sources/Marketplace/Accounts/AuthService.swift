import Foundation
import GRDB

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
        let user = User(id: Secrets.id("usr"), email: email, fullName: registration.fullName.trimmingWhitespace, role: role,
                        createdAt: Self.nowMicros())
        let hash = await passwords.hash(registration.password)
        try await store.writeDB { db in
            guard try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM users WHERE email = ?"), arguments: [email]) != true else {
                throw MarketplaceError.conflict(field: "email", message: "an account with this email exists")
            }
            try db.run(sql: "INSERT INTO users (id, email, password_hash, full_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [user.id, user.email, hash, user.fullName, user.role.rawValue, user.createdAt])
        }
        return user
    }

    /// Checks the password and opens a session in `mode`.
    public func login(email: String, password: String, mode: Mode) async throws(MarketplaceError) -> Session {
        let normalized = (try? Registration.normalizedEmail(email)) ?? email
        let row = try store.readDB { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, password_hash FROM users WHERE email = ?"), arguments: [normalized])
        }
        // The same answer for an unknown email and a wrong password.
        guard let row, await passwords.verify(password, hash: row["password_hash"]) else {
            throw .unauthorized("email or password is wrong")
        }
        return try await openSession(userID: row["id"], mode: mode)
    }

    /// Trades a refresh token for a new session; each refresh token works once.
    public func refresh(_ refreshToken: String) async throws(MarketplaceError) -> Session {
        let hash = Secrets.hash(refreshToken)
        let now = Self.nowMicros()
        let claimed = try await store.writeDB { db -> (String, String)? in
            guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT user_id, mode, expires_at, used_at FROM refresh_tokens WHERE token_hash = ?"),
                                             arguments: [Data(hash)]),
                  (row["used_at"] as Int64?) == nil, (row["expires_at"] as Int64) > now else { return nil }
            try db.run(sql: "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?", arguments: [now, Data(hash)])
            return (row["user_id"], row["mode"])
        }
        guard let (userID, modeName) = claimed, let mode = Mode(rawValue: modeName) else {
            throw .unauthorized("the refresh token is invalid, used or expired")
        }
        return try await openSession(userID: userID, mode: mode)
    }

    /// The user with this id.
    public func user(_ id: String) throws(MarketplaceError) -> User {
        let row = try store.readDB { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, email, full_name, role, created_at FROM users WHERE id = ?"), arguments: [id])
        }
        guard let row else { throw .notFound("no such user") }
        return User(id: row["id"], email: row["email"], fullName: row["full_name"], role: UserRole(rawValue: row["role"]) ?? .human,
                    createdAt: row["created_at"])
    }

    /// Makes the user with `email` an admin (from the command line only).
    public func grantAdmin(email: String) async throws(MarketplaceError) -> User {
        let normalized = try Registration.normalizedEmail(email)
        let id = try await store.writeDB { db -> String? in
            try db.run(sql: "UPDATE users SET is_admin = 1 WHERE email = ?", arguments: [normalized])
            return try String.fetchOne(try db.cachedStatement(sql: "SELECT id FROM users WHERE email = ?"), arguments: [normalized])
        }
        guard let id else { throw .notFound("no account with email \(normalized)") }
        return try user(id)
    }

    /// True when no account uses the address.
    public func isEmailAvailable(_ email: String) throws(MarketplaceError) -> Bool {
        let normalized = try Registration.normalizedEmail(email)
        return try store.readDB { db in try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM users WHERE email = ?"), arguments: [normalized]) != true }
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
        let row = try store.readDB { db in try Row.fetchOne(try db.cachedStatement(sql: "SELECT role, is_admin FROM users WHERE id = ?"), arguments: [userID]) }
        guard let row, let role = UserRole(rawValue: row["role"]) else { throw .unauthorized("the account no longer exists") }
        return Principal(userID: userID, mode: mode, scopes: Set(Scope.allCases), credential: .session, role: role, isAdmin: row["is_admin"])
    }

    private func openSession(userID: String, mode: Mode) async throws(MarketplaceError) -> Session {
        let user = try user(userID)
        let refreshToken = Secrets.make(prefix: Self.refreshTokenPrefix)
        let expiresAt = Self.nowMicros() + Self.refreshTokenSeconds * 1_000_000
        try await store.writeDB { db in
            try db.run(sql: "INSERT INTO refresh_tokens (token_hash, user_id, mode, expires_at) VALUES (?, ?, ?, ?)",
                           arguments: [Data(Secrets.hash(refreshToken)), userID, mode.rawValue, expiresAt])
        }
        let isAdmin = try store.readDB { db in try Bool.fetchOne(try db.cachedStatement(sql: "SELECT is_admin FROM users WHERE id = ?"), arguments: [userID]) } ?? false
        let accessToken = try await tokens.accessToken(userID: userID, mode: mode, role: user.role, isAdmin: isAdmin)
        return Session(accessToken: accessToken, refreshToken: refreshToken, tokenType: "Bearer",
                       expiresIn: TokenIssuer.accessTokenSeconds, mode: mode, user: user)
    }

    static func nowMicros() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
}
