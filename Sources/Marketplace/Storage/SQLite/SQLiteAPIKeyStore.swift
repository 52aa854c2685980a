import Foundation
import GRDB
import LedgerCore

/// The API keys in SQLite: the `api_keys` table, scopes as one space-separated text.
struct SQLiteAPIKeyStore: APIKeyStore {
    let db: Database

    func activeCount(userID: String) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM api_keys WHERE user_id = ? AND revoked_at IS NULL"),
                         arguments: [userID]) ?? 0
    }

    func insert(_ key: APIKey, userID: String, secretHash: Data, lastFour: String, policy: SpendPolicy?) throws {
        try db.run(sql: """
            INSERT INTO api_keys (id, user_id, name, mode, secret_hash, last_four, scopes, created_at, spend_asset, spend_per_task_minor,
                                  spend_per_day_minor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [key.id, userID, key.name, key.mode.rawValue, secretHash, lastFour,
                             key.scopes.map(\.rawValue).joined(separator: " "), key.createdAt, policy?.asset.code, policy?.perTaskMinor,
                             policy?.perDayMinor])
    }

    func keys(of userID: String) throws -> [APIKey] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id
            """), arguments: [userID]).map(Self.decode)
    }

    func revoke(_ id: String, userID: String, nowMicros: Int64) throws -> APIKey? {
        try db.run(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                   arguments: [nowMicros, id, userID])
        return try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT * FROM api_keys WHERE id = ? AND user_id = ?
            """), arguments: [id, userID]).map(Self.decode)
    }

    func spendPolicy(ofKey keyID: String) throws -> SpendPolicy? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT spend_asset, spend_per_task_minor, spend_per_day_minor FROM api_keys WHERE id = ?"),
                                         arguments: [keyID]),
              let asset = (row["spend_asset"] as String?).flatMap(Asset.named) else { return nil }
        return SpendPolicy(asset: asset, perTaskMinor: row["spend_per_task_minor"], perDayMinor: row["spend_per_day_minor"])
    }

    func principal(forSecretHash secretHash: Data) throws -> Principal? {
        let row = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT k.id, k.user_id, k.mode, k.scopes, u.role, u.is_admin FROM api_keys k JOIN users u ON u.id = k.user_id
            WHERE k.secret_hash = ? AND k.revoked_at IS NULL
            """), arguments: [secretHash])
        guard let row, let mode = Mode(rawValue: row["mode"]), let role = UserRole(rawValue: row["role"]) else { return nil }
        return Principal(userID: row["user_id"], mode: mode, scopes: Set(Self.scopes(row["scopes"])), credential: .apiKey(id: row["id"]),
                         role: role, isAdmin: row["is_admin"])
    }

    private static func scopes(_ text: String) -> [Scope] {
        text.split(separator: " ").compactMap { Scope(rawValue: String($0)) }
    }

    private static func decode(_ row: Row) -> APIKey {
        let mode = Mode(rawValue: row["mode"]) ?? .test
        let policy = (row["spend_asset"] as String?).flatMap(Asset.named).map { asset in
            SpendPolicy(asset: asset, perTaskMinor: row["spend_per_task_minor"], perDayMinor: row["spend_per_day_minor"])
        }
        return APIKey(id: row["id"], name: row["name"], mode: mode, scopes: scopes(row["scopes"]),
                      redacted: APIKey.prefix(for: mode) + "…" + (row["last_four"] as String), createdAt: row["created_at"],
                      revokedAt: row["revoked_at"], spendPolicy: policy.map(KeyService.view))
    }
}

extension Stores {
    var apiKeys: some APIKeyStore { SQLiteAPIKeyStore(db: db) }
}
