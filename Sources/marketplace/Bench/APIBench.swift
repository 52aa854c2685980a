import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import MarketplaceHTTP
import NIOCore

/// `marketplace bench api`: full task lifecycles over loopback HTTP against the real server on
/// a fresh SQLite file: post, fund (from the wallet), apply, accept, submit, approve. Each
/// virtual user is one agent and one human on their own keep-alive connections. Prints
/// lifecycles per second and p50/p99 per route as JSON, and checks the ledger afterwards.
struct APIBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api", abstract: "Benchmark full task lifecycles over loopback HTTP.")

    @Option(help: "Directory for the benchmark's database file (deleted afterwards).")
    var directory: String = NSTemporaryDirectory()
    @Option(help: "Virtual users running lifecycles at once.")
    var concurrency: Int = 32
    @Option(help: "Lifecycles each virtual user runs.")
    var lifecycles: Int = 100
    @Flag(help: "Send every write with an Idempotency-Key, as a careful client does.")
    var keyed = false
    @Flag(help: "Send GET /healthz six times per lifecycle instead: the floor of HTTP and the load generator.")
    var floor = false
    @Option(help: "off: no request ids, lines or metrics (the figures before they existed); on: request ids and one info line per request (to standard error), Prometheus metrics recorded, as `serve` runs.")
    var observability: String = "off"

    @Option(help: "Take an online backup (as `marketplace backup`) once this many lifecycles are done, while the load goes on; then restore and verify it (needs --backup-to).")
    var backupAt: Int?
    @Option(help: "A new or empty directory for --backup-at's backup (kept; the restored copy lands beside it as restored.sqlite).")
    var backupTo: String?

    static let routes = ["create", "fund", "apply", "accept", "submit", "approve"]

    func validate() throws {
        guard (backupAt == nil) == (backupTo == nil) else { throw ValidationError("--backup-at and --backup-to go together") }
        if let backupAt, !(1...(concurrency * lifecycles)).contains(backupAt) {
            throw ValidationError("--backup-at must be from 1 to the run's \(concurrency * lifecycles) lifecycles, not \(backupAt)")
        }
        if backupAt != nil, floor { throw ValidationError("--backup-at needs lifecycles, not --floor") }
    }

    /// `off`, or `on` as `serve` runs by default (swift-log to standard error, swift-metrics into
    /// a Prometheus registry).
    static func observability(_ setting: String) throws -> Observability {
        switch setting {
        case "off": return Observability(registry: nil, requestLogLevel: nil)
        case "on":
            LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            return Observability(registry: registry, requestLogLevel: .info)
        default: throw ValidationError("--observability must be off or on, not \(setting)")
        }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: directory).appendingPathComponent("api-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("api.sqlite").path
        let ledger = try Ledger(path: path)
        defer { ledger.close() }
        _ = try await ChartOfAccounts.standard.install(in: ledger)
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        // bcrypt at cost 4 only so the users' set-up is quick; the measured requests do not hash passwords.
        let services = Services.assemble(ledger: ledger, store: store, tokens: try await TokenIssuer(secret: TokenIssuer.randomSecret()),
                                         ServiceSettings(bcryptCost: 4))
        let app = buildApplication(ServerConfiguration(host: "127.0.0.1", port: 0, rateLimits: .unlimited), services: services,
                                   logger: Logger(label: "marketplace"), observability: try Self.observability(observability))
        let concurrency = concurrency
        let lifecycles = lifecycles
        let keyed = keyed
        let floor = floor
        let backup: BenchBackup? = if let backupAt, let backupTo { BenchBackup(after: backupAt, directory: backupTo) } else { nil }
        let measured = try await app.test(.live) { client in
            guard let port = client.port else { throw ValidationError("the server has no port") }
            var users: [VirtualUser] = []
            for index in 0..<concurrency { users.append(try await VirtualUser.signUp(index, port: port)) }
            let cpuBefore = Self.processCPUSeconds()
            let commitsBefore = ledger.writerCommits
            let start = ContinuousClock.now
            let taking = backup.map { backup in Task { try await backup.take(from: ledger, path: path) } }
            defer { taking?.cancel() }  // a load that failed leaves it waiting
            let samples = try await withThrowingTaskGroup(of: [String: [Duration]].self) { group in
                for user in users {
                    group.addTask { floor ? try await user.runFloor(lifecycles) : try await user.run(lifecycles, keyed: keyed, progress: backup?.progress) }
                }
                return try await group.reduce(into: [String: [Duration]]()) { all, one in all.merge(one) { $0 + $1 } }
            }
            let elapsed = ContinuousClock.now - start
            let taken = try await taking?.value
            let cpu = Self.processCPUSeconds() - cpuBefore
            let commitsAfter = ledger.writerCommits
            for user in users { try await user.shutdown() }
            return (samples, elapsed, cpu, (commitsAfter.commits - commitsBefore.commits, commitsAfter.jobs - commitsBefore.jobs), taken)
        }
        let verify = try ledger.verify()
        let backedUp: BenchBackup.Outcome? = if let backup, let taken = measured.4 { try backup.check(taken, live: ledger) } else { nil }
        let seconds = Double(measured.1.components.seconds) + Double(measured.1.components.attoseconds) / 1e18
        let total = concurrency * lifecycles
        var perRoute: [String: Any] = [:]
        for route in Self.routes {
            let sorted = (measured.0[route] ?? []).sorted()
            perRoute[route] = ["requests": sorted.count, "p50_ms": Self.milliseconds(sorted, 0.50), "p99_ms": Self.milliseconds(sorted, 0.99)]
        }
        var report: [String: Any] = [
            "machine": ["cores": ProcessInfo.processInfo.activeProcessorCount, "durability": "WAL, synchronous=FULL"],
            "concurrency": concurrency, "lifecycles": total, "keyed": keyed, "floor": floor, "seconds": (seconds * 1_000).rounded() / 1_000,
            "lifecycles_per_second": Int((Double(total) / seconds).rounded()), "requests_per_lifecycle": Self.routes.count,
            // CPU of the whole process (server and load generator) per lifecycle while measuring:
            // steadier than the rate on a shared virtual machine.
            "cpu_ms_per_lifecycle": (measured.2 * 1_000_000 / Double(total)).rounded() / 1_000,
            // Group commit at work: durable commits while measuring and the writes they carried.
            "durable_commits": measured.3.0, "writes_per_commit": (Double(measured.3.1) / Double(max(1, measured.3.0)) * 10).rounded() / 10,
            "routes": perRoute, "ledger_consistent": verify.isClean, "transfers": verify.transfersChecked,
            "targets": ["lifecycles_per_second_min": 1_300, "p99_ms_max": 25, "cpu_ms_per_lifecycle_max": 1.5],
        ]
        if let backedUp { report["backup"] = backedUp.report }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        guard verify.isClean else { throw ValidationError("the ledger is not consistent after the run") }
    }

    /// User plus system CPU time of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func milliseconds(_ sorted: [Duration], _ quantile: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let sample = sorted[min(sorted.count - 1, Int((Double(sorted.count) * quantile).rounded(.up)) - 1)]
        let micros = Double(sample.components.seconds) * 1e6 + Double(sample.components.attoseconds) / 1e12
        return (micros / 10).rounded() / 100
    }
}

/// One agent and one human, each on their own connection, running lifecycles one after another.
struct VirtualUser: Sendable {
    let agent: Connection
    let human: Connection

    /// What the load generator reads of a creation's answer.
    struct Created: Decodable {
        struct Identified: Decodable { let id: String }
        let data: Identified
    }

    struct Connection: Sendable {
        let client: BenchConnection
        let token: String

        /// Sends one request; a success's body is read only when `parse`, and then only for
        /// `data.id` (the load generator's own work competes with the server for the same two cores).
        @discardableResult
        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, key: String? = nil, parse: Bool = false) async throws -> [String: Any] {
            var headers = [("Authorization", "Bearer \(token)")]
            if let key { headers.append(("Idempotency-Key", key)) }
            let response = try await client.send(method.rawValue, uri, headers: headers, body: json)
            guard response.status < 300 else {
                throw ValidationError("\(method) \(uri): \(response.status) \(VirtualUser.json(response.body))")
            }
            guard parse else { return [:] }
            return (try? JSONDecoder().decode(Created.self, from: Data(response.body.readableBytesView))).map { ["id": $0.data.id] } ?? [:]
        }
    }

    static func signUp(_ index: Int, port: Int) async throws -> VirtualUser {
        func connection(_ email: String, role: String) async throws -> Connection {
            let client = try await BenchConnection.connect(host: "127.0.0.1", port: port)
            let body = #"{"email":"\#(email)","password":"bench password","full_name":"Bench","role":"\#(role)"}"#
            _ = try await client.send("POST", "/v1/auth/register", headers: [], body: body)
            let login = try await client.send("POST", "/v1/auth/login", headers: [], body: #"{"email":"\#(email)","password":"bench password"}"#)
            guard let token = (json(login.body)["data"] as? [String: Any])?["access_token"] as? String else { throw ValidationError("cannot log in \(email)") }
            return Connection(client: client, token: token)
        }
        let user = VirtualUser(agent: try await connection("agent\(index)@bench.example", role: "agent"),
                               human: try await connection("human\(index)@bench.example", role: "human"))
        _ = try await user.agent.send(.post, "/v1/wallet/deposits", json: #"{"amount":"100000.00","currency":"USD"}"#, key: "bench-\(index)")
        return user
    }

    /// Runs `count` lifecycles; returns each route's latencies. `keyed`: every write carries an
    /// Idempotency-Key (its answer is stored in the commit of its effect); `progress` counts
    /// each finished lifecycle (for `--backup-at`).
    func run(_ count: Int, keyed: Bool, progress: BenchBackup.Progress? = nil) async throws -> [String: [Duration]] {
        var samples: [String: [Duration]] = [:]
        let clock = ContinuousClock()
        func timed(_ route: String, _ body: () async throws -> [String: Any]) async throws -> [String: Any] {
            let start = clock.now
            let result = try await body()
            samples[route, default: []].append(clock.now - start)
            return result
        }
        let task = #"{"title":"Photograph the storefront","description":"One daylight photo","category":"photography","budget":{"amount":"25.00","currency":"USD"}}"#
        for lifecycle in 0..<count {
            func key(_ route: String) -> String? { keyed ? "\(route)-\(lifecycle)" : nil }
            let created = try await timed("create") { try await agent.send(.post, "/v1/tasks", json: task, key: key("create"), parse: true) }
            guard let id = created["id"] as? String else { throw ValidationError("no task id") }
            _ = try await timed("fund") { try await agent.send(.post, "/v1/tasks/\(id)/fund", key: key("fund")) }
            let application = try await timed("apply") {
                try await human.send(.post, "/v1/tasks/\(id)/applications", json: #"{"message":"on my way"}"#, key: key("apply"), parse: true)
            }
            guard let applicationID = application["id"] as? String else { throw ValidationError("no application id") }
            _ = try await timed("accept") { try await agent.send(.post, "/v1/tasks/\(id)/applications/\(applicationID)/accept", key: key("accept")) }
            _ = try await timed("submit") {
                try await human.send(.post, "/v1/tasks/\(id)/submissions", json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#, key: key("submit"))
            }
            _ = try await timed("approve") { try await agent.send(.post, "/v1/tasks/\(id)/approve", key: key("approve")) }
            progress?.finishedOne()
        }
        return samples
    }

    /// Six `GET /healthz` per lifecycle on the same connections, timed under the same route names.
    func runFloor(_ count: Int) async throws -> [String: [Duration]] {
        var samples: [String: [Duration]] = [:]
        let clock = ContinuousClock()
        for _ in 0..<count {
            for (index, route) in APIBench.routes.enumerated() {
                let start = clock.now
                _ = try await (index % 2 == 0 ? agent : human).send(.get, "/healthz")
                samples[route, default: []].append(clock.now - start)
            }
        }
        return samples
    }

    static func json(_ body: ByteBuffer?) -> [String: Any] {
        guard let body else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    func shutdown() async throws {
        try await agent.client.close()
        try await human.client.close()
    }
}
