/// A pending transfer not yet posted, voided or expired, as the validator keeps it in memory.
struct Hold: Sendable, Hashable {
    let id: TransferID
    let debitAccountID: AccountID
    let creditAccountID: AccountID
    let amountMinor: Int64
    let assetID: Int64
    /// Microseconds since 1970; nil when the hold never lapses.
    let expiresAt: Int64?

    init(_ transfer: Transfer) {
        precondition(transfer.flags == .pending)
        id = transfer.id
        debitAccountID = transfer.debitAccountID
        creditAccountID = transfer.creditAccountID
        amountMinor = transfer.amountMinor
        assetID = transfer.assetID
        expiresAt = transfer.expiresAt
    }
}
