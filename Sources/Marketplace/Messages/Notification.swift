import Foundation
public import LedgerCore

/// Something a user should know about: an application, an acceptance, a submission, a
/// payment, a dispute, a message. Written inside the transaction of the event itself.
public struct Notification: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case applicationReceived = "application_received"
        case applicationAccepted = "application_accepted"
        case applicationRejected = "application_rejected"
        case submissionReceived = "submission_received"
        case revisionRequested = "revision_requested"
        case submissionRejected = "submission_rejected"
        case paid
        case taskCanceled = "task_canceled"
        case taskExpired = "task_expired"
        case taskFunded = "task_funded"
        case refundFailed = "refund_failed"
        case disputeOpened = "dispute_opened"
        case disputeResolved = "dispute_resolved"
        case messageReceived = "message_received"
        case fundingHeld = "funding_held"
        case fundingFailed = "funding_failed"
        case payoutFailed = "payout_failed"
        case depositCredited = "deposit_credited"
        case orderReceived = "order_received"
    }

    public let id: String
    public let kind: Kind
    public let taskID: String?
    public let text: String
    public let createdAt: Int64
    public var readAt: Int64?

    /// Records a notification for `userID` in `mode` inside the caller's transaction.
    static func add(_ kind: Kind, for userID: String, mode: Mode, task taskID: String?, _ text: String, nowMicros: Int64, _ stores: Stores) throws {
        try stores.notifications.insert(id: Secrets.id("ntf"), kind: kind, userID: userID, mode: mode, taskID: taskID, text: text, nowMicros: nowMicros)
    }
}

/// A message in the thread between a task's owner and one applicant.
public struct Message: Sendable, Hashable {
    public let id: String
    public let taskID: String
    public let applicantID: String
    public let senderID: String
    public let body: String
    public let createdAt: Int64

    public static let bodyLengthMax = 5_000
}

/// Messages between a task's owner and its applicants, and everyone's notifications.
public struct MessageService: Sendable {
    let store: MarketplaceStore
    let clock: LedgerClock

    public init(store: MarketplaceStore, clock: LedgerClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// Sends a message on a task. An applicant (or the assigned worker) writes to the owner; the
    /// owner writes to one applicant, named by `to`.
    public func send(on taskID: String, body: String, to recipient: String?, by caller: Principal) async throws(MarketplaceError) -> Message {
        try caller.require(.messagesWrite)
        let body = try TaskDraft.text(body, field: "body", max: Message.bodyLengthMax)
        let now = clock.nowMicros()
        return try await store.write { stores in
            let (task, applicantID) = try Self.thread(taskID, with: recipient, for: caller, stores)
            let id = Secrets.id("msg")
            try stores.messages.insert(id: id, taskID: taskID, applicantID: applicantID, senderID: caller.userID, body: body, nowMicros: now)
            let other = caller.userID == task.ownerID ? applicantID : task.ownerID
            try Notification.add(.messageReceived, for: other, mode: task.mode, task: taskID, "New message on \"\(task.spec.title)\"", nowMicros: now, stores)
            try Outbox.emit(.messageReceived, to: [other], mode: task.mode, task: task, data: ["message_id": id, "from": caller.userID], nowMicros: now, stores)
            return try stores.messages.fetch(id)!
        }
    }

    /// A thread, oldest first: the caller's own as an applicant, or the owner's with `with`.
    public func messages(on taskID: String, with other: String?, for caller: Principal) throws(MarketplaceError) -> [Message] {
        try caller.require(.messagesRead)
        return try store.read { stores in
            let (_, applicantID) = try Self.thread(taskID, with: other, for: caller, stores)
            return try stores.messages.thread(taskID: taskID, applicantID: applicantID)
        }
    }

    /// The task and the applicant whose thread the caller means; strangers get "not found".
    static func thread(_ taskID: String, with other: String?, for caller: Principal, _ stores: Stores) throws -> (MarketTask, String) {
        guard let task = try stores.tasks.fetch(taskID), task.mode == caller.mode else { throw MarketplaceError.notFound("no task \(taskID)") }
        func isParticipant(_ userID: String) throws -> Bool {
            try task.workerID == userID || stores.applications.exists(taskID: taskID, applicantID: userID)
        }
        if task.ownerID == caller.userID {
            guard let other else { throw MarketplaceError.validation(field: "to", message: "name the applicant the thread is with") }
            guard try isParticipant(other) else { throw MarketplaceError.notFound("no applicant \(other) on task \(taskID)") }
            return (task, other)
        }
        guard try isParticipant(caller.userID) else { throw MarketplaceError.notFound("no task \(taskID)") }
        return (task, caller.userID)
    }

    /// The caller's notifications in this mode, newest first, with how many are unread in all
    /// (read in one snapshot).
    public func notifications(unreadOnly: Bool, for caller: Principal) throws(MarketplaceError) -> (notifications: [Notification], unreadCount: Int) {
        try caller.require(.tasksRead)
        return try store.read { stores in
            (try stores.notifications.list(userID: caller.userID, mode: caller.mode, unreadOnly: unreadOnly),
             try stores.notifications.unreadCount(userID: caller.userID, mode: caller.mode))
        }
    }

    /// Marks one of the caller's notifications read (again is harmless).
    public func markRead(_ id: String, for caller: Principal) async throws(MarketplaceError) -> Notification {
        try caller.require(.tasksWrite)
        return try await store.write { stores in
            guard let notification = try stores.notifications.markRead(id, userID: caller.userID, mode: caller.mode, nowMicros: clock.nowMicros()) else {
                throw MarketplaceError.notFound("no notification \(id)")
            }
            return notification
        }
    }

    /// Marks all of the caller's notifications read; returns how many changed.
    public func markAllRead(for caller: Principal) async throws(MarketplaceError) -> Int {
        try caller.require(.tasksWrite)
        return try await store.write { stores in
            try stores.notifications.markAllRead(userID: caller.userID, mode: caller.mode, nowMicros: clock.nowMicros())
        }
    }
}
