public import LedgerCore

/// A task canceled or expired, as the commit that closed it left it, with the refund of its
/// escrow when it was funded.
public struct ClosedTask: Sendable, Hashable {
    public let task: MarketTask
    /// Nil when the task was never funded: nothing was refunded.
    public let refund: TaskRefund?
}

/// A closed task's escrow going back to its payer, in full (fee included).
public struct TaskRefund: Sendable, Hashable {
    public enum Destination: String, Sendable, Hashable {
        /// Back in the owner's wallet, in the closing commit.
        case wallet
        /// Back to the card that paid: the refund is sent to the card's processor after the
        /// commit, and its intent holds the money until the processor answers.
        case card
    }

    public let amountMinor: Int64
    public let asset: Asset
    public let to: Destination
    /// The ledger transfer of the refund (the wallet's credit, or the card refund's intent): the
    /// id the wallet's transactions and statements show.
    public let transferID: TransferID
}
