/// The messages: one row per message in the thread between a task's owner and one applicant.
protocol MessageStore {
    func insert(id: String, taskID: String, applicantID: String, senderID: String, body: String, nowMicros: Int64) throws
    func fetch(_ id: String) throws -> Message?
    /// The thread on `taskID` with `applicantID`, oldest first, at most 1,000 messages.
    func thread(taskID: String, applicantID: String) throws -> [Message]
}
