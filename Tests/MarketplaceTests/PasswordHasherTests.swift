import Dispatch
import Foundation
import Synchronization
import Testing
@testable import Marketplace

/// bcrypt runs off the cooperative pool, bounded: the limit holds under a burst, and a hash
/// and its check agree.
struct PasswordHasherTests {
    /// Counts bodies running at once and the most seen.
    final class Gauge: Sendable {
        private let state = Mutex((now: 0, most: 0))
        func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { state.withLock { $0.now -= 1 } }
        var most: Int { state.withLock { $0.most } }
    }

    @Test func limitRunsAtMostItsBoundAtOnce() async {
        let limit = ConcurrencyLimit(3)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<24 {
                group.addTask {
                    await limit.run {
                        gauge.enter()
                        try? await Task.sleep(for: .milliseconds(10))
                        gauge.leave()
                    }
                }
            }
        }
        #expect(gauge.most == 3)
    }

    @Test func hashesBeyondTheBoundWaitTheirTurn() async {
        let hasher = PasswordHasher(cost: 4, concurrentMax: 2)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    _ = await hasher.offPool {
                        gauge.enter()
                        Thread.sleep(forTimeInterval: 0.01)
                        gauge.leave()
                        return 0
                    }
                }
            }
        }
        #expect(gauge.most == 2)
    }

    @Test func hashingRunsOnItsOwnQueueNotTheCooperativePool() async {
        let onQueue = await PasswordHasher(cost: 4).offPool { DispatchQueue.getSpecific(key: PasswordHasher.queueKey) == true }
        #expect(onQueue)
    }

    @Test func aHashVerifiesItsPasswordOnly() async {
        let hasher = PasswordHasher(cost: 4)
        let hash = await hasher.hash("correct horse")
        #expect(await hasher.verify("correct horse", hash: hash))
        #expect(!(await hasher.verify("wrong horse", hash: hash)))
    }
}
