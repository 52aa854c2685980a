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

    /// Seed 004's rule as its endpoint list states it: approval releases 99.99% to the human and
    /// 0.01% to the platform, out of the escrowed budget (on tasks whose fee the worker bears).
    public static let humans2ai = Pricing(version: "humans2ai-v1", policy: try! FeePolicy(basisPoints: 1, fixedMinor: 0, payer: .fromPayout))
    /// Seed 004's webhook example: 142.50 paid and 7.50 fee of 150, 95% / 5%.
    public static let humans2aiExample = Pricing(version: "humans2ai-example-v1", policy: try! FeePolicy(basisPoints: 500, fixedMinor: 0, payer: .fromPayout))

    /// The rules an operator selects by name (MARKETPLACE_PRICING).
    public static let named: [String: Pricing] = ["standard": .standard, "humans2ai": .humans2ai, "humans2ai-example": .humans2aiExample]

    /// 10% on top of the budget, paid by the agent when funding.
    public static let standard = Pricing(version: "2026-11-v1", policy: try! FeePolicy(basisPoints: 1_000, fixedMinor: 0, payer: .agentOnTop))
}
