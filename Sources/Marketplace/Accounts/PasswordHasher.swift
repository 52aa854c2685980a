import Dispatch
import Foundation
import HummingbirdBcrypt

/// bcrypt off the cooperative thread pool: each hash or check runs on a dedicated dispatch
/// queue and is awaited, and at most `concurrentMax` run at once, so a burst of logins leaves
/// cores (and the pool's threads) to every other request.
public struct PasswordHasher: Sendable {
    /// bcrypt's cost in production (2^12 rounds, about a quarter of a second on one core).
    public static let costStandard: UInt8 = 12
    /// Hashes and checks running at once: half the cores, at least one, so the other half
    /// keeps serving requests while logins queue here.
    public static let concurrentMax = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)

    /// Where the hashing runs: never on the cooperative pool, whose few threads serve requests.
    private static let queue: DispatchQueue = {
        let queue = DispatchQueue(label: "marketplace.bcrypt", qos: .userInitiated, attributes: .concurrent)
        queue.setSpecific(key: queueKey, value: true)
        return queue
    }()
    /// Marks the hashing queue, so a test can tell where the work ran.
    static let queueKey = DispatchSpecificKey<Bool>()

    /// bcrypt's cost; tests lower it.
    public let cost: UInt8
    /// The bound on hashes and checks at once, shared by every copy of this hasher.
    public let limit: ConcurrencyLimit

    public init(cost: UInt8 = PasswordHasher.costStandard, concurrentMax: Int = PasswordHasher.concurrentMax) {
        self.cost = cost
        limit = ConcurrencyLimit(concurrentMax)
    }

    /// The bcrypt hash of `password`, with a fresh salt.
    public func hash(_ password: String) async -> String {
        let cost = cost
        return await offPool { Bcrypt.hash(password, cost: cost) }
    }

    /// True when `password` matches `hash`.
    public func verify(_ password: String, hash: String) async -> Bool {
        await offPool { Bcrypt.verify(password, hash: hash) }
    }

    /// Runs `work` on the hashing queue once the limit admits it.
    func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await limit.run {
            await withCheckedContinuation { continuation in
                Self.queue.async { continuation.resume(returning: work()) }
            }
        }
    }
}
