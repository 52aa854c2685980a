/// The disputes: one per disputed task, open until an admin resolves it with a split.
protocol DisputeStore {
    func insert(_ dispute: Dispute) throws
    /// The task's dispute, its split read in the asset of the task's funding.
    func dispute(onTask taskID: String) throws -> Dispute?
    /// The dispute with `id` as stored (its split without an asset: none is read).
    func fetch(_ id: String) throws -> Dispute?
    /// Open disputes on tasks of `mode`, oldest first, at most `limit`.
    func open(mode: Mode, limit: Int) throws -> [Dispute]
    /// Resolves the dispute if it is still open; false when it was not.
    func resolve(_ id: String, split: Dispute.Split, resolution: String, nowMicros: Int64) throws -> Bool
}
