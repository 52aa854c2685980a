/// The worker profiles: one row per human who does tasks, with their public details and the
/// admin's verification.
protocol WorkerProfileStore {
    func fetch(_ userID: String) throws -> WorkerProfile?
    /// Creates or replaces the profile's details; a new profile starts unverified and an
    /// existing one keeps its verification.
    func save(_ profile: WorkerProfile) throws
    /// Sets a profile's verification at `nowMicros`; does nothing when there is no profile.
    func setVerified(_ verified: Bool, userID: String, nowMicros: Int64) throws
    /// True when the user has a verified profile.
    func isVerified(_ userID: String) throws -> Bool
    /// Adds the mock operator's verified, available profile unless it exists.
    func ensureMockOperator(userID: String, nowMicros: Int64) throws
}
