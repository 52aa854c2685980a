import Foundation
import GRDB

/// Reconciliation's reads of the payments tables in SQLite: `chain_transactions`,
/// `connector_calls` (its request kept as JSON text) and `connector_events`.
struct SQLiteReconciliationSourceStore: ReconciliationSourceStore {
    let db: Database

    func chainTransactionHashes() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT hash FROM chain_transactions ORDER BY id")
    }

    func troubledCalls(fromMicros: Int64, toMicros: Int64, givenUpPrefix: String, refusedPrefix: String) throws -> [TroubledConnectorCall] {
        try Row.fetchAll(db, sql: """
            SELECT id, connector, kind, task_id, state, attempts, error, request FROM connector_calls
            WHERE error IS NOT NULL AND updated_at >= ? AND updated_at < ?
                AND ((state IN ('pending', 'sent') AND attempts > 0) OR (state = 'failed' AND (error LIKE ? OR error LIKE ?)))
            ORDER BY id
            """, arguments: [fromMicros, toMicros, "\(givenUpPrefix)%", "\(refusedPrefix)%"]).map { row in
            TroubledConnectorCall(id: row["id"], connector: row["connector"], kind: row["kind"], taskID: row["task_id"], state: row["state"],
                                  attempts: row["attempts"], error: row["error"],
                                  request: try? JSONDecoder().decode(ConnectorCall.Request.self, from: Data((row["request"] as String).utf8)))
        }
    }

    func refusedEvents(fromMicros: Int64, toMicros: Int64) throws -> [RefusedConnectorEvent] {
        try Row.fetchAll(db, sql: """
            SELECT connector, event_id, type, detail FROM connector_events
            WHERE outcome = 'refused' AND received_at >= ? AND received_at < ? ORDER BY received_at, event_id
            """, arguments: [fromMicros, toMicros]).map { row in
            RefusedConnectorEvent(connector: row["connector"], eventID: row["event_id"], type: row["type"], detail: row["detail"])
        }
    }
}

extension Stores {
    var reconciliationSources: some ReconciliationSourceStore { SQLiteReconciliationSourceStore(db: db) }
}
