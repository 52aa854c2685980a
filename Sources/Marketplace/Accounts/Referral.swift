public import LedgerCore

/// One user who registered with the caller's referral code.
public struct Referral: Sendable, Hashable {
    public let referredID: String
    public let fullName: String
    public let role: UserRole
    /// When the referred user registered, microseconds since 1970.
    public let createdAt: Int64
}

/// The caller's referral code, the users it brought (newest first, at most `listedMax`), and
/// the stats: how many in all, and the rewards earned. Rewards are not paid by this
/// marketplace, so `rewardsEnabled` is false and nothing is earned.
public struct ReferralSummary: Sendable {
    public let code: String
    public let referrals: [Referral]
    public let count: Int
    public let rewardsEnabled: Bool
    /// Per wallet asset, in its minor unit, in `SettlementService.walletAssets` order.
    public let rewardsEarned: [(asset: Asset, minor: Int64)]

    /// The most referrals one answer lists; `count` counts them all.
    public static let listedMax = 200
}
