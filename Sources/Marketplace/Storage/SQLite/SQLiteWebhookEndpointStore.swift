import Foundation
import GRDB

/// The webhook endpoints in SQLite: the `webhook_endpoints` table, the event types as JSON text.
struct SQLiteWebhookEndpointStore: WebhookEndpointStore {
    let db: Database

    func count(ofUser userID: String, mode: Mode) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_endpoints WHERE user_id = ? AND mode = ?", arguments: [userID, mode.rawValue]) ?? 0
    }

    func insert(id: String, userID: String, mode: Mode, url: String, events: [String], description: String?, secretSealed: String,
                format: String, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT INTO webhook_endpoints (id, user_id, mode, url, events, description, secret_sealed, status, format, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'enabled', ?, ?, ?)
            """, arguments: [id, userID, mode.rawValue, url, try Self.json(events), description, secretSealed, format, nowMicros, nowMicros])
    }

    func fetch(_ id: String, userID: String, mode: Mode) throws -> WebhookEndpoint? {
        try Row.fetchOne(db, sql: "SELECT * FROM webhook_endpoints WHERE id = ? AND user_id = ? AND mode = ?",
                         arguments: [id, userID, mode.rawValue]).map(Self.decode)
    }

    func list(userID: String, mode: Mode) throws -> [WebhookEndpoint] {
        try Row.fetchAll(db, sql: "SELECT * FROM webhook_endpoints WHERE user_id = ? AND mode = ? ORDER BY created_at",
                         arguments: [userID, mode.rawValue]).map(Self.decode)
    }

    func subscribed(to event: WebhookEvent, userID: String, mode: Mode) throws -> [(id: String, url: String)] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT id, url, events FROM webhook_endpoints WHERE user_id = ? AND mode = ? AND status = 'enabled'
            """), arguments: [userID, mode.rawValue])
            .filter { Self.events($0["events"]).contains { $0 == "*" || $0 == event.rawValue } }
            .map { ($0["id"], $0["url"]) }
    }

    func update(_ id: String, url: String?, events: [String]?, description: String?, enabled: Bool?, nowMicros: Int64) throws {
        let events = try events.map(Self.json)
        try db.run(sql: """
            UPDATE webhook_endpoints SET url = COALESCE(?, url), events = COALESCE(?, events), description = COALESCE(?, description),
                status = CASE WHEN ? IS NULL THEN status WHEN ? THEN 'enabled' ELSE 'disabled' END,
                failures = CASE WHEN ? THEN 0 ELSE failures END,
                disabled_reason = CASE WHEN ? IS NULL THEN disabled_reason WHEN ? THEN NULL ELSE 'disabled by its owner' END,
                updated_at = ? WHERE id = ?
            """, arguments: [url, events, description, enabled, enabled, enabled == true, enabled, enabled, nowMicros, id])
    }

    func delete(_ id: String) throws {
        try db.run(sql: "DELETE FROM webhook_endpoints WHERE id = ?", arguments: [id])
    }

    func secretSealed(of id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT secret_sealed FROM webhook_endpoints WHERE id = ?", arguments: [id])
    }

    func resetFailures(of id: String) throws {
        try db.run(sql: "UPDATE webhook_endpoints SET failures = 0 WHERE id = ?", arguments: [id])
    }

    func recordFailure(of id: String, nowMicros: Int64, disableAfterFailures: Int) throws {
        try db.run(sql: "UPDATE webhook_endpoints SET failures = failures + 1, updated_at = ? WHERE id = ?", arguments: [nowMicros, id])
        try db.run(sql: """
            UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = ? WHERE id = ? AND status = 'enabled' AND failures >= ?
            """, arguments: ["disabled after \(disableAfterFailures) failed attempts in a row", id, disableAfterFailures])
    }

    /// An endpoint from its row; unreadable event types read as none.
    static func decode(_ row: Row) -> WebhookEndpoint {
        WebhookEndpoint(id: row["id"], url: row["url"], events: events(row["events"]), description: row["description"],
                        enabled: (row["status"] as String) == "enabled", failures: row["failures"], disabledReason: row["disabled_reason"],
                        createdAt: row["created_at"], format: row["format"])
    }

    private static func events(_ json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }

    private static func json(_ events: [String]) throws(MarketplaceError) -> String {
        do { return String(decoding: try JSONEncoder().encode(events), as: UTF8.self) } catch { throw .internalError("events: \(error)") }
    }
}

extension Stores {
    var webhookEndpoints: some WebhookEndpointStore { SQLiteWebhookEndpointStore(db: db) }
}
