/// A transfer's identity, chosen by the caller (TigerBeetle's model) so that a retry after a
/// crash can name the same transfer. Callers use ids from 1 up; negative ids are the
/// ledger's own (the expiry of hold `n` is `-n`). Ids that only grow are cheapest to check.
public struct TransferID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public static func < (lhs: TransferID, rhs: TransferID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }

    /// The id of the ledger's expiry of the pending transfer `pending`.
    static func expiry(of pending: TransferID) -> TransferID { TransferID(-pending.rawValue) }
}
