import Hummingbird
import Marketplace
import MarketplaceViews

/// The caller's referrals and their stats (seed 004 `GET /my/referrals`).
struct ReferralsController: Sendable {
    let auth: AuthService

    func addRoutes(to router: Router<APIContext>) {
        router.get("v1/referrals", use: list)
    }

    /// One user who registered with the caller's code (never their email).
    struct ReferralView: Encodable, Sendable {
        let userId: String
        let fullName: String
        let role: String
        let createdAt: String
    }

    struct Stats: Encodable, Sendable {
        let count: Int
        let rewardsEnabled: Bool
        let rewardsEarned: [MoneyView]
    }

    struct ReferralsView: Encodable, Sendable {
        let referralCode: String
        let referrals: [ReferralView]
        let stats: Stats
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Envelope<ReferralsView> {
        let caller = try context.requirePrincipal()
        let summary = try auth.referrals(for: caller)
        let referrals = summary.referrals.map { referral in
            ReferralView(userId: referral.referredID, fullName: referral.fullName, role: referral.role.rawValue,
                         createdAt: Timestamps.format(referral.createdAt))
        }
        let stats = Stats(count: summary.count, rewardsEnabled: summary.rewardsEnabled,
                          rewardsEarned: summary.rewardsEarned.map { MoneyView(minor: $0.minor, asset: $0.asset) })
        return Envelope(ReferralsView(referralCode: summary.code, referrals: referrals, stats: stats))
    }
}
