public import Marketplace

/// An anonymous post (seed 002): the task, its token (shown once: it is the only way to manage
/// the task), and where to read and fund it.
public struct AnonymousTaskView: Encodable, Sendable {
    public let task: TaskView
    public let taskToken: String
    public let taskUrl: String
    public let fundUrl: String

    public init(_ posted: AnonymousTask) {
        task = TaskView(posted.task)
        taskToken = posted.token
        taskUrl = "/v1/tasks/\(posted.task.id)"
        fundUrl = "/v1/tasks/\(posted.task.id)/fund"
    }
}
