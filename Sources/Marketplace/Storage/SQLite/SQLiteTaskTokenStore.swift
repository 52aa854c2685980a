import Foundation
import GRDB

/// The task tokens in SQLite: the `task_tokens` table, read with its tasks (and their funding).
struct SQLiteTaskTokenStore: TaskTokenStore {
    let db: Database

    func insert(tokenHash: Data, taskID: String, userID: String, clientAddress: String, nowMicros: Int64) throws {
        try db.run(sql: "INSERT INTO task_tokens (token_hash, task_id, user_id, client_address, created_at) VALUES (?, ?, ?, ?, ?)",
                   arguments: [tokenHash, taskID, userID, clientAddress, nowMicros])
    }

    func holder(ofTokenHash tokenHash: Data) throws -> (taskID: String, userID: String, mode: Mode?)? {
        let row = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT tt.task_id, tt.user_id, t.mode FROM task_tokens tt JOIN tasks t ON t.id = tt.task_id WHERE tt.token_hash = ?
            """), arguments: [tokenHash])
        return row.map { ($0["task_id"], $0["user_id"], Mode(rawValue: $0["mode"])) }
    }

    func unfundedCount(clientAddress: String) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: """
            SELECT COUNT(*) FROM task_tokens tt JOIN tasks t ON t.id = tt.task_id
            WHERE tt.client_address = ? AND t.status = 'published' AND NOT EXISTS (SELECT 1 FROM task_funding f WHERE f.task_id = t.id)
            """), arguments: [clientAddress]) ?? 0
    }
}

extension Stores {
    var taskTokens: some TaskTokenStore { SQLiteTaskTokenStore(db: db) }
}
