/// The payout accounts: per person, mode and connector, the account their earnings are paid
/// to (a Stripe Connect account, a Base address).
protocol PayoutAccountStore {
    /// Links `accountID`, replacing the one linked before.
    func link(userID: String, mode: Mode, connector: String, accountID: String, nowMicros: Int64) throws
    func unlink(userID: String, mode: Mode, connector: String) throws
    func fetch(userID: String, mode: Mode, connector: String) throws -> PayoutAccount?
}
