public import GRDB

/// The open group commit, lent to one transaction job while it runs on the writer thread:
/// GRDB's `db` for the caller's own tables and the ledger's accounts and batches, all in the
/// job's savepoint. Whatever it does lands in one durable commit, or (when the job throws)
/// not at all. Valid only inside `Ledger.transaction`'s body.
public final class LedgerTransaction {
    /// The writer connection, inside the job's savepoint.
    public let db: Database
    /// The commit's timestamp (microseconds since 1970), which the ledger's rows carry.
    public let timestampMicros: Int64
    private unowned let writer: JournalWriter
    private var isOpen = true
    /// Set when the store failed under a ledger call: the whole commit fails then, not just this job.
    private(set) var storageFailure: LedgerError?

    init(writer: JournalWriter, db: Database, timestamp: Int64) {
        self.writer = writer
        self.db = db
        timestampMicros = timestamp
    }

    func close() { isOpen = false }

    /// Commits `batch` with the job: validated against the balances as they stand in this
    /// commit (earlier jobs included). A repeated idempotency key replays the first result.
    public func commit(_ batch: TransferBatch) throws(LedgerError) -> CommitReceipt {
        try guarded { () throws(LedgerError) in try writer.commit(batch, at: timestampMicros) }
    }

    /// The account with `new.code`, created with the job when it does not exist yet; an
    /// existing code with other attributes is `accountExists`.
    public func account(_ new: NewAccount) throws(LedgerError) -> AccountID {
        try guarded { () throws(LedgerError) in try writer.create([new], at: timestampMicros)[0].id }
    }

    /// An account's balances as they stand in this commit, nil for an unknown id.
    public func balance(of id: AccountID) -> AccountBalance? {
        precondition(isOpen, "a ledger transaction is used after its job ended")
        return writer.ledgerState.hasAccount(id) ? writer.ledgerState.accounts[Int(id.rawValue)].balance : nil
    }

    /// Stamps every later commit at or after `timestamp` (a closed period's end), whatever the
    /// clock says; this commit's own stamp is already at or past it.
    func raiseTimestampFloor(to timestamp: Int64) {
        precondition(isOpen, "a ledger transaction is used after its job ended")
        writer.raiseTimestampFloor(to: timestamp)
    }

    private func guarded<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        precondition(isOpen, "a ledger transaction is used after its job ended")
        do {
            return try body()
        } catch {
            if error.isTransient { storageFailure = storageFailure ?? error }
            throw error
        }
    }
}
