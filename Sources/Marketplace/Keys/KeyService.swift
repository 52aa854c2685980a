import Foundation
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
        let created = Self.make(name: name, mode: mode, scopes: scopes, policy: policy)
        try await store.write { stores in
            guard try stores.apiKeys.activeCount(userID: caller.userID) < APIKey.activeKeysMax else {
                throw MarketplaceError.limitExceeded(field: nil, message: "at most \(APIKey.activeKeysMax) active keys; revoke one first")
            }
            try Self.insert(created, userID: caller.userID, policy: policy, stores)
        }
        return created
    }

    /// A new key and its secret, not yet stored.
    static func make(name: String, mode: Mode, scopes: [Scope], policy: SpendPolicy?) -> CreatedKey {
        let secret = Secrets.make(prefix: APIKey.prefix(for: mode))
        let key = APIKey(id: Secrets.id("key"), name: name, mode: mode, scopes: scopes, redacted: Self.redact(secret),
                         createdAt: AuthService.nowMicros(), revokedAt: nil, spendPolicy: policy.map(Self.view))
        return CreatedKey(key: key, secret: secret)
    }

    /// Stores a key made by `make`: only its secret's hash and last four characters.
    static func insert(_ created: CreatedKey, userID: String, policy: SpendPolicy?, _ stores: Stores) throws {
        try stores.apiKeys.insert(created.key, userID: userID, secretHash: Data(Secrets.hash(created.secret)),
                                  lastFour: String(created.secret.suffix(4)), policy: policy)
    }

    /// The caller's keys, newest first, redacted.
    public func list(for caller: Principal) throws(MarketplaceError) -> [APIKey] {
        try caller.requireSession()
        return try store.read { stores in try stores.apiKeys.keys(of: caller.userID) }
    }

    /// Revokes one of the caller's keys; another user's key is "not found".
    public func revoke(_ id: String, for caller: Principal) async throws(MarketplaceError) -> APIKey {
        try caller.requireSession()
        return try await store.write { stores in
            guard let key = try stores.apiKeys.revoke(id, userID: caller.userID, nowMicros: AuthService.nowMicros()) else {
                throw MarketplaceError.notFound("no such key")
            }
            return key
        }
    }

    /// The caller a secret stands for; revoked and unknown keys are refused alike.
    func principal(forSecret secret: String) throws(MarketplaceError) -> Principal {
        guard let principal = try store.read({ stores in try stores.apiKeys.principal(forSecretHash: Data(Secrets.hash(secret))) }) else {
            throw .unauthorized("the API key is invalid or revoked")
        }
        return principal
    }

    static func redact(_ secret: String) -> String {
        let prefix = secret.hasPrefix(APIKey.testPrefix) ? APIKey.testPrefix : APIKey.livePrefix
        return prefix + "…" + secret.suffix(4)
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
