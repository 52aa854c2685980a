import GRDB

/// The messages in SQLite: the `messages` table.
struct SQLiteMessageStore: MessageStore {
    let db: Database

    func insert(id: String, taskID: String, applicantID: String, senderID: String, body: String, nowMicros: Int64) throws {
        try db.run(sql: "INSERT INTO messages (id, task_id, applicant_id, sender_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   arguments: [id, taskID, applicantID, senderID, body, nowMicros])
    }

    func fetch(_ id: String) throws -> Message? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM messages WHERE id = ?"), arguments: [id]).map(Self.decode)
    }

    func thread(taskID: String, applicantID: String) throws -> [Message] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM messages WHERE task_id = ? AND applicant_id = ? ORDER BY created_at, rowid LIMIT 1000"),
                         arguments: [taskID, applicantID]).map(Self.decode)
    }

    static func decode(_ row: Row) -> Message {
        Message(id: row["id"], taskID: row["task_id"], applicantID: row["applicant_id"], senderID: row["sender_id"], body: row["body"],
                createdAt: row["created_at"])
    }
}

extension Stores {
    var messages: some MessageStore { SQLiteMessageStore(db: db) }
}
