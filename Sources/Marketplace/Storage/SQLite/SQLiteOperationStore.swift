import Foundation
import GRDB
import LedgerCore

/// The operations in SQLite: the `operations` table, the batch as JSON text.
struct SQLiteOperationStore: OperationStore {
    let db: Database

    func find(key: String) throws -> Operation? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, key, batch, state FROM operations WHERE key = ?"), arguments: [key]).map(Self.decode)
    }

    func pending() throws -> [Operation] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT id, key, batch, state FROM operations WHERE state = 'pending' ORDER BY id")).map(Self.decode)
    }

    func key(of id: Int64) throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT key FROM operations WHERE id = ?"), arguments: [id])
    }

    /// Past both the table's highest id and the highest it ever had (AUTOINCREMENT's
    /// sqlite_sequence), so an id once given out is never given again.
    func nextID() throws -> Int64 {
        let next = try Int64.fetchOne(try db.cachedStatement(sql: """
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'operations'), 0), COALESCE((SELECT MAX(id) FROM operations), 0)) + 1
            """))
        return next ?? 1
    }

    func insert(_ operation: Operation, nowMicros: Int64) throws {
        try db.run(sql: "INSERT INTO operations (id, key, batch, state, created_at) VALUES (?, ?, ?, ?, ?)",
                   arguments: [operation.id, operation.key, try StoredJSON.string(operation.batch),
                               operation.isCommitted ? "committed" : "pending", nowMicros])
    }

    func markCommitted(_ id: Int64) throws {
        try db.run(sql: "UPDATE operations SET state = 'committed' WHERE id = ?", arguments: [id])
    }

    func forgetPending(_ id: Int64) throws {
        try db.run(sql: "DELETE FROM operations WHERE id = ? AND state = 'pending'", arguments: [id])
    }

    private static func decode(_ row: Row) throws -> Operation {
        let batch = try JSONDecoder().decode(TransferBatch.self, from: Data((row["batch"] as String).utf8))
        return Operation(id: row["id"], key: row["key"], batch: batch, isCommitted: (row["state"] as String) == "committed")
    }
}

extension Stores {
    var operations: some OperationStore { SQLiteOperationStore(db: db) }
}
