/// Replays journal rows onto balances, the same way for every reader of history
/// (balances as of a time, statements, the verifier).
struct BalanceFold {
    /// The amount each pending transfer still holds, so a later post or void can release it.
    private(set) var holdAmounts: [TransferID: Int64] = [:]

    /// The (pending, posted) change a row makes to each side, or nil when the row names a
    /// hold that this fold has not seen open.
    mutating func deltas(of transfer: Transfer) -> (pending: Int64, posted: Int64)? {
        let flags = transfer.flags
        if flags.contains(.pending) {
            holdAmounts[transfer.id] = transfer.amountMinor
            return (transfer.amountMinor, 0)
        }
        if flags.contains(.postPending) || flags.contains(.voidPending) {
            guard let pendingID = transfer.pendingID, let held = holdAmounts.removeValue(forKey: pendingID) else { return nil }
            return (-held, flags.contains(.postPending) ? transfer.amountMinor : 0)
        }
        return (0, transfer.amountMinor)
    }
}

extension AccountBalance {
    /// Adds a row's effect on one side; false on overflow or a negative total.
    mutating func apply(isDebit: Bool, pending: Int64, posted: Int64) -> Bool {
        func add(_ value: inout Int64, _ delta: Int64) -> Bool {
            let (sum, overflow) = value.addingReportingOverflow(delta)
            guard !overflow, sum >= 0 else { return false }
            value = sum
            return true
        }
        return isDebit
            ? add(&debitsPending, pending) && add(&debitsPosted, posted)
            : add(&creditsPending, pending) && add(&creditsPosted, posted)
    }
}
