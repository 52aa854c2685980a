/// The milestones of tasks: a row per milestone with its status and the part of the task's
/// fee split its funding fixed. Each change moves only a milestone in the status it expects,
/// and says whether it did, so a commit that raced another one refuses instead of moving twice.
protocol MilestoneStore {
    /// Writes the task's milestones, all pending, when the task is posted.
    func insert(_ specs: [MilestoneSpec], taskID: String) throws
    /// The task's milestones in order, with their statuses; `specs` are the task's definitions.
    func milestones(of taskID: String, specs: [MilestoneSpec]) throws -> [Milestone]
    /// pending → funded with its part; false when the milestone was not pending.
    func markFunded(_ milestoneID: String, taskID: String, escrowMinor: Int64, payoutMinor: Int64, feeMinor: Int64, nowMicros: Int64) throws -> Bool
    /// funded → released; false when the milestone was not funded.
    func markReleased(_ milestoneID: String, taskID: String, nowMicros: Int64) throws -> Bool
    /// funded → refunded; false when the milestone was not funded.
    func markRefunded(_ milestoneID: String, taskID: String, nowMicros: Int64) throws -> Bool
}
