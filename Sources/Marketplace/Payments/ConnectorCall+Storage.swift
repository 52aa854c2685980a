import Foundation
import GRDB

extension ConnectorCall {
    static func insert(connector: String, kind: Kind, taskID: String, intentKey: String, request: Request, nowMicros: Int64,
                       _ stores: Stores) throws -> ConnectorCall {
                           let db = stores.db
        let json = try StoredJSON.string(request)
        // The connector's idempotency key names the ledger intent, so every retry and every
        // resume after a stop asks for the same thing.
        let idempotencyKey = "marketplace:\(intentKey)"
        try db.run(sql: """
            INSERT INTO connector_calls (connector, kind, task_id, intent_key, idempotency_key, request, state, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
            """, arguments: [connector, kind.rawValue, taskID, intentKey, idempotencyKey, json, nowMicros, nowMicros])
        return ConnectorCall(id: db.lastInsertedRowID, connector: connector, kind: kind, taskID: taskID, intentKey: intentKey,
                             idempotencyKey: idempotencyKey, request: request, state: .pending)
    }

    static func fetch(id: Int64, _ stores: Stores) throws -> ConnectorCall? {
        let db = stores.db
        return try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE id = ?"), arguments: [id]).map(decode)
    }

    static func fetch(connector: String, reference: String, _ stores: Stores) throws -> ConnectorCall? {
        let db = stores.db
        return try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE connector = ? AND reference = ?"),
                         arguments: [connector, reference]).map(decode)
    }

    /// A task's calls of `kind` (all of them when nil), oldest first.
    static func forTask(_ taskID: String, kind: Kind?, _ stores: Stores) throws -> [ConnectorCall] {
        let db = stores.db
        guard let kind else {
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE task_id = ? ORDER BY id"), arguments: [taskID]).map(decode)
        }
        return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE task_id = ? AND kind = ? ORDER BY id"),
                                arguments: [taskID, kind.rawValue]).map(decode)
    }

    /// A task's latest settled call of `kind`: the checkout that paid for it, the payout made.
    static func settled(_ taskID: String, kind: Kind, _ stores: Stores) throws -> ConnectorCall? {
        let db = stores.db
        return try forTask(taskID, kind: kind, Stores(db)).last { $0.state == .settled }
    }

    /// Calls that have not been answered yet, oldest first; only `taskID`'s when given, else
    /// only those whose wait after a failure is over by `dueBy` (all when nil).
    static func pending(task taskID: String? = nil, dueBy: Int64? = nil, _ stores: Stores) throws -> [ConnectorCall] {
        let db = stores.db
        guard let taskID else {
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id"),
                                    arguments: [dueBy ?? Int64.max]).map(decode)
        }
        return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE task_id = ? AND state = 'pending' ORDER BY id"),
                                arguments: [taskID]).map(decode)
    }

    /// A connector's calls of `kind` not answered for good yet (pending or sent), oldest first.
    static func open(kind: Kind, connector: String, _ stores: Stores) throws -> [ConnectorCall] {
        let db = stores.db
        return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE kind = ? AND connector = ? AND state IN ('pending', 'sent') ORDER BY id"),
                         arguments: [kind.rawValue, connector]).map(decode)
    }

    /// Settled payouts created since `since` and last read again before `checkedBefore`, least
    /// recently read first, at most `limit`.
    static func settledPayouts(connector: String, since: Int64, checkedBefore: Int64, limit: Int, _ stores: Stores) throws -> [ConnectorCall] {
        let db = stores.db
        return try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT * FROM connector_calls WHERE kind = 'payout' AND connector = ? AND state = 'settled' AND reference IS NOT NULL
                AND created_at >= ? AND checked_at < ? ORDER BY checked_at, id LIMIT ?
            """), arguments: [connector, since, checkedBefore, limit]).map(decode)
    }

    /// Moves the call on from `from` states only; false when another writer got there first.
    func move(to state: State, from: Set<State>, reference: String? = nil, url: String? = nil, paymentReference: String? = nil,
              error: String? = nil, nowMicros: Int64, _ stores: Stores) throws -> Bool {
                  let db = stores.db
        let allowed = from.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        try db.run(sql: """
            UPDATE connector_calls SET state = ?, reference = COALESCE(?, reference), url = COALESCE(?, url),
                payment_ref = COALESCE(?, payment_ref), error = COALESCE(?, error), updated_at = ?
            WHERE id = ? AND state IN (\(allowed))
            """, arguments: [state.rawValue, reference, url, paymentReference, error, nowMicros, id])
        return db.changesCount == 1
    }

    static func decode(_ row: Row) throws -> ConnectorCall {
        let json: String = row["request"]
        return ConnectorCall(id: row["id"], connector: row["connector"], kind: Kind(rawValue: row["kind"]) ?? .checkout, taskID: row["task_id"],
                             intentKey: row["intent_key"], idempotencyKey: row["idempotency_key"],
                             request: try JSONDecoder().decode(Request.self, from: Data(json.utf8)), state: State(rawValue: row["state"]) ?? .pending,
                             reference: row["reference"], url: row["url"], paymentReference: row["payment_ref"], error: row["error"],
                             reversedMinor: row["reversed_minor"], createdAt: row["created_at"], updatedAt: row["updated_at"],
                             attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"])
    }
}
