import Foundation
import GRDB

/// The kept answers in SQLite: the `idempotent_requests` table.
struct SQLiteIdempotentRequestStore: IdempotentRequestStore {
    let db: Database

    func save(_ answer: KeyedRequest.Answer, for keyed: KeyedRequest, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT OR REPLACE INTO idempotent_requests (scope, key, fingerprint, status, content_type, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [keyed.scope, keyed.key, keyed.fingerprint, answer.status, answer.contentType, answer.body, nowMicros])
    }

    func stored(scope: String, key: String, after cutoffMicros: Int64) throws -> (fingerprint: Data, answer: KeyedRequest.Answer?)? {
        let statement = try db.cachedStatement(sql: "SELECT fingerprint, status, content_type, body FROM idempotent_requests WHERE scope = ? AND key = ? AND created_at > ?")
        guard let row = try Row.fetchOne(statement, arguments: [scope, key, cutoffMicros]) else { return nil }
        let answer = (row["status"] as Int?).map { KeyedRequest.Answer(status: $0, contentType: row["content_type"], body: row["body"] ?? Data()) }
        return (row["fingerprint"], answer)
    }

    func prune(before cutoffMicros: Int64) throws -> Int {
        try db.run(sql: "DELETE FROM idempotent_requests WHERE created_at <= ?", arguments: [cutoffMicros])
        return db.changesCount
    }
}

extension Stores {
    var idempotentRequests: some IdempotentRequestStore { SQLiteIdempotentRequestStore(db: db) }
}
