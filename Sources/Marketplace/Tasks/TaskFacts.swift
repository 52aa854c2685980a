/// What the store reads beside a task's row: whether its funding is committed or under way,
/// how a dispute split it, and how many people applied. Set by the store on every read and by
/// the commit that changes them (a funding at posting); never written by a client.
public struct TaskFacts: Sendable, Hashable, Codable {
    /// The task's funding is committed to the ledger (`fund:<task>`).
    public var funded = false
    /// A funding is under way: an open checkout or authorization, or one waiting for the
    /// account owner's approval.
    public var fundingPending = false
    /// A resolved dispute gave the worker some of the escrow.
    public var disputePaidWorker = false
    /// Applications received, whatever their status.
    public var applicationCount = 0

    public init(funded: Bool = false, fundingPending: Bool = false, disputePaidWorker: Bool = false, applicationCount: Int = 0) {
        self.funded = funded
        self.fundingPending = fundingPending
        self.disputePaidWorker = disputePaidWorker
        self.applicationCount = applicationCount
    }
}
