/// What a journal row does; stored in `transfers.flags`.
public struct TransferFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Reserves funds (a hold) until posted, voided or expired.
    public static let pending = TransferFlags(rawValue: 1)
    /// Posts (part of) a pending transfer named by `pendingID`.
    public static let postPending = TransferFlags(rawValue: 2)
    /// Voids a pending transfer named by `pendingID`.
    public static let voidPending = TransferFlags(rawValue: 4)
    /// Set with `voidPending` when the ledger voided the hold at its timeout.
    public static let expired = TransferFlags(rawValue: 8)

    static let expiry: TransferFlags = [.voidPending, .expired]
}
