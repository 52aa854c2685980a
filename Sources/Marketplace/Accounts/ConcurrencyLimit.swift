/// An async semaphore: at most `limit` bodies run at once; the others wait, first come first
/// served, without holding a thread while they wait.
public actor ConcurrencyLimit {
    /// How many bodies may run at once (1 or more).
    public let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(_ limit: Int) {
        precondition(limit >= 1, "a concurrency limit admits at least one body")
        self.limit = limit
    }

    /// Runs `body` once a slot is free, and frees the slot after it.
    public nonisolated func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await acquire()
        let result = await body()
        await release()
        return result
    }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        // The slot is handed over by `release`, so `running` already counts this body.
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        precondition(running > 0, "released a slot that was never taken")
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
