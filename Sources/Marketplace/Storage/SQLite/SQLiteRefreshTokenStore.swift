import Foundation
import GRDB

/// The refresh tokens in SQLite: the `refresh_tokens` table.
struct SQLiteRefreshTokenStore: RefreshTokenStore {
    let db: Database

    func insert(tokenHash: Data, userID: String, mode: Mode, expiresAtMicros: Int64) throws {
        try db.run(sql: "INSERT INTO refresh_tokens (token_hash, user_id, mode, expires_at) VALUES (?, ?, ?, ?)",
                   arguments: [tokenHash, userID, mode.rawValue, expiresAtMicros])
    }

    func claim(tokenHash: Data, nowMicros: Int64) throws -> (userID: String, mode: Mode?)? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT user_id, mode, expires_at, used_at FROM refresh_tokens WHERE token_hash = ?"),
                                         arguments: [tokenHash]),
              (row["used_at"] as Int64?) == nil, (row["expires_at"] as Int64) > nowMicros else { return nil }
        try db.run(sql: "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?", arguments: [nowMicros, tokenHash])
        return (row["user_id"], Mode(rawValue: row["mode"]))
    }
}

extension Stores {
    var refreshTokens: some RefreshTokenStore { SQLiteRefreshTokenStore(db: db) }
}
