/// The caller's referrals (seed 004 `GET /my/referrals`).
extension AuthService {
    /// Referral rewards are not paid: no posting recipe moves money for a referral, so the
    /// stats say so and count nothing earned, in each wallet asset.
    public static let referralRewardsEnabled = false

    /// The caller's code, the users who registered with it (newest first) and the stats. Any
    /// credential of the user's reads them but a task token, which stands for one task only.
    public func referrals(for caller: Principal) throws(MarketplaceError) -> ReferralSummary {
        if case .taskToken = caller.credential { throw .forbidden("a task token manages its task only; sign in to see referrals") }
        let (user, referrals, count) = try store.read { stores in
            (try stores.users.fetch(caller.userID), try stores.referrals.referrals(by: caller.userID, limit: ReferralSummary.listedMax),
             try stores.referrals.count(by: caller.userID))
        }
        guard let user else { throw .unauthorized("the account no longer exists") }
        return ReferralSummary(code: user.referralCode, referrals: referrals, count: count, rewardsEnabled: Self.referralRewardsEnabled,
                               rewardsEarned: SettlementService.walletAssets.map { ($0, 0) })
    }
}
