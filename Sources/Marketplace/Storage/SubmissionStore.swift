/// The submissions: one row per set of deliverables a worker handed in for a task (a bounty's
/// entries among them), with its note, proof score, status and the owner's feedback.
protocol SubmissionStore {
    /// Records a new submission (its status is `submitted`).
    func insert(_ submission: Submission) throws
    /// True when the worker already submitted to the task.
    func exists(taskID: String, workerID: String) throws -> Bool
    /// The task's submissions, oldest first; only the worker's own with `workerID`.
    func submissions(to taskID: String, workerID: String?) throws -> [Submission]
    /// The submission with this id on this task.
    func fetch(_ id: String, taskID: String) throws -> Submission?
    /// The task's most recent submission.
    func latest(taskID: String) throws -> Submission?
    /// Marks the submission approved and declines the task's other entries still submitted
    /// (a bounty's losers).
    func approve(_ id: String, taskID: String) throws
    /// Marks the submission rejected with the owner's reason.
    func markRejected(_ id: String, feedback: String) throws
    /// Sends the task's most recent submission back for a revision with the owner's feedback.
    func requestRevisionOfLatest(taskID: String, feedback: String) throws
}
