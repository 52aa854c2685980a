import Foundation
import GRDB
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
    }

    public let id: String
    public let kind: Kind
    public let taskID: String?
    public let text: String
    public let createdAt: Int64
    public var readAt: Int64?

    /// Records a notification for `userID` in `mode` inside the caller's transaction.
    static func add(_ kind: Kind, for userID: String, mode: Mode, task taskID: String?, _ text: String, nowMicros: Int64, _ stores: Stores) throws {
        let db = stores.db
        try db.run(sql: "INSERT INTO notifications (id, user_id, mode, kind, task_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [Secrets.id("ntf"), userID, mode.rawValue, kind.rawValue, taskID, text, nowMicros])
    }

    init(row: Row) {
        id = row["id"]
        kind = Kind(rawValue: row["kind"]) ?? .messageReceived
        taskID = row["task_id"]
        text = row["text"]
        createdAt = row["created_at"]
        readAt = row["read_at"]
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

    init(row: Row) {
        id = row["id"]
        taskID = row["task_id"]
        applicantID = row["applicant_id"]
        senderID = row["sender_id"]
        body = row["body"]
        createdAt = row["created_at"]
    }
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
        return try await store.writeDB { db in
            let (task, applicantID) = try Self.thread(taskID, with: recipient, for: caller, Stores(db))
            let id = Secrets.id("msg")
            try db.run(sql: "INSERT INTO messages (id, task_id, applicant_id, sender_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, taskID, applicantID, caller.userID, body, now])
            let other = caller.userID == task.ownerID ? applicantID : task.ownerID
            try Notification.add(.messageReceived, for: other, mode: task.mode, task: taskID, "New message on \"\(task.spec.title)\"", nowMicros: now, Stores(db))
            try Outbox.emit(.messageReceived, to: [other], mode: task.mode, task: task, data: ["message_id": id, "from": caller.userID], nowMicros: now, Stores(db))
            return Message(row: try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM messages WHERE id = ?"), arguments: [id])!)
        }
    }

    /// A thread, oldest first: the caller's own as an applicant, or the owner's with `with`.
    public func messages(on taskID: String, with other: String?, for caller: Principal) throws(MarketplaceError) -> [Message] {
        try caller.require(.messagesRead)
        return try store.readDB { db in
            let (_, applicantID) = try Self.thread(taskID, with: other, for: caller, Stores(db))
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM messages WHERE task_id = ? AND applicant_id = ? ORDER BY created_at, rowid LIMIT 1000"),
                                    arguments: [taskID, applicantID]).map(Message.init)
        }
    }

    /// The task and the applicant whose thread the caller means; strangers get "not found".
    static func thread(_ taskID: String, with other: String?, for caller: Principal, _ stores: Stores) throws -> (MarketTask, String) {
        let db = stores.db
        guard let task = try Stores(db).tasks.fetch(taskID), task.mode == caller.mode else { throw MarketplaceError.notFound("no task \(taskID)") }
        func isParticipant(_ userID: String) throws -> Bool {
            try task.workerID == userID
                || Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM applications WHERE task_id = ? AND applicant_id = ?"), arguments: [taskID, userID]) == true
        }
        if task.ownerID == caller.userID {
            guard let other else { throw MarketplaceError.validation(field: "to", message: "name the applicant the thread is with") }
            guard try isParticipant(other) else { throw MarketplaceError.notFound("no applicant \(other) on task \(taskID)") }
            return (task, other)
        }
        guard try isParticipant(caller.userID) else { throw MarketplaceError.notFound("no task \(taskID)") }
        return (task, caller.userID)
    }

    /// The caller's notifications in this mode, newest first.
    public func notifications(unreadOnly: Bool, for caller: Principal) throws(MarketplaceError) -> [Notification] {
        try caller.require(.tasksRead)
        return try store.readDB { db in
            try Row.fetchAll(try db.cachedStatement(sql: """
                SELECT * FROM notifications WHERE user_id = ? AND mode = ? \(unreadOnly ? "AND read_at IS NULL" : "")
                ORDER BY created_at DESC, rowid DESC LIMIT 200
                """), arguments: [caller.userID, caller.mode.rawValue]).map(Notification.init)
        }
    }

    /// Marks one of the caller's notifications read (again is harmless).
    public func markRead(_ id: String, for caller: Principal) async throws(MarketplaceError) -> Notification {
        try caller.require(.tasksWrite)
        return try await store.writeDB { db in
            try db.run(sql: "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ? AND mode = ?",
                           arguments: [clock.nowMicros(), id, caller.userID, caller.mode.rawValue])
            guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM notifications WHERE id = ? AND user_id = ? AND mode = ?"),
                                             arguments: [id, caller.userID, caller.mode.rawValue]) else {
                throw MarketplaceError.notFound("no notification \(id)")
            }
            return Notification(row: row)
        }
    }

    /// Marks all of the caller's notifications read; returns how many changed.
    public func markAllRead(for caller: Principal) async throws(MarketplaceError) -> Int {
        try caller.require(.tasksWrite)
        return try await store.writeDB { db in
            try db.run(sql: "UPDATE notifications SET read_at = ? WHERE user_id = ? AND mode = ? AND read_at IS NULL",
                           arguments: [clock.nowMicros(), caller.userID, caller.mode.rawValue])
            return db.changesCount
        }
    }
}
