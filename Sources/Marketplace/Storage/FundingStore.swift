import LedgerCore

/// The fundings: how each task was funded (its escrow account and the fee split fixed then),
/// one row per task, and whether its ledger batch (the operation `fund:<task>`) is committed.
protocol FundingStore {
    /// The task's funding whose ledger batch is committed.
    func committed(of taskID: String) throws -> TaskFunding?
    /// True when the task's funding is recorded and its ledger operation committed.
    func isFunded(_ taskID: String) throws -> Bool
    /// The task's funding as recorded, its batch committed or not.
    func recorded(of taskID: String) throws -> TaskFunding?
    /// Records the funding once per task (a second insert for the task is ignored).
    func insert(_ funding: TaskFunding, fundedAt: Int64, keyID: String?) throws
    /// Removes the task's funding (its batch was refused: nothing moved).
    func delete(of taskID: String) throws
    /// The escrow put in `asset` since `sinceMicros` by fundings made through the key (their
    /// batches recorded), for its daily cap.
    func fundedThroughKey(_ keyID: String, asset: Asset, sinceMicros: Int64) throws -> Int64
    /// The escrow accounts of the owner's committed fundings in `asset` whose tasks are still
    /// open (not in a final status).
    func openEscrows(owner: String, mode: Mode, asset: Asset) throws -> [AccountID]
}
