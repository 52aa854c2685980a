import Foundation

/// What a stress run did and found; clean when nothing was violated.
struct StressSummary: Encodable {
    let clients: Int
    let kills: Int
    let seconds: Double
    let restartSeconds: [Double]
    let tasks: Int
    let approved: Int
    let cancelled: Int
    let acknowledged: Int
    let retried: Int
    let retriedReplayed: Int
    let retriedRan: Int
    let rateLimitedWaits: Int
    let replaysChecked: Int
    let violations: [String]
    let verify: String

    init(clients: Int, kills: Int, seconds: Double, restartSeconds: [Double], tallies: [StressTally], replaysChecked: Int,
         violations: [String], verify: String) {
        var all = StressTally()
        for tally in tallies { all.merge(tally) }
        self.clients = clients
        self.kills = kills
        self.seconds = seconds
        self.restartSeconds = restartSeconds
        tasks = all.tasks
        approved = all.approved
        cancelled = all.cancelled
        acknowledged = all.acknowledged.count
        retried = all.retried
        retriedReplayed = all.retriedReplayed
        retriedRan = all.retriedRan
        rateLimitedWaits = all.rateLimitedWaits
        self.replaysChecked = replaysChecked
        self.violations = all.violations + violations
        self.verify = verify
    }

    var isClean: Bool { violations.isEmpty }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text(db: String) -> String {
        let slowest = restartSeconds.max().map { String(format: "%.2f s", $0) } ?? "-"
        var lines = [
            "stress: \(clients) clients, \(kills) SIGKILLs in \(String(format: "%.1f", seconds)) s (slowest restart \(slowest))",
            "tasks \(tasks): \(approved) approved, \(cancelled) cancelled (before or after hiring)",
            "keyed writes answered \(acknowledged); sent again after a kill \(retried): \(retriedReplayed) had been applied "
                + "(replayed), \(retriedRan) had not (ran); 429 waits \(rateLimitedWaits)",
            "answered keys sent again at the end \(replaysChecked); ledger \(verify)",
        ]
        lines += violations.map { "VIOLATION: \($0)" }
        lines.append(isClean ? "ok: every key completed once, every wallet matches the clients' books (database \(db))" : "FAILED (database \(db))")
        return lines.joined(separator: "\n")
    }
}

/// A port nobody listens on now: bound to 0, read back, let go.
enum FreePort {
    static func pick() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw StressError.noPort }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw StressError.noPort }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        guard named == 0 else { throw StressError.noPort }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
