public import LedgerCore

/// A user's money in one asset, as GET /v1/wallet shows it. Every figure comes from the ledger.
public struct Wallet: Sendable, Hashable {
    public let asset: Asset
    public let accountID: AccountID
    /// What the user can spend now: posted balance minus pending outflows.
    public let availableMinor: Int64
    /// Outflows recorded as intents and not yet settled.
    public let pendingMinor: Int64
    /// Money in the escrow of the user's funded tasks not yet released, plus pending outflows.
    public let frozenMinor: Int64
}
