/// The withdrawals: money a user takes out of a wallet through a connector, pending until the
/// connector pays (paid) or the intent is refused (failed).
protocol WithdrawalStore {
    func fetch(_ id: String) throws -> Withdrawal?
    /// Records a pending withdrawal of `userID` in `mode` (once per id).
    func insertPending(_ withdrawal: Withdrawal, userID: String, mode: Mode) throws
    /// Removes a withdrawal still pending (its intent was refused: nothing moved).
    func deletePending(_ id: String) throws
    /// Marks the withdrawal paid; its settlement time is the first one recorded.
    func markPaid(_ id: String, nowMicros: Int64) throws
    /// Marks a pending withdrawal failed.
    func markFailed(_ id: String, nowMicros: Int64) throws
    /// The test connector's withdrawals still pending.
    func pendingThroughTestConnector() throws -> [Withdrawal]
}
