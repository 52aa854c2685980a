import Crypto
import Foundation
public import Marketplace

/// Seed 004's webhook deliveries: the envelope `{event, timestamp, taskId, data}` with its six
/// event names and camelCase data, signed `X-Humans2AI-Signature: v1=<hex HMAC-SHA256 of the
/// raw body>` under the endpoint's secret, as its verification pseudocode checks; three retries
/// after 5 s, 10 s and 20 s ("3 attempts with exponential backoff (5 s → 10 s → 20 s)": the
/// first try and the three the waits lead to). `timestamp` is the attempt's time, so that the
/// document's replay check (older than 5 minutes is refused) passes a retry and refuses a copy
/// replayed later; the event's own time is in `data` (`completedAt`, `occurredAt`).
public struct Humans2AIWebhookFormat: WebhookFormat {
    public static let signatureHeader = "X-Humans2AI-Signature"

    public init() {}

    public var name: String { "humans2ai" }
    public var attemptsMax: Int? { 4 }

    /// The document's events: a human accepted (our accepted application: the task is theirs),
    /// proof submitted, completed and paid (our task.completed: approval pays in the same commit),
    /// expired, disputed, a chat message.
    public var events: [WebhookEvent: String] {
        [.applicationAccepted: "task.human_accepted", .taskSubmitted: "task.submitted", .taskCompleted: "task.completed",
         .taskExpired: "task.expired", .taskDisputed: "task.disputed", .messageReceived: "message.received"]
    }

    /// A member of `data`: text, an exact number, or null.
    enum Field: Encodable, Equatable {
        case text(String)
        case number(Decimal)
        case null

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            case .null: try container.encodeNil()
            }
        }
    }

    struct Envelope: Encodable {
        let event: String
        let timestamp: String
        let taskId: String?
        let data: [String: Field]

        enum CodingKeys: String, CodingKey { case event, timestamp, taskId, data }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(event, forKey: .event)
            try container.encode(timestamp, forKey: .timestamp)
            try container.encode(taskId, forKey: .taskId)  // null rather than left out
            try container.encode(data, forKey: .data)
        }
    }

    public func delivery(of event: WebhookEventRecord, secret: String, nowSeconds: Int64) -> (headers: [(String, String)], body: [UInt8])? {
        guard events[event.type] != nil else { return nil }
        let envelope = Envelope(event: events[event.type] ?? "", timestamp: Self.instant(nowSeconds * 1_000_000),
                                taskId: event.taskID, data: Self.data(of: event))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Array((try? encoder.encode(envelope)) ?? Data("{}".utf8))
        return ([("Content-Type", "application/json"), (Self.signatureHeader, Self.signature(secret: secret, body: body))], body)
    }

    /// `v1=<hex HMAC-SHA256(secret, body)>`.
    public static func signature(secret: String, body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The event's data in the document's names: `taskTitle` always; the human as
    /// `humanDisplayId`; completion's `payout` and `platformFee` as exact numbers.
    static func data(of event: WebhookEventRecord) -> [String: Field] {
        let ours = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] ?? [:]
        var data: [String: Field] = ["taskTitle": event.taskTitle.map(Field.text) ?? .null, "occurredAt": .text(instant(event.createdMicros))]
        func text(_ key: String) -> Field { (ours[key] as? String).map(Field.text) ?? .null }
        func amount(_ key: String) -> Field {
            guard let money = ours[key] as? [String: Any], let text = money["amount"] as? String,
                  let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return .null }
            return .number(value)
        }
        switch event.type {
        case .applicationAccepted:
            data["humanDisplayId"] = text("worker_id")
            data["applicationId"] = text("application_id")
        case .taskSubmitted:
            data["humanDisplayId"] = text("worker_id")
            data["submissionId"] = text("submission_id")
        case .taskCompleted:
            data["humanDisplayId"] = text("worker_id")
            data["completedAt"] = .text(instant(event.createdMicros))
            data["payout"] = amount("payout")
            data["platformFee"] = amount("fee")
        case .taskDisputed:
            data["disputeId"] = text("dispute_id")
            data["openedBy"] = text("opened_by")
            data["reason"] = text("reason")
        case .messageReceived:
            data["messageId"] = text("message_id")
            data["senderId"] = text("from")
        default: break
        }
        return data
    }

    /// `2026-03-04T16:00:00Z`, to the second, as the document prints its instants.
    static func instant(_ micros: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(micros / 1_000_000)))
    }
}

/// The dialects' webhook formats, installed in the webhook service where services are assembled.
public enum DialectWebhookFormats {
    public static let all: [any WebhookFormat] = [Humans2AIWebhookFormat(), RequestHumanWebhookFormat()]
}
