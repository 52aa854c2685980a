/// A task posted and funded in one commit, as that commit left it.
public struct FundedTask: Sendable, Hashable {
    public let task: MarketTask
    public let funding: TaskFunding
}
