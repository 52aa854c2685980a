public import Marketplace

/// A task posted and funded in one step: the task's fields, as `TaskView` gives them, and its
/// funding beside them under `funding`.
public struct FundedTaskView: Encodable, Sendable {
    public let task: TaskView
    public let funding: FundingView

    public init(_ posted: FundedTask) {
        task = TaskView(posted.task)
        funding = FundingView(posted.funding)
    }

    private enum Key: String, CodingKey { case funding }

    public func encode(to encoder: any Encoder) throws {
        try task.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(funding, forKey: .funding)
    }
}
