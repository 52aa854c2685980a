import Synchronization

/// What the clients and the killer of a stress run share: how many times the server was
/// killed so far (each answer is stamped with it) and whether the clients should stop at the
/// end of the task they are on.
final class StressControl: Sendable {
    private struct State {
        var kills = 0
        var finishing = false
    }

    private let state = Mutex(State())

    var kills: Int { state.withLock { $0.kills } }
    var finishing: Bool { state.withLock { $0.finishing } }

    func killed() { state.withLock { $0.kills += 1 } }
    func finish() { state.withLock { $0.finishing = true } }
}

/// One keyed request a client had answered: sent again at the end, it must replay these bytes.
struct Acknowledged: Sendable {
    let step: String
    let method: String
    let path: String
    let token: String
    let key: String
    let body: [UInt8]?
    let status: Int
    let answer: String
    /// The number of kills before the answer arrived.
    let epoch: Int
}

/// What one client saw and what it expects the books to say.
struct StressTally: Sendable {
    /// The client: its agent's and worker's wallets are the ones its sums are about.
    var client = 0
    var tasks = 0
    var approved = 0
    var cancelled = 0
    var acknowledged: [Acknowledged] = []
    /// Requests sent again with their key because the server died under them.
    var retried = 0
    /// …of which the server had applied (the retry replayed the stored answer)…
    var retriedReplayed = 0
    /// …and of which it had not (the retry ran it).
    var retriedRan = 0
    var rateLimitedWaits = 0
    var violations: [String] = []
    var depositedMinor: Int64 = 0
    /// Escrow taken from the agent's wallet by fundings, less what cancellations gave back.
    var escrowedMinor: Int64 = 0
    /// What the worker's wallet was paid by approvals.
    var paidMinor: Int64 = 0

    mutating func merge(_ other: StressTally) {
        tasks += other.tasks
        approved += other.approved
        cancelled += other.cancelled
        acknowledged += other.acknowledged
        retried += other.retried
        retriedReplayed += other.retriedReplayed
        retriedRan += other.retriedRan
        rateLimitedWaits += other.rateLimitedWaits
        violations += other.violations
        depositedMinor += other.depositedMinor
        escrowedMinor += other.escrowedMinor
        paidMinor += other.paidMinor
    }
}
