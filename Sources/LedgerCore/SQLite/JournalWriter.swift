import Foundation
import GRDB
import Logging
import Synchronization

/// The database file's one writer. Callers on any thread enqueue jobs; a dedicated thread takes
/// every job waiting (up to `transfersPerCommitMax` transfers), validates each caller's
/// batch against the balances it holds in memory, writes all of them in one durable SQLite
/// commit (group commit), and only then gives each caller its own result.
///
/// It writes through GRDB's writer connection (holding it for each commit), so a transaction
/// job can write other tables through GRDB in the same commit as its ledger batches: one
/// writer for the file means no second writer waiting on SQLite's lock, and one fsync per
/// business event instead of one per table.
///
/// Thread-safety: `queue` and `isClosed` are guarded by `condition`; everything else is
/// touched only by the writer thread after `start()`.
final class JournalWriter: @unchecked Sendable {
    /// The most transfers one durable commit carries across callers.
    static let transfersPerCommitMax = 4 * TransferBatch.transfersMax
    /// A commit touching at most this many accounts indexes each in `account_commits`;
    /// a wider one stores them as one blob.
    static let narrowCommitAccountsMax = 64
    /// How often an idle writer wakes to expire holds.
    static let expiryPollSeconds = 0.5
    /// When the last commit served several callers and fewer are waiting now, wait up to this
    /// long for the others to come back: a durable commit costs more than the wait, and a
    /// lone caller never waits (its last commit served one).
    static let lingerSecondsMax = 0.000_2

    private let condition = NSCondition()
    private var queue: [WriterJob] = []
    private var isClosed = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    private let pool: DatabasePool
    private let connection: SQLiteConnection
    private let statements: WriterStatements
    var statementsForAccounts: WriterStatements { statements }
    private let clock: LedgerClock
    private let logger: Logger
    private var state = LedgerState()
    /// Later commits are stamped at or after `timestamp` (see `Ledger.closePeriod`).
    func raiseTimestampFloor(to timestamp: Int64) { state.lastTimestamp = max(state.lastTimestamp, timestamp) }

    var ledgerState: LedgerState {
        get { state }
        _modify { yield &state }
    }
    private var encoder = CanonicalEncoder()
    private var rows: [Transfer.Fields] = []
    private var lastCommitSeq: Int64 = 0
    /// Jobs in the last commit, for the linger rule.
    private var lastJobCount = 0
    /// Durable commits made and jobs they carried, for benchmarks (read from any thread).
    let commitsMade = Atomic<Int>(0)
    let jobsCommitted = Atomic<Int>(0)
    /// While a transaction job runs: what its staged batches must undo if it fails.
    private var jobUndos: [LedgerState.Undo]?

    /// This writer's bound on waiting jobs (`Ledger.writerQueueMax` unless a test sets a smaller one).
    let queuedJobsMax: Int

    init(pool: DatabasePool, clock: LedgerClock, logger: Logger, queuedJobsMax: Int = Ledger.writerQueueMax) throws(LedgerError) {
        precondition(queuedJobsMax > 0, "the writer must take at least one job")
        self.queuedJobsMax = queuedJobsMax
        self.pool = pool
        self.clock = clock
        self.logger = logger
        let opened: Result<(SQLiteConnection, WriterStatements, LedgerState, Int64), LedgerError> = pool.writeWithoutTransaction { db in
            do throws(LedgerError) {
                let connection = SQLiteConnection(borrowing: db.sqliteConnection!)
                // Durable when acknowledged: WAL with a sync on every commit.
                try connection.execute("PRAGMA journal_mode = WAL")
                try connection.execute("PRAGMA synchronous = FULL")
                try connection.execute("PRAGMA cache_size = -131072")
                try connection.execute("PRAGMA wal_autocheckpoint = 8192")
                // Each transaction job's savepoint keeps the pages it changes, already dirty in
                // the commit, in a statement journal: in memory, not in a temporary file (which
                // cost a pwrite of every such page, several times the WAL's own writes).
                try connection.execute("PRAGMA temp_store = MEMORY")
                let loader = StateLoader(connection: connection)
                return .success((connection, try WriterStatements(connection), try loader.load(), try loader.lastCommitSeq()))
            } catch {
                return .failure(error)
            }
        }
        (connection, statements, state, lastCommitSeq) = try opened.get()
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "ledger-writer"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    /// Stops taking jobs, finishes those queued, and waits for the thread to end.
    func close() {
        condition.lock()
        let wasClosed = isClosed
        isClosed = true
        condition.signal()
        condition.unlock()
        if !wasClosed, thread != nil { finished.wait() }
        if !wasClosed { pool.writeWithoutTransaction { _ in statements.finalize() } }
    }

    /// Jobs waiting for the writer now (the bound's tests, the queue-depth gauge).
    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    /// True until `close`: the writer takes jobs.
    var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !isClosed
    }

    func submit(_ job: WriterJob) {
        condition.lock()
        if isClosed {
            condition.unlock()
            job.fail(.closed)
            return
        }
        if queue.count >= queuedJobsMax {
            let queued = queue.count
            condition.unlock()
            job.fail(.busy(queued: queued))
            return
        }
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    // MARK: - The writer thread

    private func run() {
        while let jobs = nextJobs() {
            pool.writeWithoutTransaction { db in process(jobs, db) }
        }
        finished.signal()
    }

    /// Blocks until there is work; nil once closed and drained. An empty list means "expire holds".
    private func nextJobs() -> [WriterJob]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty {
            if isClosed { return nil }
            if let next = state.nextExpiryAt, next <= clock.nowMicros() { return [] }
            if state.nextExpiryAt != nil {
                _ = condition.wait(until: Date(timeIntervalSinceNow: Self.expiryPollSeconds))
            } else {
                condition.wait()
            }
        }
        let lingerUntil = Date(timeIntervalSinceNow: Self.lingerSecondsMax)
        while queue.count < lastJobCount, !isClosed, condition.wait(until: lingerUntil) {}
        var taken = 0
        var count = 0
        for job in queue {
            if count > 0 && count + job.transferCount > Self.transfersPerCommitMax { break }
            count += job.transferCount
            taken += 1
        }
        let jobs = Array(queue.prefix(taken))
        queue.removeFirst(taken)
        lastJobCount = jobs.count
        return jobs
    }

    private func process(_ jobs: [WriterJob], _ db: Database) {
        var results: [Outcome] = []
        results.reserveCapacity(jobs.count)
        do {
            try statements.begin.run()
            let timestamp = max(clock.nowMicros(), state.lastTimestamp)
            state.beginCommit()
            rows.removeAll(keepingCapacity: true)
            state.expireHolds(at: timestamp, into: &rows)
            let expired = rows.count
            _ = try insertRows(from: 0)
            for job in jobs {
                results.append(try perform(job, at: timestamp, expired: expired, db))
            }
            try writeBalances()
            try recordCommit(at: timestamp)
            try statements.commit.run()
            commitsMade.add(1, ordering: .relaxed)
            jobsCommitted.add(jobs.count, ordering: .relaxed)
            state.lastTimestamp = timestamp
        } catch {
            recover(from: error)
            for job in jobs { job.fail(error) }
            return
        }
        for (job, outcome) in zip(jobs, results) { outcome.deliver(to: job) }
    }

    /// What one job got, kept until its commit is durable.
    private enum Outcome {
        case receipt(Result<CommitReceipt, LedgerError>)
        case accounts(Result<[Account], LedgerError>)
        case expired(Int)
        case transaction

        func deliver(to job: WriterJob) {
            switch (job, self) {
            case (.commit(_, let continuation), .receipt(let result)): continuation.resume(returning: result)
            case (.createAccounts(_, let continuation), .accounts(let result)): continuation.resume(returning: result)
            case (.expire(let continuation), .expired(let count)): continuation.resume(returning: .success(count))
            case (.transaction(let job), .transaction): job.finish(nil)
            default: preconditionFailure("outcome does not match its job")
            }
        }
    }

    /// Runs one job inside the open commit. Request errors become results; storage errors throw.
    private func perform(_ job: WriterJob, at timestamp: Int64, expired: Int, _ db: Database) throws(LedgerError) -> Outcome {
        switch job {
        case .commit(let batch, _):
            do {
                return .receipt(.success(try commit(batch, at: timestamp)))
            } catch where !error.isTransient {
                return .receipt(.failure(error))
            }
        case .createAccounts(let accounts, _):
            do {
                return .accounts(.success(try create(accounts, at: timestamp)))
            } catch where !error.isTransient {
                return .accounts(.failure(error))
            }
        case .expire:
            return .expired(expired)
        case .transaction(let job):
            try perform(job, at: timestamp, db)
            return .transaction
        }
    }

    /// Runs a transaction job in its own savepoint. When it fails, its rows go back with the
    /// savepoint and its batches and accounts come out of memory, as if it never ran; the other
    /// jobs of the commit are untouched. A storage failure fails the whole commit.
    private func perform(_ job: TransactionJob, at timestamp: Int64, _ db: Database) throws(LedgerError) {
        let rowCount = rows.count
        let accountCount = state.accounts.count
        let touchedCount = state.touchedCount
        let lastHash = state.lastHash
        try statements.savepoint.run()
        jobUndos = []
        let transaction = LedgerTransaction(writer: self, db: db, timestamp: timestamp)
        let succeeded = job.run(transaction)
        transaction.close()
        let undos = jobUndos ?? []
        jobUndos = nil
        if let failure = transaction.storageFailure { throw failure }
        if !succeeded {
            try statements.rollbackToSavepoint.run()
            for undo in undos.reversed() { state.rollBack(undo, rows: &rows) }
            rows.removeSubrange(rowCount...)
            state.lastHash = lastHash
            state.forgetTransaction(touchedCount: touchedCount, accountCount: accountCount)
        }
        try statements.releaseSavepoint.run()
    }

    func commit(_ batch: TransferBatch, at timestamp: Int64) throws(LedgerError) -> CommitReceipt {
        var requestHash = JournalHash.genesis
        if let key = batch.idempotencyKey {
            guard !key.isEmpty, key.count <= TransferBatch.idempotencyKeyLengthMax else { throw .idempotencyKeyInvalid }
            requestHash = encoder.requestHash(of: batch)
            if let replay = try replay(key: key, requestHash: requestHash) { return replay }
        }
        let start = rows.count
        let undo = try state.stage(batch, at: timestamp, lookup: self, into: &rows)
        jobUndos?.append(undo)
        let transfers = try insertRows(from: start)
        if let key = batch.idempotencyKey {
            let insert = statements.insertIdempotencyKey
            insert.bind(1, key)
            requestHash.withBytes { insert.bind(2, blob: $0) }
            insert.bind(3, transfers[0].seq)
            insert.bind(4, Int64(transfers.count))
            insert.bind(5, timestamp)
            try insert.run()
        }
        return CommitReceipt(transfers: transfers, replayed: false)
    }

    /// The first result for a key used before with the same request; a conflict otherwise.
    private func replay(key: String, requestHash: JournalHash) throws(LedgerError) -> CommitReceipt? {
        let lookup = statements.idempotencyKey
        defer { lookup.reset() }
        lookup.bind(1, key)
        guard try lookup.step() else { return nil }
        guard JournalHash(bytes: lookup.blob(0)) == requestHash else { throw .idempotencyConflict(key: key) }
        let first = lookup.int64(1)
        let count = lookup.int64(2)
        let range = statements.transfersInRange
        defer { range.reset() }
        range.bind(1, first)
        range.bind(2, first + count - 1)
        var transfers: [Transfer] = []
        while try range.step() { transfers.append(TransferColumns.transfer(from: range)) }
        return CommitReceipt(transfers: transfers, replayed: true)
    }

    /// Hashes and inserts `rows[start...]`, advancing the chain.
    private func insertRows(from start: Int) throws(LedgerError) -> [Transfer] {
        var written: [Transfer] = []
        written.reserveCapacity(rows.count - start)
        let insert = statements.insertTransfer
        for row in rows[start...] {
            let hash = encoder.hash(of: row, previous: state.lastHash)
            state.lastHash = hash
            insert.bind(1, row.seq)
            insert.bind(2, row.id.rawValue)
            insert.bind(3, row.debitAccountID.rawValue)
            insert.bind(4, row.creditAccountID.rawValue)
            insert.bind(5, row.amountMinor)
            insert.bind(6, row.assetID)
            insert.bind(7, row.flags.rawValue)
            insert.bind(8, row.pendingID?.rawValue)
            insert.bind(9, row.reversesID?.rawValue)
            insert.bind(10, row.timeoutSeconds)
            insert.bind(11, row.code)
            insert.bind(12, row.timestamp)
            insert.bind(13, row.metadata)
            try hash.withBytes { (bytes) throws(LedgerError) in try insert.run(binding: 14, blob: bytes) }
            if row.flags != [] || row.reversesID != nil { try link(row) }
            written.append(Transfer(row, hash: hash))
        }
        return written
    }

    /// Records what a hold, resolution or reversal refers to (plain transfers have no link).
    private func link(_ row: Transfer.Fields) throws(LedgerError) {
        let insert = statements.insertLink
        func add(_ target: TransferID, _ kind: LinkKind) throws(LedgerError) {
            insert.bind(1, target.rawValue)
            insert.bind(2, kind.rawValue)
            insert.bind(3, row.seq)
            insert.bind(4, row.amountMinor)
            try insert.run()
        }
        if row.flags == .pending { try add(row.id, .openHold) }
        if let pendingID = row.pendingID {
            statements.deleteOpenHold.bind(1, pendingID.rawValue)
            try statements.deleteOpenHold.run()
            try add(pendingID, .resolution)
        }
        if let original = row.reversesID { try add(original, .reversal) }
    }

    private func writeBalances() throws(LedgerError) {
        let update = statements.updateBalance
        for index in state.touchedInCommit {
            let balance = state.accounts[index].balance
            update.bind(1, Int64(index))
            update.bind(2, balance.debitsPending)
            update.bind(3, balance.debitsPosted)
            update.bind(4, balance.creditsPending)
            update.bind(5, balance.creditsPosted)
            try update.run()
        }
    }

    /// One `commits` row per commit that wrote transfers, and the accounts it touched.
    private func recordCommit(at timestamp: Int64) throws(LedgerError) {
        guard let first = rows.first?.seq, let last = rows.last?.seq else { return }
        lastCommitSeq += 1
        let touched = state.touchedInCommit.map { Int64($0) }
        let wide = touched.count > Self.narrowCommitAccountsMax
        let insert = statements.insertCommit
        insert.bind(1, lastCommitSeq)
        insert.bind(2, first)
        insert.bind(3, last)
        insert.bind(4, timestamp)
        if wide {
            AccountSet.encode(touched).withUnsafeBytes { insert.bind(5, blob: $0) }
        } else {
            insert.bind(5, nil as Int64?)
        }
        try insert.run()
        guard !wide else { return }
        let index = statements.insertAccountCommit
        for account in touched {
            index.bind(1, account)
            index.bind(2, lastCommitSeq)
            try index.run()
        }
    }

    /// After a failed commit nothing in memory can be trusted: roll back and reload from disk.
    private func recover(from error: LedgerError) {
        logger.error("ledger commit failed; reloading state", metadata: ["error": "\(error)"])
        try? statements.rollback.run()
        do {
            state = try StateLoader(connection: connection).load()
            lastCommitSeq = try StateLoader(connection: connection).lastCommitSeq()
        } catch {
            // The ledger cannot continue on a state it cannot read back: refuse all further work.
            logger.critical("ledger state reload failed; closing", metadata: ["error": "\(error)"])
            condition.lock()
            isClosed = true
            let pending = queue
            queue.removeAll()
            condition.unlock()
            for job in pending { job.fail(.closed) }
        }
    }
}
