/// Why a posting recipe refused to build its transfers. Nothing reaches the ledger.
public enum RecipeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The parts of a dispute ruling do not add up to the escrow; `partsMinor` is nil on overflow.
    case partsDoNotSumToEscrow(escrowMinor: Int64, partsMinor: Int64?)
    /// An amount is negative, or zero where something must move.
    case amountInvalid(field: String, amountMinor: Int64)
    /// A recipe's transfer ids (base id + offset) would leave the 64-bit range.
    case transferIDOutOfRange(base: TransferID, offset: Int64)

    /// The request field at fault, in the API's spelling.
    public var field: String {
        switch self {
        case .partsDoNotSumToEscrow: "parts"
        case .amountInvalid(let field, _): field
        case .transferIDOutOfRange: "id"
        }
    }

    public var description: String {
        switch self {
        case .partsDoNotSumToEscrow(let escrow, let parts):
            "parts sum to \(parts.map(String.init) ?? "more than 64 bits hold"), not the escrow's \(escrow)"
        case .amountInvalid(let field, let amount): "\(field) \(amount) is not a valid amount here"
        case .transferIDOutOfRange(let base, let offset): "transfer id \(base) + \(offset) is out of range"
        }
    }
}
