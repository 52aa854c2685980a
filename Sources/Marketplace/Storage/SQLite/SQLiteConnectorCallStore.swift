import Foundation
import GRDB

/// The connector calls in SQLite: the `connector_calls` table, the request as JSON text.
struct SQLiteConnectorCallStore: ConnectorCallStore {
    let db: Database

    func insert(connector: String, kind: ConnectorCall.Kind, taskID: String, intentKey: String, idempotencyKey: String,
                request: ConnectorCall.Request, nowMicros: Int64) throws -> Int64 {
        let json = try StoredJSON.string(request)
        try db.run(sql: """
            INSERT INTO connector_calls (connector, kind, task_id, intent_key, idempotency_key, request, state, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
            """, arguments: [connector, kind.rawValue, taskID, intentKey, idempotencyKey, json, nowMicros, nowMicros])
        return db.lastInsertedRowID
    }

    func fetch(id: Int64) throws -> ConnectorCall? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE id = ?"), arguments: [id]).map(Self.decode)
    }

    func fetch(connector: String, reference: String) throws -> ConnectorCall? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE connector = ? AND reference = ?"),
                         arguments: [connector, reference]).map(Self.decode)
    }

    func forTask(_ taskID: String, kind: ConnectorCall.Kind?) throws -> [ConnectorCall] {
        guard let kind else {
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE task_id = ? ORDER BY id"), arguments: [taskID])
                .map(Self.decode)
        }
        return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE task_id = ? AND kind = ? ORDER BY id"),
                                arguments: [taskID, kind.rawValue]).map(Self.decode)
    }

    func pending(task taskID: String?, dueBy: Int64?) throws -> [ConnectorCall] {
        guard let taskID else {
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id"),
                                    arguments: [dueBy ?? Int64.max]).map(Self.decode)
        }
        return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE task_id = ? AND state = 'pending' ORDER BY id"),
                                arguments: [taskID]).map(Self.decode)
    }

    func open(kind: ConnectorCall.Kind, connector: String) throws -> [ConnectorCall] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM connector_calls WHERE kind = ? AND connector = ? AND state IN ('pending', 'sent') ORDER BY id"),
                         arguments: [kind.rawValue, connector]).map(Self.decode)
    }

    func openIDs(connector: String) throws -> [Int64] {
        try Row.fetchAll(db, sql: "SELECT id FROM connector_calls WHERE connector = ? AND state IN ('pending', 'sent') ORDER BY id",
                         arguments: [connector]).map { $0["id"] as Int64 }
    }

    func settledPayouts(connector: String, since: Int64, checkedBefore: Int64, limit: Int) throws -> [ConnectorCall] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT * FROM connector_calls WHERE kind = 'payout' AND connector = ? AND state = 'settled' AND reference IS NOT NULL
                AND created_at >= ? AND checked_at < ? ORDER BY checked_at, id LIMIT ?
            """), arguments: [connector, since, checkedBefore, limit]).map(Self.decode)
    }

    func authorizations(connector: String, referencePrefix: String) throws -> [ConnectorCall] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT * FROM connector_calls WHERE connector = ? AND kind = 'authorization' AND reference LIKE ? ORDER BY id
            """), arguments: [connector, referencePrefix + "%"]).map(Self.decode)
    }

    func refundsExist(connector: String, paymentReference: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM connector_calls WHERE connector = ? AND kind = 'refund' AND json_extract(request, '$.paymentReference') = ?",
                          arguments: [connector, paymentReference]) ?? false
    }

    func latest(owner: (userID: String, mode: Mode)?, state: ConnectorCall.State?, failingOnly: Bool, limit: Int) throws -> [ConnectorCall] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let owner {
            conditions.append("c.task_id IN (SELECT id FROM tasks WHERE owner_id = ? AND mode = ?)")
            arguments += [owner.userID, owner.mode.rawValue]
        }
        if failingOnly {
            conditions.append("c.state IN ('pending', 'sent') AND c.attempts > 0")
        } else if let state {
            conditions.append("c.state = ?")
            arguments.append(state.rawValue)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(limit)
        return try Row.fetchAll(db, sql: "SELECT c.* FROM connector_calls c \(filter) ORDER BY c.id DESC LIMIT ?",
                                arguments: StatementArguments(arguments)).map(Self.decode)
    }

    func move(_ id: Int64, to state: ConnectorCall.State, from: Set<ConnectorCall.State>, reference: String?, url: String?,
              paymentReference: String?, error: String?, nowMicros: Int64) throws -> Bool {
        let allowed = from.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        try db.run(sql: """
            UPDATE connector_calls SET state = ?, reference = COALESCE(?, reference), url = COALESCE(?, url),
                payment_ref = COALESCE(?, payment_ref), error = COALESCE(?, error), updated_at = ?
            WHERE id = ? AND state IN (\(allowed))
            """, arguments: [state.rawValue, reference, url, paymentReference, error, nowMicros, id])
        return db.changesCount == 1
    }

    func setReference(_ reference: String, of id: Int64) throws {
        try db.run(sql: "UPDATE connector_calls SET reference = ? WHERE id = ?", arguments: [reference, id])
    }

    func notePaymentReference(_ paymentReference: String?, of id: Int64) throws {
        try db.run(sql: "UPDATE connector_calls SET payment_ref = COALESCE(payment_ref, ?) WHERE id = ?", arguments: [paymentReference, id])
    }

    func recordReversal(of id: Int64, cumulativeMinor: Int64, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE connector_calls SET reversed_minor = ?, updated_at = ? WHERE id = ? AND reversed_minor < ?",
                   arguments: [cumulativeMinor, nowMicros, id, cumulativeMinor])
    }

    func markChecked(_ id: Int64, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE connector_calls SET checked_at = ? WHERE id = ?", arguments: [nowMicros, id])
    }

    func recordFailedAttempt(of id: Int64, attempts: Int, error: String, nextAttemptAt: Int64, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE connector_calls SET attempts = ?, error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?",
                   arguments: [attempts, error, nextAttemptAt, nowMicros, id])
    }

    func recordAttempts(of id: Int64, attempts: Int, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE connector_calls SET attempts = ?, updated_at = ? WHERE id = ?", arguments: [attempts, nowMicros, id])
    }

    func resetAttempts(of id: Int64, nowMicros: Int64) throws {
        try db.run(sql: """
            UPDATE connector_calls SET attempts = 0, next_attempt_at = 0, error = CASE WHEN state IN ('pending', 'sent', 'settled') THEN NULL ELSE error END,
                updated_at = ? WHERE id = ?
            """, arguments: [nowMicros, id])
    }

    /// A call from its row.
    static func decode(_ row: Row) throws -> ConnectorCall {
        let json: String = row["request"]
        return ConnectorCall(id: row["id"], connector: row["connector"], kind: ConnectorCall.Kind(rawValue: row["kind"]) ?? .checkout, taskID: row["task_id"],
                             intentKey: row["intent_key"], idempotencyKey: row["idempotency_key"],
                             request: try JSONDecoder().decode(ConnectorCall.Request.self, from: Data(json.utf8)),
                             state: ConnectorCall.State(rawValue: row["state"]) ?? .pending,
                             reference: row["reference"], url: row["url"], paymentReference: row["payment_ref"], error: row["error"],
                             reversedMinor: row["reversed_minor"], createdAt: row["created_at"], updatedAt: row["updated_at"],
                             attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"])
    }

    func troubled(fromMicros: Int64, toMicros: Int64, givenUpPrefix: String, refusedPrefix: String) throws -> [TroubledConnectorCall] {
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
}

extension Stores {
    var connectorCalls: some ConnectorCallStore { SQLiteConnectorCallStore(db: db) }
}
