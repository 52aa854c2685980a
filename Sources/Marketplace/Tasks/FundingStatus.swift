/// Where a task's money stands, as the seed marketplaces show it on a task.
public enum FundingStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// No money in escrow and none on its way.
    case unfunded
    /// A funding is under way: a checkout or authorization not yet settled, or a funding
    /// waiting for the account owner's approval.
    case pending
    /// The money is in escrow.
    case funded
    /// The escrow went back to the payer (canceled, expired, or a dispute resolved for them).
    case refunded
    /// The escrow was paid out to the worker (approved, or a dispute resolved for them).
    case released
}
