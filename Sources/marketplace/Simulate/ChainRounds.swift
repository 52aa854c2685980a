import BaseFake
import Marketplace
import Synchronization

/// The chain's side of a run, driven instead of timed: a round mines a block on the fake Base
/// node, marks it safe (its L1 batch posted) and runs one pass of the chain follower, as
/// `marketplace serve`'s loop does on its timer. Tasks that need the chain to move ask for a
/// round; everyone who asked while one was running shares the next, so a round settles what
/// was broadcast before it began and concurrent tasks never mine for each other in a race.
final class ChainRounds: Sendable {
    private let node: FakeBaseNode
    private let settlement: SettlementService
    private let state = Mutex(State())
    private let bell: AsyncStream<Void>
    private let ringer: AsyncStream<Void>.Continuation

    private struct State {
        var waiting: [CheckedContinuation<Void, Never>] = []
        var finished = false
    }

    init(node: FakeBaseNode, settlement: SettlementService) {
        self.node = node
        self.settlement = settlement
        // One buffered ring is enough: a round takes everyone waiting when it starts.
        (bell, ringer) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Returns once a round that began after this call has finished (at once after `finish`).
    func settle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queued = state.withLock { state in
                guard !state.finished else { return false }
                state.waiting.append(continuation)
                return true
            }
            if queued { ringer.yield() } else { continuation.resume() }
        }
    }

    /// Runs rounds while anyone waits, until `finish` (or cancellation); then lets every
    /// waiter go, so nobody waits on a loop that stopped.
    func run() async {
        for await _ in bell {
            let batch = state.withLock { state in
                defer { state.waiting = [] }
                return state.waiting
            }
            guard !batch.isEmpty else { continue }
            node.mine()
            node.markSafe()
            await settlement.advanceChain()
            for waiter in batch { waiter.resume() }
        }
        let left = state.withLock { state in
            state.finished = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in left { waiter.resume() }
    }

    func finish() { ringer.finish() }
}
