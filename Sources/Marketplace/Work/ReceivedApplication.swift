/// An application as the task's owner reads it, with who sent it (seed 001's applicant
/// profile): the applicant's worker profile, and their account name for one without a profile.
public struct ReceivedApplication: Sendable, Hashable {
    public let application: TaskApplication
    public let profile: WorkerProfile?
    public let fullName: String?
}
