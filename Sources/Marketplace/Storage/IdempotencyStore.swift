import Crypto
public import Foundation
import GRDB
public import LedgerCore

/// Stored responses for `Idempotency-Key`: the first request with a key runs and its answer is
/// kept; a replay with the same method, path and body gets that answer again; the same key
/// with anything else is a conflict. Keys are per caller and kept for `retentionSeconds`.
public struct IdempotencyStore: Sendable {
    /// What to do with a request that carries a key.
    public enum Claim: Sendable, Hashable {
        /// First time: run it, then `finish` (or `abandon`).
        case proceed
        /// Seen before with the same request: answer this.
        case replay(status: Int, contentType: String?, body: Data)
        /// The key was used with another request.
        case mismatch
        /// The first request with this key has not answered yet.
        case inFlight
    }

    public static let keyLengthMax = 255
    public static let retentionSeconds: Int64 = 24 * 3_600

    let store: MarketplaceStore
    let clock: LedgerClock

    public init(store: MarketplaceStore, clock: LedgerClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// The SHA-256 of what makes two requests "the same": method, path with query, body.
    public static func fingerprint(method: String, path: String, body: some Sequence<UInt8>) -> Data {
        var hasher = SHA256()
        hasher.update(data: Array("\(method) \(path)\n".utf8))
        hasher.update(data: Array(body))
        return Data(hasher.finalize())
    }

    /// Claims `key` for the caller `scope`, or says why not.
    public func claim(scope: String, key: String, fingerprint: Data) async throws(MarketplaceError) -> Claim {
        guard !key.isEmpty, key.count <= Self.keyLengthMax else {
            throw .validation(field: "idempotency_key", message: "Idempotency-Key must be 1 to \(Self.keyLengthMax) characters")
        }
        let now = clock.nowMicros()
        let cutoff = now - Self.retentionSeconds * 1_000_000
        return try await store.write { db -> Claim in
            if let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM idempotent_requests WHERE scope = ? AND key = ? AND created_at > ?"),
                                          arguments: [scope, key, cutoff]) {
                guard (row["fingerprint"] as Data) == fingerprint else { return .mismatch }
                guard let status = row["status"] as Int? else { return .inFlight }
                return .replay(status: status, contentType: row["content_type"], body: row["body"] ?? Data())
            }
            try db.run(sql: """
                INSERT OR REPLACE INTO idempotent_requests (scope, key, fingerprint, created_at) VALUES (?, ?, ?, ?)
                """, arguments: [scope, key, fingerprint, now])
            return .proceed
        }
    }

    /// Keeps the answer to a claimed key.
    public func finish(scope: String, key: String, status: Int, contentType: String?, body: Data) async throws(MarketplaceError) {
        try await store.write { db in
            try db.run(sql: "UPDATE idempotent_requests SET status = ?, content_type = ?, body = ? WHERE scope = ? AND key = ?",
                           arguments: [status, contentType, body, scope, key])
        }
    }

    /// Releases a claimed key whose request failed on the server's side, so a retry runs again.
    public func abandon(scope: String, key: String) async {
        _ = try? await store.write { db in
            try db.run(sql: "DELETE FROM idempotent_requests WHERE scope = ? AND key = ? AND status IS NULL", arguments: [scope, key])
        }
    }

    /// Forgets keys older than the retention; returns how many.
    public func prune() async throws(MarketplaceError) -> Int {
        let cutoff = clock.nowMicros() - Self.retentionSeconds * 1_000_000
        return try await store.write { db in
            try db.run(sql: "DELETE FROM idempotent_requests WHERE created_at <= ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}
