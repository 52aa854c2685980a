import MCP
import Marketplace
import MarketplaceViews

/// Threads between a task's owner and each applicant (MessageService).
enum MessageTools {
    static let definitions = [listMessages, sendMessage]

    static let listMessages = ToolDefinition(
        name: "list_messages", title: "Read a task's messages",
        description: """
            Reads one thread on a task, oldest first. A task has one thread per applicant: as the owner, name the \
            applicant's user id in with (applicant_id from list_applications). Needs messages:read.
            """,
        input: Schema.object([
            "task_id": Schema.taskID,
            "with": Schema.string("The applicant's user id (usr_…) whose thread to read; required for the task's owner."),
        ], required: ["task_id"]),
        readOnly: true
    ) { call in
        do {
            let messages = try call.tools.messages.messages(on: try call.arguments.requiredString("task_id"), with: call.arguments.string("with"),
                                                            for: call.caller)
            return Messages(messages: messages.map(MessageView.init))
        } catch MarketplaceError.validation(field: "to", _) {
            // The service names its parameter for sending; this tool calls it `with`.
            throw MarketplaceError.validation(field: "with", message: "name the applicant the thread is with (with = their user id)")
        }
    }

    struct Messages: Encodable, Sendable { let messages: [MessageView] }

    static let sendMessage = ToolDefinition(
        name: "send_message", title: "Send a message",
        description: """
            Sends a message on a task to one applicant or its worker (to = their user id, from list_applications or \
            get_task's worker_id); they are notified. At most \(Message.bodyLengthMax) characters. Needs messages:write.
            """,
        input: Schema.object([
            "task_id": Schema.taskID,
            "body": Schema.string("The message text."),
            "to": Schema.string("The applicant's or worker's user id (usr_…); required for the task's owner."),
        ], required: ["task_id", "body"])
    ) { call in
        MessageView(try await call.tools.messages.send(on: try call.arguments.requiredString("task_id"), body: try call.arguments.requiredString("body"),
                                                       to: call.arguments.string("to"), by: call.caller))
    }
}
