/// The secrets that sign deliveries to task callback URLs: one sealed secret per user and mode.
protocol WebhookCallbackSecretStore {
    /// Makes or replaces the sealed secret of `userID` in `mode`.
    func save(userID: String, mode: Mode, secretSealed: String, nowMicros: Int64) throws
    /// The sealed secret of `userID` in `mode` (given as its raw value), nil before one is made.
    func secretSealed(userID: String, mode: String) throws -> String?
}
