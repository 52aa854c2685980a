import CSQLite
import Foundation
import GRDB
import Synchronization
public import Logging
import Tracing

/// The double-entry ledger on one SQLite file: accounts, transfers committed atomically in
/// batches through one group-committing writer, holds, idempotency, a hash-chained journal,
/// balances now and as of any time, statements, and a verifier that recomputes it all.
public final class Ledger: Sendable {
    /// Where the database lives.
    public let path: String
    let pool: DatabasePool
    /// Nil when opened for reading only: every write then fails with `.readOnly`.
    private let writer: JournalWriter?
    /// Held while open for writing; a second writer on the file is refused (`.writerLocked`).
    private let lock: WriterLock?

    /// The most commits that wait for the writer; one more is refused with `.busy` (retryable),
    /// so a burst past what the disk can commit meets a typed refusal, not an unbounded queue.
    public static let writerQueueMax = 8_192

    /// Commits waiting for the writer now.
    var queuedCommits: Int { writer?.queuedCount ?? 0 }

    /// Opens (creating and migrating if needed) the ledger at `path` for writing.
    ///
    /// Takes the file's writer lock first: while another process has the file open for writing,
    /// this throws `.writerLocked` naming it. Refuses a database migrated by a newer binary.
    /// Commits are durable when acknowledged (WAL, synchronous=FULL).
    /// `queuedJobsMax` bounds the commits waiting for the writer (a full queue refuses with `.busy`).
    public init(path: String, clock: LedgerClock = .system, logger: Logger = Logger(label: "ledger"),
                queuedJobsMax: Int = Ledger.writerQueueMax) throws(LedgerError) {
        self.path = path
        lock = try WriterLock(databasePath: path)
        try Self.createFileIfNeeded(path: path)
        pool = try Self.openPool(path: path, readOnly: false)
        try Migrations.apply(to: pool)
        let writer = try JournalWriter(pool: pool, clock: clock, logger: logger, queuedJobsMax: queuedJobsMax)
        writer.start()
        self.writer = writer
    }

    /// Opens an existing, migrated ledger for reading only, beside whichever process writes it
    /// (checks and reports while `serve` runs). Takes no lock and loads no balances; a database
    /// this binary would have to migrate first is refused.
    public init(readingOnly path: String) throws(LedgerError) {
        self.path = path
        lock = nil
        writer = nil
        pool = try Self.openPool(path: path, readOnly: true)
        try Migrations.requireCurrent(in: pool)
    }

    /// True when opened with `init(readingOnly:)`.
    public var isReadOnly: Bool { writer == nil }

    private static func openPool(path: String, readOnly: Bool) throws(LedgerError) -> DatabasePool {
        var configuration = Configuration()
        configuration.readonly = readOnly
        if !readOnly {
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        }
        configuration.busyMode = .timeout(5)
        do {
            return try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .storage("open \(path): \(error)")
        }
    }

    /// The writer, or `.readOnly` for a ledger opened for reading.
    private func requireWriter() throws(LedgerError) -> JournalWriter {
        guard let writer else { throw .readOnly }
        return writer
    }

    /// The page size a new database gets. Larger pages make the journal's appends and the
    /// per-commit balance rewrites cheaper (measured in `bench ledger`); it is fixed at creation.
    static let pageSizeBytes = 16_384

    private static func createFileIfNeeded(path: String) throws(LedgerError) {
        _ = csqlite_disable_memory_statistics()
        _ = csqlite_use_multithread_mode()
        let connection = try SQLiteConnection(path: path)
        // Both pragmas take effect only on an empty database and are harmless otherwise.
        try connection.execute("PRAGMA page_size = \(pageSizeBytes)")
        try connection.execute("PRAGMA journal_mode = WAL")
    }

    /// Durable commits the writer has made since the ledger opened, and the jobs (batches,
    /// account creations, transactions) they carried: how well group commit is grouping.
    public var writerCommits: (commits: Int, jobs: Int) {
        guard let writer else { return (0, 0) }
        return (writer.commitsMade.load(ordering: .relaxed), writer.jobsCommitted.load(ordering: .relaxed))
    }

    /// Jobs waiting for the writer now; 0 on a read-only ledger.
    public var writerQueueDepth: Int { writer?.queuedCount ?? 0 }

    /// The writer takes jobs (opened for writing and not closed).
    public var isWriterRunning: Bool { writer?.isRunning ?? false }

    /// Finishes queued work and stops the writer; later calls fail with `.closed`.
    public func close() {
        writer?.close()
        try? pool.close()
        lock?.release()
    }

    /// The migrations applied to the database, in order.
    public func appliedMigrations() throws(LedgerError) -> [String] {
        try Migrations.applied(in: pool)
    }

    /// Creates accounts, all or none. An existing code with identical attributes is returned
    /// unchanged (so the chart of accounts can be set up again safely).
    public func createAccounts(_ accounts: [NewAccount]) async throws(LedgerError) -> [Account] {
        let writer = try requireWriter()
        let result = await withCheckedContinuation { continuation in
            writer.submit(.createAccounts(accounts, continuation))
        }
        return try result.get()
    }

    /// Commits a batch of transfers, all or none, durably; returns the rows written, or the
    /// first result for a repeated idempotency key.
    /// A `ledger.commit` span (in the caller's trace, e.g. its request's) covers the wait for the
    /// durable commit; without a tracer bootstrapped it is a no-op.
    public func commit(_ batch: TransferBatch) async throws(LedgerError) -> CommitReceipt {
        let writer = try requireWriter()
        let span = startSpan("ledger.commit")
        defer { span.end() }
        span.attributes["ledger.transfers"] = batch.transfers.count
        let result = await withCheckedContinuation { continuation in
            writer.submit(.commit(batch, continuation))
        }
        if case .failure(let error) = result { span.recordError(error) }
        return try result.get()
    }

    /// Commits transfers as one batch.
    public func commit(_ transfers: [TransferRequest], idempotencyKey: String? = nil) async throws(LedgerError) -> CommitReceipt {
        try await commit(TransferBatch(transfers, idempotencyKey: idempotencyKey))
    }

    /// Runs `body` on the writer thread inside the next group commit, in its own savepoint, and
    /// returns once that commit is durable. The body writes its own tables through
    /// `transaction.db` and moves money through `transaction.commit`, all landing together;
    /// when it throws, nothing it did lands (rows, batches, accounts) and its error is rethrown.
    /// The caller suspends meanwhile; no thread of the cooperative pool waits on an fsync.
    /// A `ledger.transaction` span covers it, as `commit`'s does.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (LedgerTransaction) throws -> T) async throws -> T {
        let writer = try requireWriter()
        let span = startSpan("ledger.transaction")
        defer { span.end() }
        do { return try await run(body, on: writer) } catch {
            span.recordError(error)
            throw error
        }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (LedgerTransaction) throws -> T, on writer: JournalWriter) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = JobOutcome<T>()
            writer.submit(.transaction(TransactionJob(
                run: { transaction in
                    do {
                        outcome.value = .success(try body(transaction))
                        return true
                    } catch {
                        outcome.value = .failure(error)
                        return false
                    }
                },
                finish: { commitError in
                    if let commitError { continuation.resume(throwing: commitError) } else { continuation.resume(with: outcome.value!) }
                })))
        }
    }

    /// Where a transaction job leaves its result until the commit is known; written and read on the writer thread.
    private final class JobOutcome<T>: @unchecked Sendable {
        var value: Result<T, any Error>?
    }

    /// Expires every hold whose timeout has passed now, and returns how many it expired.
    /// The writer also does this by itself before each commit and when idle.
    @discardableResult
    public func expireDueHolds() async throws(LedgerError) -> Int {
        let writer = try requireWriter()
        let result = await withCheckedContinuation { continuation in
            writer.submit(.expire(continuation))
        }
        return try result.get()
    }

    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.read(body)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
    }
}
