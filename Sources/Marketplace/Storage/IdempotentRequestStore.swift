import Foundation

/// The answers kept for `Idempotency-Key`: one per caller scope and key, with the fingerprint of
/// the request that made it and when it was stored.
protocol IdempotentRequestStore {
    /// Stores (or replaces) the answer to `keyed`, made at `nowMicros`.
    func save(_ answer: KeyedRequest.Answer, for keyed: KeyedRequest, nowMicros: Int64) throws
    /// The fingerprint and answer stored for `key` of `scope` after `cutoffMicros`; the answer
    /// is nil for a claim an earlier version committed before running the request.
    func stored(scope: String, key: String, after cutoffMicros: Int64) throws -> (fingerprint: Data, answer: KeyedRequest.Answer?)?
    /// Forgets the answers stored at or before `cutoffMicros`; answers how many.
    func prune(before cutoffMicros: Int64) throws -> Int
}
