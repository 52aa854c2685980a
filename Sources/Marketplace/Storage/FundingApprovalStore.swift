/// The funding approvals: fundings an API key asked for above its spend policy, each waiting
/// for the account owner to approve or decline it.
protocol FundingApprovalStore {
    /// The task's approval still waiting, if any.
    func pending(forTask taskID: String) throws -> FundingApproval?
    func fetch(_ id: String) throws -> FundingApproval?
    /// The user's approval `id` on a task of `mode`.
    func fetch(_ id: String, user userID: String, mode: Mode) throws -> FundingApproval?
    /// The user's approvals on tasks of `mode`, newest first, at most `limit`.
    func list(user userID: String, mode: Mode, limit: Int) throws -> [FundingApproval]
    /// Records a pending approval asked by `userID` for `approval.taskID`.
    func insert(_ approval: FundingApproval, userID: String) throws
    /// Moves a pending approval to `status`; false when it was no longer pending.
    func decide(_ id: String, as status: FundingApproval.Status, nowMicros: Int64) throws -> Bool
}
