import GRDB

/// The connector events in SQLite: the `connector_events` table, unique per (connector, event id).
struct SQLiteConnectorEventStore: ConnectorEventStore {
    let db: Database

    func contains(connector: String, eventID: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM connector_events WHERE connector = ? AND event_id = ?", arguments: [connector, eventID]) ?? false
    }

    func receive(connector: String, eventID: String, type: String, nowMicros: Int64) throws -> Bool {
        try db.run(sql: "INSERT OR IGNORE INTO connector_events (connector, event_id, type, outcome, received_at) VALUES (?, ?, ?, 'received', ?)",
                   arguments: [connector, eventID, type, nowMicros])
        return db.changesCount == 1
    }

    func settle(connector: String, eventID: String, outcome: ConnectorEventOutcome, detail: String?) throws {
        try db.run(sql: "UPDATE connector_events SET outcome = ?, detail = ? WHERE connector = ? AND event_id = ?",
                   arguments: [outcome.rawValue, detail, connector, eventID])
    }

    func record(connector: String, eventID: String, type: String, outcome: ConnectorEventOutcome, detail: String, nowMicros: Int64) throws {
        try db.run(sql: "INSERT OR IGNORE INTO connector_events (connector, event_id, type, outcome, received_at, detail) VALUES (?, ?, ?, ?, ?, ?)",
                   arguments: [connector, eventID, type, outcome.rawValue, nowMicros, detail])
    }

    func recordRefused(connector: String, eventID: String, type: String, detail: String, nowMicros: Int64) throws -> Bool {
        try db.run(sql: "INSERT OR IGNORE INTO connector_events (connector, event_id, type, outcome, received_at, detail) VALUES (?, ?, ?, 'refused', ?, ?)",
                   arguments: [connector, eventID, type, nowMicros, detail])
        return db.changesCount == 1
    }

    func refused(fromMicros: Int64, toMicros: Int64) throws -> [RefusedConnectorEvent] {
        try Row.fetchAll(db, sql: """
            SELECT connector, event_id, type, detail FROM connector_events
            WHERE outcome = 'refused' AND received_at >= ? AND received_at < ? ORDER BY received_at, event_id
            """, arguments: [fromMicros, toMicros]).map { row in
            RefusedConnectorEvent(connector: row["connector"], eventID: row["event_id"], type: row["type"], detail: row["detail"])
        }
    }
}

extension Stores {
    var connectorEvents: some ConnectorEventStore { SQLiteConnectorEventStore(db: db) }
}
