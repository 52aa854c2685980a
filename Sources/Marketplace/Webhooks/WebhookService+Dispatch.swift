import Crypto
import Foundation
import GRDB
import LedgerCore

/// The dispatcher: sends due deliveries, in event order per (target, task), as signed
/// envelopes `{id, event, created, data}`; records every attempt; retries non-2xx answers and
/// timeouts after 5 s, 10 s, 20 s, … up to the policy's count; disables an endpoint after
/// repeated failure. Everything it needs is in the database, so deliveries survive a restart.
/// A receiver sees each event at least once (a stop after its 2xx and before the record sends
/// it again) and should drop repeats by the event id header.
extension WebhookService {
    /// Header names: the event id, its type, and the signature `t=<unix seconds>,v1=<hex>`
    /// where v1 = HMAC-SHA256(secret, "<t>.<raw body>").
    public static let eventIDHeader = "Marketplace-Event-Id"
    public static let eventTypeHeader = "Marketplace-Event"
    public static let signatureHeader = "Marketplace-Signature"

    /// Sends what is due now; answers how many deliveries it attempted.
    @discardableResult
    public func dispatchDue(using sender: any WebhookSender, limit: Int = 200) async throws(MarketplaceError) -> Int {
        let now = clock.nowMicros()
        // The oldest pending delivery of each (target, task) only: a later event waits for the earlier one.
        let due = try store.readDB { db in
            try Row.fetchAll(db, sql: """
                SELECT d.id, d.target, d.endpoint_id, d.url, d.attempts, e.id AS event_id, e.type, e.data, e.created_at, e.user_id, e.mode
                FROM webhook_deliveries d JOIN outbox_events e ON e.seq = d.event_seq
                WHERE d.state = 'pending' AND d.next_attempt_at <= ?
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.target = d.target AND p.task_id IS d.task_id
                                  AND p.event_seq < d.event_seq AND p.state = 'pending')
                  AND (d.endpoint_id IS NULL OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = d.endpoint_id AND w.status = 'enabled'))
                ORDER BY d.event_seq LIMIT ?
                """, arguments: [now, limit]).map(DueDelivery.init)
        }
        for delivery in due { try await attempt(delivery, sender) }
        return due.count
    }

    struct DueDelivery: Sendable {
        let id: Int64
        let target: String
        let endpointID: String?
        let url: String
        let attempts: Int
        let eventID: String
        let type: String
        let data: String
        let createdMicros: Int64
        let userID: String
        let mode: String

        init(row: Row) {
            id = row["id"]
            target = row["target"]
            endpointID = row["endpoint_id"]
            url = row["url"]
            attempts = row["attempts"]
            eventID = row["event_id"]
            type = row["type"]
            data = row["data"]
            createdMicros = row["created_at"]
            userID = row["user_id"]
            mode = row["mode"]
        }

        /// The envelope, its bytes fixed once: `{"id","event","created","data"}`.
        var body: [UInt8] {
            Array(#"{"id":"\#(eventID)","event":"\#(type)","created":\#(createdMicros / 1_000_000),"data":\#(data)}"#.utf8)
        }
    }

    private func attempt(_ delivery: DueDelivery, _ sender: any WebhookSender) async throws(MarketplaceError) {
        let secret = try signingSecret(for: delivery)
        let body = delivery.body
        let timestamp = clock.nowMicros() / 1_000_000
        let signature = Self.signature(secret: secret, timestamp: timestamp, body: body)
        let headers = [("Content-Type", "application/json"), (Self.eventIDHeader, delivery.eventID), (Self.eventTypeHeader, delivery.type),
                       (Self.signatureHeader, signature), ("User-Agent", "marketplace-webhooks/1")]
        let started = ContinuousClock.now
        var result: WebhookAttemptResult
        do {
            _ = try WebhookURLPolicy.check(delivery.url, field: "url", allowPrivate: policy.allowPrivateTargets)
            result = await sender.post(url: delivery.url, headers: headers, body: body, timeoutSeconds: policy.timeoutSeconds)
        } catch {
            result = WebhookAttemptResult(status: nil, error: "refused before sending: \(error)")
        }
        let elapsed = started.duration(to: .now)
        try await record(delivery, result, durationMillis: elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    private func record(_ delivery: DueDelivery, _ result: WebhookAttemptResult, durationMillis: Int64) async throws(MarketplaceError) {
        let now = clock.nowMicros()
        let attempt = delivery.attempts + 1
        let policy = self.policy
        try await store.writeDB { db in
            try db.run(sql: "INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, status, error, duration_ms, at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [delivery.id, attempt, result.status, result.error.map { String($0.prefix(500)) }, durationMillis, now])
            if result.succeeded {
                try db.run(sql: "UPDATE webhook_deliveries SET state = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?",
                           arguments: [attempt, result.status, now, delivery.id])
                if let endpoint = delivery.endpointID {
                    try db.run(sql: "UPDATE webhook_endpoints SET failures = 0 WHERE id = ?", arguments: [endpoint])
                }
                return
            }
            let exhausted = attempt >= policy.attemptsMax
            // 5 s, 10 s, 20 s, … after the first, second, third failure.
            let waitSeconds = policy.firstRetrySeconds << Int64(min(attempt - 1, 20))
            try db.run(sql: """
                UPDATE webhook_deliveries SET state = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?
                """, arguments: [exhausted ? "failed" : "pending", attempt, result.status, result.error.map { String($0.prefix(500)) },
                                 now + waitSeconds * 1_000_000, delivery.id])
            if let endpoint = delivery.endpointID {
                try db.run(sql: "UPDATE webhook_endpoints SET failures = failures + 1, updated_at = ? WHERE id = ?", arguments: [now, endpoint])
                try db.run(sql: """
                    UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = ? WHERE id = ? AND status = 'enabled' AND failures >= ?
                    """, arguments: ["disabled after \(policy.disableAfterFailures) failed attempts in a row", endpoint, policy.disableAfterFailures])
            }
        }
    }

    private func signingSecret(for delivery: DueDelivery) throws(MarketplaceError) -> String {
        let sealed = try store.readDB { db -> String? in
            if let endpoint = delivery.endpointID {
                return try String.fetchOne(db, sql: "SELECT secret_sealed FROM webhook_endpoints WHERE id = ?", arguments: [endpoint])
            }
            return try String.fetchOne(db, sql: "SELECT secret_sealed FROM webhook_callback_secrets WHERE user_id = ? AND mode = ?",
                                       arguments: [delivery.userID, delivery.mode])
        }
        // A callback_url before its owner made a callback secret is signed with an empty key:
        // verifiable by nobody, so receivers should make one (POST /v1/webhooks/callback-secret).
        guard let sealed else { return "" }
        return try open(sealed)
    }

    /// `t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
    public static func signature(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        var message = Array("\(timestamp).".utf8)
        message += body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
