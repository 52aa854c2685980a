import Foundation
import GRDB
import LedgerCore

/// Creates, lists and revokes API keys; resolves a key's secret to the caller it stands for.
public struct KeyService: Sendable {
    let store: MarketplaceStore

    public init(store: MarketplaceStore) { self.store = store }

    /// Creates a key for the caller's user; refuses an 11th active key.
    public func create(for caller: Principal, name: String, scopes: [String], mode: String,
                       spendPolicy: KeySpendPolicy? = nil) async throws(MarketplaceError) -> CreatedKey {
        try caller.requireSession()
        let name = name.trimmingWhitespace
        guard !name.isEmpty, name.count <= APIKey.nameLengthMax else {
            throw .validation(field: "name", message: "name must be 1 to \(APIKey.nameLengthMax) characters")
        }
        let scopes = try Scope.parse(scopes).sorted()
        guard caller.isAdmin || !scopes.contains(.financeRead) else {
            throw .forbidden("finance:read is granted to admins' keys only")
        }
        guard let mode = Mode(rawValue: mode) else { throw .validation(field: "mode", message: "mode must be test or live") }
        let policy = try spendPolicy.map(Self.validated)
        let secret = Secrets.make(prefix: APIKey.prefix(for: mode))
        let key = APIKey(id: Secrets.id("key"), name: name, mode: mode, scopes: scopes, redacted: Self.redact(secret),
                         createdAt: AuthService.nowMicros(), revokedAt: nil, spendPolicy: policy.map(Self.view))
        try await store.writeDB { db in
            let active = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM api_keys WHERE user_id = ? AND revoked_at IS NULL"),
                                          arguments: [caller.userID]) ?? 0
            guard active < APIKey.activeKeysMax else {
                throw MarketplaceError.limitExceeded(field: nil, message: "at most \(APIKey.activeKeysMax) active keys; revoke one first")
            }
            try db.run(sql: """
                INSERT INTO api_keys (id, user_id, name, mode, secret_hash, last_four, scopes, created_at, spend_asset, spend_per_task_minor,
                                      spend_per_day_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.id, caller.userID, key.name, mode.rawValue, Data(Secrets.hash(secret)), String(secret.suffix(4)),
                                 scopes.map(\.rawValue).joined(separator: " "), key.createdAt, policy?.asset.code, policy?.perTaskMinor,
                                 policy?.perDayMinor])
        }
        return CreatedKey(key: key, secret: secret)
    }

    /// The caller's keys, newest first, redacted.
    public func list(for caller: Principal) throws(MarketplaceError) -> [APIKey] {
        try caller.requireSession()
        return try store.readDB { db in
            try Row.fetchAll(try db.cachedStatement(sql: """
                SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id
                """), arguments: [caller.userID]).map(Self.key)
        }
    }

    /// Revokes one of the caller's keys; another user's key is "not found".
    public func revoke(_ id: String, for caller: Principal) async throws(MarketplaceError) -> APIKey {
        try caller.requireSession()
        return try await store.writeDB { db in
            try db.run(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                           arguments: [AuthService.nowMicros(), id, caller.userID])
            guard let row = try Row.fetchOne(try db.cachedStatement(sql: """
                SELECT * FROM api_keys WHERE id = ? AND user_id = ?
                """), arguments: [id, caller.userID]) else { throw MarketplaceError.notFound("no such key") }
            return Self.key(row)
        }
    }

    /// The caller a secret stands for; revoked and unknown keys are refused alike.
    func principal(forSecret secret: String) throws(MarketplaceError) -> Principal {
        let row = try store.readDB { db in
            try Row.fetchOne(try db.cachedStatement(sql: """
                SELECT k.id, k.user_id, k.mode, k.scopes, u.role, u.is_admin FROM api_keys k JOIN users u ON u.id = k.user_id
                WHERE k.secret_hash = ? AND k.revoked_at IS NULL
                """), arguments: [Data(Secrets.hash(secret))])
        }
        guard let row, let mode = Mode(rawValue: row["mode"]), let role = UserRole(rawValue: row["role"]) else {
            throw .unauthorized("the API key is invalid or revoked")
        }
        let scopes = (row["scopes"] as String).split(separator: " ").compactMap { Scope(rawValue: String($0)) }
        return Principal(userID: row["user_id"], mode: mode, scopes: Set(scopes), credential: .apiKey(id: row["id"]), role: role,
                         isAdmin: row["is_admin"])
    }

    static func redact(_ secret: String) -> String {
        let prefix = secret.hasPrefix(APIKey.testPrefix) ? APIKey.testPrefix : APIKey.livePrefix
        return prefix + "…" + secret.suffix(4)
    }

    private static func key(_ row: Row) -> APIKey {
        let mode = Mode(rawValue: row["mode"]) ?? .test
        let policy = (row["spend_asset"] as String?).flatMap(Asset.named).map { asset in
            SpendPolicy(asset: asset, perTaskMinor: row["spend_per_task_minor"], perDayMinor: row["spend_per_day_minor"])
        }
        return APIKey(id: row["id"], name: row["name"], mode: mode,
                      scopes: (row["scopes"] as String).split(separator: " ").compactMap { Scope(rawValue: String($0)) },
                      redacted: APIKey.prefix(for: mode) + "…" + (row["last_four"] as String), createdAt: row["created_at"],
                      revokedAt: row["revoked_at"], spendPolicy: policy.map(view))
    }

    /// Parses a spend policy: a wallet currency and at least one positive cap, exactly.
    static func validated(_ policy: KeySpendPolicy) throws(MarketplaceError) -> SpendPolicy {
        guard let asset = Asset.named(policy.currency), SettlementService.walletAssets.contains(asset) else {
            throw .validation(field: "spend_policy.currency", message: "spend_policy.currency must be USD or USDC")
        }
        func cap(_ text: String?, _ field: String) throws(MarketplaceError) -> Int64? {
            guard let text else { return nil }
            let minor: Int64
            do { minor = try MinorUnits.parse(text, scale: asset.scale) } catch { throw .validation(field: field, message: "\(field): \(error)") }
            guard minor > 0 else { throw .validation(field: field, message: "\(field) must be greater than zero") }
            return minor
        }
        let perTask = try cap(policy.perTask, "spend_policy.per_task")
        let perDay = try cap(policy.perDay, "spend_policy.per_day")
        guard perTask != nil || perDay != nil else {
            throw .validation(field: "spend_policy", message: "a spend policy needs per_task, per_day or both")
        }
        return SpendPolicy(asset: asset, perTaskMinor: perTask, perDayMinor: perDay)
    }

    static func view(_ policy: SpendPolicy) -> KeySpendPolicy {
        KeySpendPolicy(currency: policy.asset.code, perTask: policy.perTaskMinor.map { MinorUnits.format($0, scale: policy.asset.scale) },
                       perDay: policy.perDayMinor.map { MinorUnits.format($0, scale: policy.asset.scale) })
    }
}
