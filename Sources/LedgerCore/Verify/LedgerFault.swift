/// The first thing `verify` found wrong, precise enough to go and look at.
public enum LedgerFault: Sendable, Hashable, CustomStringConvertible {
    case journalGap(expectedSeq: Int64, foundSeq: Int64)
    case hashMismatch(seq: Int64, id: TransferID, stored: JournalHash, computed: JournalHash)
    case timestampWentBack(seq: Int64)
    case unknownAccount(seq: Int64, account: AccountID)
    case assetMismatch(seq: Int64, account: AccountID)
    /// A transfer between a test-mode and a live account: rehearsal money met real money.
    case modesJoined(seq: Int64, debit: AccountID, credit: AccountID)
    case invalidTransfer(seq: Int64, reason: String)
    case holdStateInvalid(seq: Int64, pendingID: TransferID, reason: String)
    case holdNotExpired(pendingID: TransferID, expiresAt: Int64)
    case reversalInvalid(seq: Int64, reason: String)
    case constraintBroken(seq: Int64, account: AccountID)
    case balanceOverflow(seq: Int64, account: AccountID)
    case balanceMismatch(account: AccountID, stored: AccountBalance, journal: AccountBalance)
    case unbalanced(asset: String, debitsMinor: Int64, creditsMinor: Int64, kind: String)
    case commitIndexBroken(commitSeq: Int64, reason: String)
    case linkIndexBroken(seq: Int64, reason: String)
    case closedPeriodChanged(name: String, reason: String)

    public var description: String {
        switch self {
        case .journalGap(let expected, let found): "journal gap: expected seq \(expected), found \(found)"
        case .hashMismatch(let seq, let id, let stored, let computed):
            "hash chain broken at seq \(seq) (transfer \(id)): stored \(stored), computed \(computed)"
        case .timestampWentBack(let seq): "timestamp goes back at seq \(seq)"
        case .unknownAccount(let seq, let account): "seq \(seq) names unknown account \(account)"
        case .assetMismatch(let seq, let account): "seq \(seq) moves an asset account \(account) does not hold"
        case .modesJoined(let seq, let debit, let credit):
            "seq \(seq) moves money between a test-mode and a live account (\(debit) -> \(credit))"
        case .invalidTransfer(let seq, let reason): "seq \(seq) is invalid: \(reason)"
        case .holdStateInvalid(let seq, let pending, let reason): "seq \(seq) resolves pending transfer \(pending) wrongly: \(reason)"
        case .holdNotExpired(let pending, let expiresAt): "pending transfer \(pending) should have expired at \(expiresAt)"
        case .reversalInvalid(let seq, let reason): "seq \(seq) is an invalid reversal: \(reason)"
        case .constraintBroken(let seq, let account): "seq \(seq) breaks the balance constraint of account \(account)"
        case .balanceOverflow(let seq, let account): "seq \(seq) overflows a balance of account \(account)"
        case .balanceMismatch(let account, let stored, let journal):
            "account \(account) stores \(Self.text(stored)) but its journal sums to \(Self.text(journal))"
        case .unbalanced(let asset, let debits, let credits, let kind):
            "\(asset) \(kind) debits \(debits) do not equal credits \(credits)"
        case .commitIndexBroken(let commit, let reason): "commit \(commit): \(reason)"
        case .linkIndexBroken(let seq, let reason): "seq \(seq): \(reason)"
        case .closedPeriodChanged(let name, let reason): "closed period \(name): \(reason)"
        }
    }

    private static func text(_ balance: AccountBalance) -> String {
        "debits \(balance.debitsPosted)+\(balance.debitsPending) pending, credits \(balance.creditsPosted)+\(balance.creditsPending) pending"
    }
}

/// What `verify` checked and what it found.
public struct VerifyReport: Sendable, Hashable {
    public let transfersChecked: Int64
    public let accountsChecked: Int
    public let commitsChecked: Int64
    public let holdsOpen: Int
    public let head: JournalHash
    /// The first fault in journal order; nil when the ledger is consistent.
    public let fault: LedgerFault?

    public var isClean: Bool { fault == nil }
}
