import GRDB

/// The callback URL signing secrets in SQLite: the `webhook_callback_secrets` table.
struct SQLiteWebhookCallbackSecretStore: WebhookCallbackSecretStore {
    let db: Database

    func save(userID: String, mode: Mode, secretSealed: String, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT INTO webhook_callback_secrets (user_id, mode, secret_sealed, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id, mode) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at
            """, arguments: [userID, mode.rawValue, secretSealed, nowMicros])
    }

    func secretSealed(userID: String, mode: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT secret_sealed FROM webhook_callback_secrets WHERE user_id = ? AND mode = ?", arguments: [userID, mode])
    }
}

extension Stores {
    var webhookCallbackSecrets: some WebhookCallbackSecretStore { SQLiteWebhookCallbackSecretStore(db: db) }
}
