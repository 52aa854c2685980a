public import LedgerCore

/// The platform's fee rule in force, with the version each funding records, so a later
/// change applies only to tasks funded after it.
public struct Pricing: Sendable, Hashable {
    public let version: String
    public let policy: FeePolicy

    public init(version: String, policy: FeePolicy) {
        self.version = version
        self.policy = policy
    }

    /// The split of a budget under this rule, with the fee borne by `payer`: same rate and fixed
    /// part either way, only who pays it differs.
    public func split(budgetMinor: Int64, paidBy payer: FeePayer) throws(FeePolicyError) -> FeeSplit {
        try FeePolicy(basisPoints: policy.basisPoints, fixedMinor: policy.fixedMinor, payer: payer.policyPayer).split(budgetMinor: budgetMinor)
    }

    /// 10% on top of the budget, paid by the agent when funding.
    public static let standard = Pricing(version: "2026-11-v1", policy: try! FeePolicy(basisPoints: 1_000, fixedMinor: 0, payer: .agentOnTop))
}
