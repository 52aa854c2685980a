import GRDB

/// The notifications in SQLite: the `notifications` table.
struct SQLiteNotificationStore: NotificationStore {
    let db: Database

    func insert(id: String, kind: Notification.Kind, userID: String, mode: Mode, taskID: String?, text: String, nowMicros: Int64) throws {
        try db.run(sql: "INSERT INTO notifications (id, user_id, mode, kind, task_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   arguments: [id, userID, mode.rawValue, kind.rawValue, taskID, text, nowMicros])
    }

    func list(userID: String, mode: Mode, unreadOnly: Bool) throws -> [Notification] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT * FROM notifications WHERE user_id = ? AND mode = ? \(unreadOnly ? "AND read_at IS NULL" : "")
            ORDER BY created_at DESC, rowid DESC LIMIT 200
            """), arguments: [userID, mode.rawValue]).map(Self.decode)
    }

    func unreadCount(userID: String, mode: Mode) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND mode = ? AND read_at IS NULL"),
                         arguments: [userID, mode.rawValue]) ?? 0
    }

    func markRead(_ id: String, userID: String, mode: Mode, nowMicros: Int64) throws -> Notification? {
        try db.run(sql: "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ? AND mode = ?",
                   arguments: [nowMicros, id, userID, mode.rawValue])
        return try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM notifications WHERE id = ? AND user_id = ? AND mode = ?"),
                                arguments: [id, userID, mode.rawValue]).map(Self.decode)
    }

    func markAllRead(userID: String, mode: Mode, nowMicros: Int64) throws -> Int {
        try db.run(sql: "UPDATE notifications SET read_at = ? WHERE user_id = ? AND mode = ? AND read_at IS NULL",
                   arguments: [nowMicros, userID, mode.rawValue])
        return db.changesCount
    }

    static func decode(_ row: Row) -> Notification {
        Notification(id: row["id"], kind: Notification.Kind(rawValue: row["kind"]) ?? .messageReceived, taskID: row["task_id"], text: row["text"],
                     createdAt: row["created_at"], readAt: row["read_at"])
    }
}

extension Stores {
    var notifications: some NotificationStore { SQLiteNotificationStore(db: db) }
}
