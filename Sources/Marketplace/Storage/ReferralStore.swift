/// The referrals: one row per referred user, naming who referred them and with which code.
protocol ReferralStore {
    /// Records that `referredID` registered with `referrerID`'s code.
    func insert(referredID: String, referrerID: String, code: String, nowMicros: Int64) throws
    /// The users `referrerID` referred, newest first, at most `limit`.
    func referrals(by referrerID: String, limit: Int) throws -> [Referral]
    /// How many users `referrerID` referred in all.
    func count(by referrerID: String) throws -> Int
}
