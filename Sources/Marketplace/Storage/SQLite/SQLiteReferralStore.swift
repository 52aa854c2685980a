import GRDB

/// The referrals in SQLite: the `referrals` table, with the referred users' names from `users`.
struct SQLiteReferralStore: ReferralStore {
    let db: Database

    func insert(referredID: String, referrerID: String, code: String, nowMicros: Int64) throws {
        try db.run(sql: "INSERT INTO referrals (referred_id, referrer_id, code, created_at) VALUES (?, ?, ?, ?)",
                   arguments: [referredID, referrerID, code, nowMicros])
    }

    func referrals(by referrerID: String, limit: Int) throws -> [Referral] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT r.referred_id, r.created_at, u.full_name, u.role FROM referrals r JOIN users u ON u.id = r.referred_id
            WHERE r.referrer_id = ? ORDER BY r.created_at DESC, r.referred_id DESC LIMIT ?
            """), arguments: [referrerID, limit]).map { row in
            Referral(referredID: row["referred_id"], fullName: row["full_name"], role: UserRole(rawValue: row["role"]) ?? .human,
                     createdAt: row["created_at"])
        }
    }

    func count(by referrerID: String) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT count(*) FROM referrals WHERE referrer_id = ?"), arguments: [referrerID]) ?? 0
    }
}

extension Stores {
    var referrals: some ReferralStore { SQLiteReferralStore(db: db) }
}
