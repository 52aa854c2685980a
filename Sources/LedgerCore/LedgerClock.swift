import Foundation
import Synchronization

/// Where the ledger reads the time, in microseconds since 1970. Tests pass a fixed clock.
public struct LedgerClock: Sendable {
    public let nowMicros: @Sendable () -> Int64

    public init(nowMicros: @escaping @Sendable () -> Int64) { self.nowMicros = nowMicros }

    /// The system's wall clock.
    public static let system = LedgerClock { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down)) }
}

/// A clock that moves only when told to, for tests and simulations.
public final class ManualClock: Sendable {
    private let micros: Mutex<Int64>

    public init(micros: Int64 = 1_767_225_600_000_000) { self.micros = Mutex(micros) }

    public var now: Int64 { micros.withLock { $0 } }

    public func advance(seconds: Int64) { micros.withLock { $0 += seconds * 1_000_000 } }

    public func advance(micros delta: Int64) { micros.withLock { $0 += delta } }

    public var ledgerClock: LedgerClock { LedgerClock { [self] in now } }
}
