/// An account as the validator holds it in memory: balances plus what constrains them.
struct AccountState: Sendable {
    var balance: AccountBalance
    let assetID: Int64
    let flags: AccountFlags
    /// Test or live, read from the code: a transfer never joins the two.
    let mode: LedgerMode
    /// The batch and commit that last touched the account, so each is saved or written once.
    var batchMark: Int64 = 0
    var commitMark: Int64 = 0

    init(balance: AccountBalance, assetID: Int64, flags: AccountFlags, mode: LedgerMode) {
        self.balance = balance
        self.assetID = assetID
        self.flags = flags
        self.mode = mode
    }

    /// Applies a movement's effect on the debit side, checking overflow and the constraint.
    mutating func debit(pendingDelta: Int64, postedDelta: Int64, index: Int, id: AccountID) throws(LedgerError) {
        var next = balance
        next.debitsPending = try Self.checked(next.debitsPending, pendingDelta, index, id)
        next.debitsPosted = try Self.checked(next.debitsPosted, postedDelta, index, id)
        if flags.contains(.debitsMustNotExceedCredits) {
            let debits = try Self.checked(next.debitsPending, next.debitsPosted, index, id)
            if debits > next.creditsPosted {
                let available = balance.creditsPosted &- balance.debitsPosted &- balance.debitsPending
                throw .exceedsCredits(index: index, account: id, availableMinor: available, requestedMinor: pendingDelta &+ postedDelta)
            }
        }
        balance = next
    }

    /// Applies a movement's effect on the credit side, checking overflow and the constraint.
    mutating func credit(pendingDelta: Int64, postedDelta: Int64, index: Int, id: AccountID) throws(LedgerError) {
        var next = balance
        next.creditsPending = try Self.checked(next.creditsPending, pendingDelta, index, id)
        next.creditsPosted = try Self.checked(next.creditsPosted, postedDelta, index, id)
        if flags.contains(.creditsMustNotExceedDebits) {
            let credits = try Self.checked(next.creditsPending, next.creditsPosted, index, id)
            if credits > next.debitsPosted {
                let available = balance.debitsPosted &- balance.creditsPosted &- balance.creditsPending
                throw .exceedsDebits(index: index, account: id, availableMinor: available, requestedMinor: pendingDelta &+ postedDelta)
            }
        }
        balance = next
    }

    private static func checked(_ lhs: Int64, _ rhs: Int64, _ index: Int, _ id: AccountID) throws(LedgerError) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard !overflow, sum >= 0 else { throw .overflow(index: index, account: id) }
        return sum
    }
}
