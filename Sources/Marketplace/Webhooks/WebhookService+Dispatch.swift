import Crypto
import Foundation
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
        let due = try store.read { stores in try stores.outbox.due(nowMicros: now, limit: limit) }
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
        let taskID: String?
        /// The endpoint's format; nil for a task's callback URL (the marketplace's own).
        let format: String?
        let taskTitle: String?

        /// The envelope, its bytes fixed once: `{"id","event","created","data"}`.
        var body: [UInt8] {
            Array(#"{"id":"\#(eventID)","event":"\#(type)","created":\#(createdMicros / 1_000_000),"data":\#(data)}"#.utf8)
        }
    }

    /// The dialect format `delivery` is written in; nil for the marketplace's own (and for a
    /// format this server does not have).
    private func format(of delivery: DueDelivery) -> (any WebhookFormat)? {
        delivery.format.flatMap { $0 == Self.marketplaceFormat ? nil : formats[$0] }
    }

    private func attempt(_ delivery: DueDelivery, _ sender: any WebhookSender) async throws(MarketplaceError) {
        let secret = try signingSecret(for: delivery)
        let timestamp = clock.nowMicros() / 1_000_000
        let headers: [(String, String)]
        let body: [UInt8]
        let formatName = delivery.format ?? Self.marketplaceFormat
        if formatName == Self.marketplaceFormat {
            body = delivery.body
            headers = [("Content-Type", "application/json"), (Self.eventIDHeader, delivery.eventID), (Self.eventTypeHeader, delivery.type),
                       (Self.signatureHeader, Self.signature(secret: secret, timestamp: timestamp, body: body)), ("User-Agent", "marketplace-webhooks/1")]
        } else {
            guard let format = formats[formatName] else {
                // Never the marketplace's envelope in its place: a failed attempt, retried by a server that has the format.
                return try await record(delivery, WebhookAttemptResult(status: nil, error: "this server has no \(formatName) webhook format"), durationMillis: 0)
            }
            let event = WebhookEvent(rawValue: delivery.type).map {
                WebhookEventRecord(id: delivery.eventID, type: $0, taskID: delivery.taskID, taskTitle: delivery.taskTitle, data: delivery.data,
                                   createdMicros: delivery.createdMicros)
            }
            // Not an event of the format (a callback hears all of its owner's): closed unsent.
            guard let event, let written = format.delivery(of: event, secret: secret, nowSeconds: timestamp) else { return try await skip(delivery) }
            headers = written.headers + [(Self.eventIDHeader, delivery.eventID), ("User-Agent", "marketplace-webhooks/1")]
            body = written.body
        }
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

    /// Closes a delivery its format has no event for, as delivered, unsent and without an attempt.
    private func skip(_ delivery: DueDelivery) async throws(MarketplaceError) {
        let now = clock.nowMicros()
        try await store.write { stores in try stores.outbox.markDelivered(delivery.id, attempts: delivery.attempts, status: nil, nowMicros: now) }
    }

    private func record(_ delivery: DueDelivery, _ result: WebhookAttemptResult, durationMillis: Int64) async throws(MarketplaceError) {
        let now = clock.nowMicros()
        let attempt = delivery.attempts + 1
        let policy = self.policy
        let attemptsMax = format(of: delivery)?.attemptsMax ?? policy.attemptsMax
        try await store.write { stores in
            try stores.outbox.recordAttempt(deliveryID: delivery.id, attempt: attempt, status: result.status, error: result.error.map { String($0.prefix(500)) },
                                            durationMillis: durationMillis, nowMicros: now)
            if result.succeeded {
                try stores.outbox.markDelivered(delivery.id, attempts: attempt, status: result.status, nowMicros: now)
                if let endpoint = delivery.endpointID {
                    try stores.webhookEndpoints.resetFailures(of: endpoint)
                }
                return
            }
            let exhausted = attempt >= attemptsMax
            // 5 s, 10 s, 20 s, … after the first, second, third failure.
            let waitSeconds = policy.firstRetrySeconds << Int64(min(attempt - 1, 20))
            try stores.outbox.markFailed(delivery.id, exhausted: exhausted, attempts: attempt, status: result.status,
                                         error: result.error.map { String($0.prefix(500)) }, nextAttemptAt: now + waitSeconds * 1_000_000)
            if let endpoint = delivery.endpointID {
                try stores.webhookEndpoints.recordFailure(of: endpoint, nowMicros: now, disableAfterFailures: policy.disableAfterFailures)
            }
        }
    }

    private func signingSecret(for delivery: DueDelivery) throws(MarketplaceError) -> String {
        let sealed = try store.read { stores -> String? in
            if let endpoint = delivery.endpointID {
                return try stores.webhookEndpoints.secretSealed(of: endpoint)
            }
            return try stores.webhookCallbackSecrets.secretSealed(userID: delivery.userID, mode: delivery.mode)
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
