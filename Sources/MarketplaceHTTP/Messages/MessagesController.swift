import Hummingbird
import Marketplace
import MarketplaceViews

/// Threads between a task's owner and its applicants, and the caller's notifications.
struct MessagesController: Sendable {
    let messages: MessageService

    func addRoutes(to router: Router<APIContext>) {
        router.post("v1/tasks/:task/messages", use: send)
        router.get("v1/tasks/:task/messages", use: thread)
        router.get("v1/notifications", use: notifications)
        router.post("v1/notifications/read-all", use: markAllRead)
        router.post("v1/notifications/:notification/read", use: markRead)
    }

    struct NotificationView: Encodable, Sendable {
        let id: String
        let kind: String
        let taskId: String?
        let text: String
        let read: Bool
        let createdAt: String

        init(_ notification: Notification) {
            id = notification.id
            kind = notification.kind.rawValue
            taskId = notification.taskID
            text = notification.text
            read = notification.readAt != nil
            createdAt = Timestamps.format(notification.createdAt)
        }
    }

    struct SendBody: Decodable {
        let body: String
        let to: String?
    }

    @Sendable func send(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<MessageView>> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(SendBody.self, from: request, context: context)
        let message = try await messages.send(on: try context.parameters.require("task"), body: body.body, to: body.to, by: caller)
        return EditedResponse(status: .created, response: Envelope(MessageView(message)))
    }

    @Sendable func thread(_ request: Request, context: APIContext) async throws -> Envelope<[MessageView]> {
        let caller = try context.requirePrincipal()
        let with = request.uri.queryParameters["with"].map(String.init)
        return Envelope(try messages.messages(on: try context.parameters.require("task"), with: with, for: caller).map(MessageView.init))
    }

    /// The notification list's answer: the envelope with how many are unread beside `data`, as
    /// the seed APIs answer it.
    struct NotificationsAnswer: ResponseEncodable, Sendable {
        let success = true
        let data: [NotificationView]
        let unreadCount: Int
    }

    @Sendable func notifications(_ request: Request, context: APIContext) async throws -> NotificationsAnswer {
        let caller = try context.requirePrincipal()
        let unread = request.uri.queryParameters["unread"] == "true"
        let (notifications, unreadCount) = try messages.notifications(unreadOnly: unread, for: caller)
        return NotificationsAnswer(data: notifications.map(NotificationView.init), unreadCount: unreadCount)
    }

    @Sendable func markRead(_ request: Request, context: APIContext) async throws -> Envelope<NotificationView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return Envelope(NotificationView(try await messages.markRead(try context.parameters.require("notification"), for: caller)))
    }

    struct Marked: Encodable, Sendable { let marked: Int }

    @Sendable func markAllRead(_ request: Request, context: APIContext) async throws -> Envelope<Marked> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return Envelope(Marked(marked: try await messages.markAllRead(for: caller)))
    }
}
