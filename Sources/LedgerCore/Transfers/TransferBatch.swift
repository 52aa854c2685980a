/// Transfers committed together, all or none: one business event (a fee split is two
/// transfers in one batch). Carries the idempotency key of the request that made it.
public struct TransferBatch: Sendable, Hashable, Codable {
    public var transfers: [TransferRequest]
    /// The same key with the same transfers returns the first result; with others, a conflict.
    public var idempotencyKey: String?

    /// The most transfers one batch may carry (TigerBeetle's batch size).
    public static let transfersMax = 8_190
    /// The longest idempotency key accepted.
    public static let idempotencyKeyLengthMax = 255

    public init(_ transfers: [TransferRequest], idempotencyKey: String? = nil) {
        self.transfers = transfers
        self.idempotencyKey = idempotencyKey
    }
}

/// What the ledger answers for a committed batch.
public struct CommitReceipt: Sendable, Hashable {
    /// The journal rows the batch wrote, in order.
    public let transfers: [Transfer]
    /// True when an idempotency key matched an earlier commit and nothing new was written.
    public let replayed: Bool
}
