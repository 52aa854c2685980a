import Foundation

/// One event as a format writes it: what the outbox holds, plus the task's title.
public struct WebhookEventRecord: Sendable {
    public let id: String
    public let type: WebhookEvent
    public let taskID: String?
    public let taskTitle: String?
    /// The event's data as JSON text (an object).
    public let data: String
    public let createdMicros: Int64
}

/// How an endpoint's deliveries are written. The marketplace's own (`Marketplace-Signature`
/// over `{id, event, created, data}`) is built in; a dialect whose document prints its own
/// envelope and signature (seed 004) brings a format, and its endpoints are made with it.
public protocol WebhookFormat: Sendable {
    /// The name stored with each endpoint made in this format.
    var name: String { get }
    /// The event types an endpoint in this format may receive: the format's name for each of ours.
    var events: [WebhookEvent: String] { get }
    /// Attempts in all before a delivery is failed (the document's retry policy); nil for the
    /// server's policy.
    var attemptsMax: Int? { get }
    /// The bytes to POST and the headers beside them (Content-Type included), signed with
    /// `secret` when the format signs, for an attempt at `nowSeconds`; nil when the format has no
    /// such event (a task's callback hears every event of its owner's), which is then not sent.
    func delivery(of event: WebhookEventRecord, secret: String, nowSeconds: Int64) -> (headers: [(String, String)], body: [UInt8])?
}

extension WebhookFormat {
    /// Our event types for the format's names; unknown names are refused by name.
    func ourEvents(_ names: [String]) throws(MarketplaceError) -> [String] {
        var events: [String] = []
        for name in names {
            guard let event = self.events.first(where: { $0.value == name })?.key else {
                throw .validation(field: "events", message: "unknown event \"\(name.prefix(64))\"; known: \(self.events.values.sorted().joined(separator: ", "))")
            }
            events.append(event.rawValue)
        }
        return events
    }
}
