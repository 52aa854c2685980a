public import LedgerCore

/// A disagreement over an assigned task. While it is open the escrow stays frozen, past any
/// deadline; an admin resolves it with a split the ledger posts exactly.
public struct Dispute: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable { case open, resolved }

    /// How an admin's resolution divided the escrow: the three parts sum to it exactly.
    public struct Split: Sendable, Hashable {
        public let asset: Asset
        public let toWorkerMinor: Int64
        public let toPayerMinor: Int64
        public let feeMinor: Int64
    }

    public let id: String
    public let taskID: String
    public let openedBy: String
    public let reason: String
    public var status: Status
    public var split: Split?
    public var resolution: String?
    public let createdAt: Int64
    public var resolvedAt: Int64?

    public static let reasonLengthMax = 5_000
}
