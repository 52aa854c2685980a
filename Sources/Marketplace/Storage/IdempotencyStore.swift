import Crypto
public import Foundation
import Synchronization
public import LedgerCore

/// Stored responses for `Idempotency-Key`: the first request with a key runs and its answer is
/// kept; a replay with the same method, path and body gets that answer again; the same key
/// with anything else is a conflict. Keys are per caller and kept for `retentionSeconds`.
///
/// Nothing is written to claim a key: a request in flight is known to this process only (one
/// process writes a database file, see `Ledger`), and the answer lands in the same commit as
/// the request's effect (`KeyedRequest`) or, for a write whose result the edge cannot render
/// inside the commit, in one commit of its own right after. A process that dies therefore
/// leaves a key either absent (the request had no effect; a retry runs it) or answered.
public struct IdempotencyStore: Sendable {
    /// What to do with a request that carries a key.
    public enum Claim: Sendable {
        /// First time: run it under this keyed request, then `finish` (or `end` when answered).
        case proceed(KeyedRequest)
        /// Seen before with the same request: answer this.
        case replay(KeyedRequest.Answer)
        /// The key was used with another request.
        case mismatch
        /// The first request with this key has not answered yet (in this process).
        case inFlight
    }

    public static let keyLengthMax = 255
    public static let retentionSeconds: Int64 = 24 * 3_600

    let store: MarketplaceStore
    let clock: LedgerClock
    private let inFlight = InFlightKeys()

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

    /// Claims `key` for the caller `scope` in this process, or says why not. Reads only.
    public func claim(scope: String, key: String, fingerprint: Data) throws(MarketplaceError) -> Claim {
        guard !key.isEmpty, key.count <= Self.keyLengthMax else {
            throw .validation(field: "idempotency_key", message: "Idempotency-Key must be 1 to \(Self.keyLengthMax) characters")
        }
        let keyed = KeyedRequest(scope: scope, key: key, fingerprint: fingerprint)
        guard inFlight.insert(keyed) else { return .inFlight }
        let cutoff = clock.nowMicros() - Self.retentionSeconds * 1_000_000
        let stored: (fingerprint: Data, answer: KeyedRequest.Answer?)?
        do {
            stored = try store.read { stores in try stores.idempotentRequests.stored(scope: scope, key: key, after: cutoff) }
        } catch {
            end(keyed)
            throw error
        }
        // A row without a status is a claim an earlier version committed before running: it
        // proves nothing was answered, so the request runs (and its row is replaced).
        guard let stored, let answer = stored.answer else { return .proceed(keyed) }
        end(keyed)
        return stored.fingerprint == fingerprint ? .replay(answer) : .mismatch
    }

    /// Keeps the answer to a request whose effect could not carry it, in a commit of its own,
    /// then ends the request.
    public func finish(_ keyed: KeyedRequest, with answer: KeyedRequest.Answer) async throws(MarketplaceError) {
        keyed.close()
        defer { end(keyed) }
        try await store.write { stores in try Self.save(answer, for: keyed, at: clock.nowMicros(), stores) }
    }

    /// Ends the request without storing anything more (its answer is stored, or it failed on
    /// the server's side and a retry should run it again).
    public func end(_ keyed: KeyedRequest) {
        keyed.close()
        inFlight.remove(keyed)
    }

    /// Writes the answer row inside the caller's transaction (the request's effect, or its own).
    static func save(_ answer: KeyedRequest.Answer, for keyed: KeyedRequest, at nowMicros: Int64, _ stores: Stores) throws {
        try stores.idempotentRequests.save(answer, for: keyed, nowMicros: nowMicros)
    }

    /// Forgets keys older than the retention; returns how many.
    public func prune() async throws(MarketplaceError) -> Int {
        let cutoff = clock.nowMicros() - Self.retentionSeconds * 1_000_000
        return try await store.write { stores in try stores.idempotentRequests.prune(before: cutoff) }
    }
}

/// The keys of the requests running in this process, by caller scope and key.
private final class InFlightKeys: Sendable {
    private let keys = Mutex<Set<String>>([])

    /// False when a request with the same scope and key is already running.
    func insert(_ keyed: KeyedRequest) -> Bool {
        keys.withLock { $0.insert(Self.name(keyed)).inserted }
    }

    func remove(_ keyed: KeyedRequest) {
        _ = keys.withLock { $0.remove(Self.name(keyed)) }
    }

    private static func name(_ keyed: KeyedRequest) -> String { "\(keyed.scope)\u{0}\(keyed.key)" }
}
