/// One transfer a caller asks the ledger to record. Build it with the static constructors,
/// which say what kind of movement it is.
public struct TransferRequest: Sendable, Hashable, Codable {
    /// What the transfer does.
    public enum Kind: Sendable, Hashable, Codable {
        /// Moves money at once.
        case posted
        /// Reserves money until posted or voided; expires after `timeoutSeconds` (0: never).
        case pending(timeoutSeconds: Int64)
        /// Posts `amountMinor` (nil: all) of a pending transfer and releases the rest.
        case postPending(TransferID)
        /// Releases a pending transfer in full.
        case voidPending(TransferID)
        /// Moves money back along a posted transfer; names what it reverses.
        case reversal(of: TransferID)
    }

    public var id: TransferID
    public var kind: Kind
    /// Required for `posted` and `pending`; taken from the named transfer otherwise.
    public var debitAccountID: AccountID?
    public var creditAccountID: AccountID?
    /// Minor units; nil on a post or reversal means "all that remains", and is required otherwise.
    public var amountMinor: Int64?
    /// The asset the caller means to move: both accounts must hold it.
    public var asset: Asset?
    /// Which posting recipe made this transfer (see Ledger/posting-recipes.md).
    public var code: Int64
    /// Free-form JSON text kept with the row and covered by its hash (references, exact wei).
    public var metadata: String?

    /// The longest metadata text accepted, in UTF-8 bytes.
    public static let metadataBytesMax = 4_096
    /// The longest pending timeout: one year.
    public static let timeoutSecondsMax: Int64 = 366 * 24 * 3_600

    public static func posted(id: TransferID, debit: AccountID, credit: AccountID, amountMinor: Int64, asset: Asset, code: Int64 = 0, metadata: String? = nil) -> TransferRequest {
        TransferRequest(id: id, kind: .posted, debitAccountID: debit, creditAccountID: credit, amountMinor: amountMinor, asset: asset, code: code, metadata: metadata)
    }

    public static func pending(id: TransferID, debit: AccountID, credit: AccountID, amountMinor: Int64, asset: Asset, timeoutSeconds: Int64 = 0, code: Int64 = 0, metadata: String? = nil) -> TransferRequest {
        TransferRequest(id: id, kind: .pending(timeoutSeconds: timeoutSeconds), debitAccountID: debit, creditAccountID: credit, amountMinor: amountMinor, asset: asset, code: code, metadata: metadata)
    }

    public static func post(id: TransferID, pending: TransferID, amountMinor: Int64? = nil, code: Int64 = 0, metadata: String? = nil) -> TransferRequest {
        TransferRequest(id: id, kind: .postPending(pending), debitAccountID: nil, creditAccountID: nil, amountMinor: amountMinor, asset: nil, code: code, metadata: metadata)
    }

    public static func void(id: TransferID, pending: TransferID, code: Int64 = 0, metadata: String? = nil) -> TransferRequest {
        TransferRequest(id: id, kind: .voidPending(pending), debitAccountID: nil, creditAccountID: nil, amountMinor: nil, asset: nil, code: code, metadata: metadata)
    }

    public static func reversal(id: TransferID, of original: TransferID, amountMinor: Int64? = nil, code: Int64 = 0, metadata: String? = nil) -> TransferRequest {
        TransferRequest(id: id, kind: .reversal(of: original), debitAccountID: nil, creditAccountID: nil, amountMinor: amountMinor, asset: nil, code: code, metadata: metadata)
    }
}
