import Foundation

/// The API keys: one row per key with its owner, mode, scopes, secret hash, last four
/// characters, spend policy and revocation time.
protocol APIKeyStore {
    /// How many of the user's keys are not revoked.
    func activeCount(userID: String) throws -> Int
    /// The key's spend policy, or nil when it has none.
    func spendPolicy(ofKey keyID: String) throws -> SpendPolicy?
    func insert(_ key: APIKey, userID: String, secretHash: Data, lastFour: String, policy: SpendPolicy?) throws
    /// The user's keys, newest first.
    func keys(of userID: String) throws -> [APIKey]
    /// Revokes the user's key unless it is revoked already; answers the key as it now is, nil
    /// when the user has no key with this id.
    func revoke(_ id: String, userID: String, nowMicros: Int64) throws -> APIKey?
    /// The caller an active key stands for (its owner's role and admin flag read alongside);
    /// nil for an unknown or revoked key, or one whose mode or owner's role is unreadable.
    func principal(forSecretHash secretHash: Data) throws -> Principal?
}
