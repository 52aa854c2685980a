import Foundation
public import Marketplace

/// Seed 002's callbacks: a task posted through the dialect with a `callback_url` hears its
/// events as the document's payloads, `{event, task_id, task_title, …}` in snake_case, under its
/// nine event names. The document's webhooks are "fire-and-forget" and unsigned (an anonymous
/// task has no account to hold a signing secret), so none is sent; deliveries still go through
/// the durable outbox, in order per task, and a failed one is retried under the server's policy
/// (a receiver that was down still hears of the task; `Marketplace-Event-Id` names repeats).
public struct RequestHumanWebhookFormat: WebhookFormat {
    public init() {}

    public var name: String { "requesthuman" }
    public var attemptsMax: Int? { nil }

    /// Ours to the document's: a status change of the task that has no event of its own
    /// (completed, expired, disputed, resolved) is `task_status_changed`; an accepted applicant
    /// is `application_status_changed` (the task becomes assigned with it).
    public var events: [WebhookEvent: String] {
        [.applicationCreated: "new_application", .applicationAccepted: "application_status_changed", .applicationRejected: "application_status_changed",
         .messageReceived: "new_message", .taskSubmitted: "task_submission", .submissionApproved: "submission_approved",
         .submissionRevisionRequested: "submission_revision_requested", .taskFunded: "task_funded", .taskCanceled: "task_cancelled",
         .taskCompleted: "task_status_changed", .taskExpired: "task_status_changed", .taskDisputed: "task_status_changed",
         .disputeResolved: "task_status_changed"]
    }

    public func delivery(of event: WebhookEventRecord, secret: String, nowSeconds: Int64) -> (headers: [(String, String)], body: [UInt8])? {
        guard let name = events[event.type] else { return nil }
        let ours = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] ?? [:]
        var payload: [String: Any] = ["event": name, "task_id": event.taskID ?? NSNull(), "task_title": event.taskTitle ?? NSNull()]
        for (key, value) in Self.members(of: event.type, ours) { payload[key] = value }
        let body = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return ([("Content-Type", "application/json")], Array(body))
    }

    /// The payload's members besides event, task_id and task_title.
    static func members(of event: WebhookEvent, _ ours: [String: Any]) -> [String: Any] {
        func value(_ key: String) -> Any { ours[key] ?? NSNull() }
        switch event {
        case .applicationCreated:
            let profile = ours["applicant"] as? [String: Any] ?? [:]
            return ["application": ["id": value("application_id"), "message": value("message"), "created_at": value("created_at")],
                    "applicant": ["display_name": profile["display_name"] ?? NSNull(), "headline": profile["headline"] ?? NSNull(),
                                  "city": profile["city"] ?? NSNull(), "country": profile["country"] ?? NSNull(), "skills": profile["skills"] ?? []]]
        case .applicationAccepted:
            return ["application": ["id": value("application_id"), "status": "accepted"]]
        case .applicationRejected:
            return ["application": ["id": value("application_id"), "status": "rejected"]]
        case .messageReceived:
            return ["message": ["id": value("message_id"), "sender_type": "human", "sender_id": value("from")]]
        case .taskSubmitted:
            return ["submission": ["id": value("submission_id"), "user_id": value("worker_id")]]
        case .submissionApproved:
            return ["submission": ["id": value("submission_id"), "status": "approved"]]
        case .submissionRevisionRequested:
            return ["submission": ["status": "revision_requested"], "feedback": value("feedback")]
        case .taskFunded:
            return ["funding": ["escrow": amount(ours["escrow"]), "price": amount(ours["payout"]), "fee": amount(ours["fee"]),
                                "currency": (ours["escrow"] as? [String: Any])?["currency"] ?? NSNull()]]
        case .taskCanceled:
            return ["refunded": !(ours["refund"] is NSNull || ours["refund"] == nil), "refund": amount(ours["refund"])]
        case .taskCompleted: return ["status": "completed"]
        case .taskExpired: return ["status": "expired"]
        case .taskDisputed: return ["status": "disputed"]
        case .disputeResolved: return ["status": "resolved"]
        default: return [:]
        }
    }

    /// An event's money (`{amount, amount_minor, currency}`) as an exact JSON number, or null.
    static func amount(_ money: Any?) -> Any {
        guard let money = money as? [String: Any], let text = money["amount"] as? String,
              let number = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return NSNull() }
        return NSDecimalNumber(decimal: number)
    }
}
