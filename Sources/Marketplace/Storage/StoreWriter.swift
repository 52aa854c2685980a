import Foundation
import GRDB

/// Group commit for the marketplace's tables: one thread takes every write waiting, runs each
/// in its own savepoint of one transaction and commits once, so many requests share one fsync
/// (synchronous=FULL stays: throughput from batching, not weaker durability). Callers wait on
/// a continuation, never on a thread.
final class StoreWriter: @unchecked Sendable {
    // `queue` and `stopping` are guarded by `condition`; the thread owns everything else.

    /// One caller's write: `run` inside the batch's transaction, `finish` after its commit.
    struct Job {
        let run: (Database) -> Void
        let finish: (_ commitError: (any Error)?) -> Void
    }

    /// Where a job leaves its result until the commit is known; written and read on the writer thread.
    final class Outcome<T>: @unchecked Sendable {
        var value: Result<T, any Error>?
    }

    /// The most writes one commit carries.
    static let jobsPerCommitMax = 512

    private let pool: DatabasePool
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopping = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    init(pool: DatabasePool) {
        self.pool = pool
        // The thread holds the writer until `stop()` ends its loop: a store dropped without
        // `close()` leaks a parked thread rather than letting it touch freed memory.
        let thread = Thread { self.loop() }
        thread.name = "marketplace-store-writer"
        self.thread = thread
        thread.start()
    }

    func enqueue(_ job: Job) {
        condition.lock()
        let refused = stopping
        if !refused {
            queue.append(job)
            condition.signal()
        }
        condition.unlock()
        if refused { job.finish(MarketplaceError.internalError("the store is closed")) }
    }

    /// Finishes the writes already queued, then ends the thread.
    func stop() {
        condition.lock()
        let wasRunning = !stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if wasRunning { done.wait() }
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                done.signal()
                return
            }
            let jobs = Array(queue.prefix(Self.jobsPerCommitMax))
            queue.removeFirst(jobs.count)
            condition.unlock()
            var commitError: (any Error)?
            do {
                try pool.write { db in for job in jobs { job.run(db) } }
            } catch {
                commitError = error
            }
            for job in jobs { job.finish(commitError) }
        }
    }
}

extension Database {
    /// Executes one statement through the connection's statement cache: compiled (and checked
    /// by GRDB's authorizer) once per connection, not on every request.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
