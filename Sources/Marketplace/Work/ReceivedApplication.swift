/// An application as the task's owner reads it: the application and who sent it (seed 001's
/// applicant profile), from the applicant's worker profile, or only their name without one.
public struct ReceivedApplication: Sendable, Hashable {
    public let application: TaskApplication
    public let applicant: Applicant
}

/// The public details of someone who applied to a task.
public struct Applicant: Sendable, Hashable {
    public let displayName: String
    public let headline: String?
    public let city: String?
    public let country: String?
    public let skills: [String]
    public let available: Bool
    public let verified: Bool

    /// From a worker profile, or (without one) the account's full name and nothing else.
    init(profile: WorkerProfile?, fullName: String?) {
        displayName = profile?.displayName ?? fullName ?? ""
        headline = profile?.headline
        city = profile?.city
        country = profile?.country
        skills = profile?.skills ?? []
        available = profile?.available ?? false
        verified = profile?.verified ?? false
    }
}
