import GRDB

/// The outbox in SQLite: the `outbox_events`, `webhook_deliveries` and `webhook_attempts` tables;
/// an event's sequence number is its rowid.
struct SQLiteOutboxStore: OutboxStore {
    let db: Database

    func appendEvent(id: String, userID: String, mode: Mode, event: WebhookEvent, taskID: String?, data: String?, nowMicros: Int64) throws -> Int64 {
        try db.run(sql: "INSERT INTO outbox_events (id, user_id, mode, type, task_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   arguments: [id, userID, mode.rawValue, event.rawValue, taskID, data, nowMicros])
        return db.lastInsertedRowID
    }

    func addDelivery(seq: Int64, target: String, endpointID: String?, url: String, taskID: String?, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT OR IGNORE INTO webhook_deliveries (event_seq, target, endpoint_id, url, task_id, state, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)
            """, arguments: [seq, target, endpointID, url, taskID, nowMicros])
    }

    func deliveries(to target: String, limit: Int) throws -> [WebhookDelivery] {
        try Row.fetchAll(db, sql: """
            SELECT d.*, e.id AS event_id, e.type FROM webhook_deliveries d JOIN outbox_events e ON e.seq = d.event_seq
            WHERE d.target = ? ORDER BY d.event_seq DESC LIMIT ?
            """, arguments: [target, limit]).map(Self.delivery)
    }

    func delivery(_ id: Int64) throws -> WebhookDelivery? {
        try Row.fetchOne(db, sql: """
            SELECT d.*, e.id AS event_id, e.type FROM webhook_deliveries d JOIN outbox_events e ON e.seq = d.event_seq WHERE d.id = ?
            """, arguments: [id]).map(Self.delivery)
    }

    func redeliver(_ id: Int64, to target: String, nowMicros: Int64) throws -> Bool {
        try db.run(sql: "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, attempts = 0 WHERE id = ? AND target = ?",
                   arguments: [nowMicros, id, target])
        return db.changesCount == 1
    }

    func detach(endpoint id: String) throws {
        try db.run(sql: "UPDATE webhook_deliveries SET state = 'failed', last_error = 'the endpoint was deleted', endpoint_id = NULL WHERE endpoint_id = ? AND state = 'pending'",
                   arguments: [id])
        try db.run(sql: "UPDATE webhook_deliveries SET endpoint_id = NULL WHERE endpoint_id = ?", arguments: [id])
    }

    func due(nowMicros: Int64, limit: Int) throws -> [WebhookService.DueDelivery] {
        try Row.fetchAll(db, sql: """
            SELECT d.id, d.target, d.endpoint_id, d.url, d.attempts, e.id AS event_id, e.type, e.data, e.created_at, e.user_id, e.mode, e.task_id,
                   CASE WHEN d.endpoint_id IS NULL THEN (SELECT json_extract(t.spec, '$.callbackFormat') FROM tasks t WHERE t.id = e.task_id)
                        ELSE (SELECT w.format FROM webhook_endpoints w WHERE w.id = d.endpoint_id) END AS format,
                   (SELECT json_extract(t.spec, '$.title') FROM tasks t WHERE t.id = e.task_id) AS task_title
            FROM webhook_deliveries d JOIN outbox_events e ON e.seq = d.event_seq
            WHERE d.state = 'pending' AND d.next_attempt_at <= ?
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.target = d.target AND p.task_id IS d.task_id
                              AND p.event_seq < d.event_seq AND p.state = 'pending')
              AND (d.endpoint_id IS NULL OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = d.endpoint_id AND w.status = 'enabled'))
            ORDER BY d.event_seq LIMIT ?
            """, arguments: [nowMicros, limit]).map(Self.due)
    }

    func recordAttempt(deliveryID: Int64, attempt: Int, status: Int?, error: String?, durationMillis: Int64, nowMicros: Int64) throws {
        try db.run(sql: "INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, status, error, duration_ms, at) VALUES (?, ?, ?, ?, ?, ?)",
                   arguments: [deliveryID, attempt, status, error, durationMillis, nowMicros])
    }

    func markDelivered(_ id: Int64, attempts: Int, status: Int?, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE webhook_deliveries SET state = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?",
                   arguments: [attempts, status, nowMicros, id])
    }

    func markFailed(_ id: Int64, exhausted: Bool, attempts: Int, status: Int?, error: String?, nextAttemptAt: Int64) throws {
        try db.run(sql: """
            UPDATE webhook_deliveries SET state = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?
            """, arguments: [exhausted ? "failed" : "pending", attempts, status, error, nextAttemptAt, id])
    }

    /// A delivery from its row joined with its event's id and type.
    static func delivery(_ row: Row) -> WebhookDelivery {
        WebhookDelivery(id: row["id"], eventID: row["event_id"], event: row["type"], taskID: row["task_id"], state: row["state"], attempts: row["attempts"],
                        lastStatus: row["last_status"], lastError: row["last_error"], nextAttemptAt: row["next_attempt_at"], deliveredAt: row["delivered_at"])
    }

    /// A due delivery from its row joined with its event.
    static func due(_ row: Row) -> WebhookService.DueDelivery {
        WebhookService.DueDelivery(id: row["id"], target: row["target"], endpointID: row["endpoint_id"], url: row["url"], attempts: row["attempts"],
                                   eventID: row["event_id"], type: row["type"], data: row["data"], createdMicros: row["created_at"],
                                   userID: row["user_id"], mode: row["mode"], taskID: row["task_id"], format: row["format"], taskTitle: row["task_title"])
    }
}

extension Stores {
    var outbox: some OutboxStore { SQLiteOutboxStore(db: db) }
}
