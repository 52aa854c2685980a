import ArgumentParser
import AsyncHTTPClient
import Foundation
import LedgerCore
import Logging
import NIOCore

/// `marketplace stress`: the real `serve` as a child process, SIGKILLed at random moments
/// while clients live tasks through it with Idempotency-Keys (deposit, post, fund, apply,
/// accept, submit, approve, cancel). After each restart every interrupted request is sent
/// again with its key and must complete; at the end every answered key must replay its bytes,
/// every wallet must hold exactly what the clients' own books say, and the ledger must verify.
struct Stress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "SIGKILL a real server under keyed clients; check every key and every cent after each restart.")

    @Option(help: "Times the server is killed.") var kills: Int = 5
    @Option(help: "Clients at once, each an agent and a worker.") var clients: Int = 16
    @Option(help: "Longest time in seconds the server runs between restart and kill (each is drawn below it).") var upMax: Double = 1.5
    @Option(help: "Seconds the clients go on after the last restart.") var tail: Double = 1
    @Option(help: "Seed of the clients' and the killer's choices.") var seed: UInt64 = 1
    @Option(help: "A new SQLite file to keep (default: a temporary file, deleted after a clean run).") var db: String?
    @Option(help: "Port for the server (default: a free one).") var port: Int = 0
    @Flag(help: "Print the summary as JSON.") var json = false

    static let clientsMax = 256
    static let killsMax = 10_000
    /// Answered keys each client sends again at the end (the last ones before each kill first).
    static let replaysPerClient = 24

    func validate() throws {
        guard (1...Self.clientsMax).contains(clients) else { throw ValidationError("--clients must be 1 to \(Self.clientsMax)") }
        guard (0...Self.killsMax).contains(kills) else { throw ValidationError("--kills must be 0 to \(Self.killsMax)") }
        guard upMax >= 0.05, upMax <= 600 else { throw ValidationError("--up-max must be 0.05 to 600 seconds") }
        guard tail >= 0, tail <= 600 else { throw ValidationError("--tail must be 0 to 600 seconds") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if let db, FileManager.default.fileExists(atPath: db) { throw ValidationError("\(db) exists; a stress run needs a new database") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let path = db ?? FileManager.default.temporaryDirectory.appendingPathComponent("marketplace-stress-\(UUID().uuidString).sqlite").path
        let secret = (0..<4).map { _ in UUID().uuidString }.joined()  // the servers' JWT secret, this run only
        let people = try await StressPeople.seed(db: path, clients: clients, jwtSecret: Array(secret.utf8))
        let server = try StressServer(db: path, port: port == 0 ? try FreePort.pick() : port, jwtSecret: secret)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: clients * 2)
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let summary: StressSummary
        do {
            summary = try await drive(server: server, people: people, http: http)
        } catch {
            server.kill()
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        print(json ? try summary.json() : summary.text(db: path))
        guard summary.isClean else { throw ExitCode(1) }
        if db == nil {
            Simulate.remove(database: path)
            for suffix in [".lock", ".serve.log"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    private func drive(server: StressServer, people: StressPeople, http: HTTPClient) async throws -> StressSummary {
        let start = ContinuousClock.now
        try await server.start(http: http)
        let api = APIClient(http: http, baseURL: server.base)
        let control = StressControl()
        let kills = kills, upMax = upMax, tail = tail, seed = seed
        var restartSeconds: [Double] = []
        let tallies = try await withThrowingTaskGroup(of: [StressTally].self) { group in
            for (index, pair) in people.pairs.enumerated() {
                group.addTask {
                    var client = StressClient(index: index, pair: pair, api: api, control: control, seed: seed)
                    return [try await client.run()]
                }
            }
            var random = SeededGenerator(seed: seed ^ 0x5EED_C0DE)
            for _ in 0..<kills {
                try await Task.sleep(for: .milliseconds(50 + Int64(random.below(UInt64(upMax * 1000) - 49))))
                server.kill()
                control.killed()
                let down = ContinuousClock.now
                try await server.start(http: http)
                restartSeconds.append((ContinuousClock.now - down).seconds)
            }
            try await Task.sleep(for: .milliseconds(Int64(tail * 1000)))
            control.finish()
            var all: [StressTally] = []
            for try await tally in group { all += tally }
            return all
        }
        let seconds = (ContinuousClock.now - start).seconds
        let checks = try await StressChecks(api: api, people: people, tallies: tallies, replaysPerClient: Self.replaysPerClient).run()
        server.stop()
        let verify = try StressChecks.verifyLedger(db: server.db, tallies: tallies)
        return StressSummary(clients: clients, kills: kills, seconds: seconds, restartSeconds: restartSeconds, tallies: tallies,
                             replaysChecked: checks.replays, violations: checks.violations + verify.violations, verify: verify.line)
    }
}
