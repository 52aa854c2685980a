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

    /// 10% on top of the budget, paid by the agent when funding.
    public static let standard = Pricing(version: "2026-11-v1", policy: try! FeePolicy(basisPoints: 1_000, fixedMinor: 0, payer: .agentOnTop))
}
