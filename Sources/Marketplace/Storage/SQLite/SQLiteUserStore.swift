import GRDB

/// The users in SQLite: the `users` table.
struct SQLiteUserStore: UserStore {
    let db: Database

    func fetch(_ id: String) throws -> User? {
        let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, email, full_name, role, created_at, referral_code FROM users WHERE id = ?"),
                                   arguments: [id])
        guard let row else { return nil }
        return User(id: row["id"], email: row["email"], fullName: row["full_name"], role: UserRole(rawValue: row["role"]) ?? .human,
                    createdAt: row["created_at"], referralCode: row["referral_code"])
    }

    func isEmailTaken(_ email: String) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM users WHERE email = ?"), arguments: [email]) == true
    }

    func insert(_ user: User, passwordHash: String) throws {
        try db.run(sql: "INSERT INTO users (id, email, password_hash, full_name, role, created_at, referral_code) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   arguments: [user.id, user.email, passwordHash, user.fullName, user.role.rawValue, user.createdAt, user.referralCode])
    }

    func userID(forReferralCode code: String) throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT id FROM users WHERE referral_code = ?"), arguments: [code])
    }

    func credentials(email: String) throws -> (userID: String, passwordHash: String)? {
        let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, password_hash FROM users WHERE email = ?"), arguments: [email])
        return row.map { ($0["id"], $0["password_hash"]) }
    }

    func standing(of id: String) throws -> (role: UserRole, isAdmin: Bool)? {
        let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT role, is_admin FROM users WHERE id = ?"), arguments: [id])
        guard let row, let role = UserRole(rawValue: row["role"]) else { return nil }
        return (role, row["is_admin"])
    }

    func isAdmin(_ id: String) throws -> Bool? {
        try Bool.fetchOne(try db.cachedStatement(sql: "SELECT is_admin FROM users WHERE id = ?"), arguments: [id])
    }

    func grantAdmin(email: String) throws -> String? {
        try db.run(sql: "UPDATE users SET is_admin = 1 WHERE email = ?", arguments: [email])
        return try String.fetchOne(try db.cachedStatement(sql: "SELECT id FROM users WHERE email = ?"), arguments: [email])
    }

    func insertAnonymousOwner(id: String, email: String, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT INTO users (id, email, password_hash, full_name, role, created_at, referral_code)
            VALUES (?, ?, '!', 'Anonymous', 'agent', ?, ?)
            """, arguments: [id, email, nowMicros, ReferralCode.make()])
    }

    func ensureMockOperator(id: String, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT OR IGNORE INTO users (id, email, password_hash, full_name, role, created_at, referral_code)
            VALUES (?, 'mock-operator@marketplace.invalid', '!', 'Mock operator', 'human', ?, ?)
            """, arguments: [id, nowMicros, ReferralCode.make()])
    }

    func fullName(ofUser id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT full_name FROM users WHERE id = ?", arguments: [id])
    }
}

extension Stores {
    var users: some UserStore { SQLiteUserStore(db: db) }
}
