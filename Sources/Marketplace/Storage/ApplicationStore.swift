/// The applications: one row per human's application to do a task, with its message and
/// whether it is pending, accepted or rejected.
protocol ApplicationStore {
    func insert(_ application: TaskApplication) throws
    /// True when the user applied to the task (whatever became of the application).
    func exists(taskID: String, applicantID: String) throws -> Bool
    /// The application with this id on this task.
    func fetch(_ id: String, taskID: String) throws -> TaskApplication?
    /// The applications to a task, oldest first.
    func applications(to taskID: String) throws -> [TaskApplication]
    /// The user's applications to tasks in `mode`, newest first, at most 500.
    func applications(by applicantID: String, mode: Mode) throws -> [TaskApplication]
    /// The id of the user's pending application to the task, if any.
    func pendingID(taskID: String, applicantID: String) throws -> String?
    func markAccepted(_ id: String) throws
    func markRejected(_ id: String) throws
}
