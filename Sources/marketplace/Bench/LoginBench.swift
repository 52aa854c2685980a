import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import MarketplaceHTTP
import NIOCore

/// `marketplace bench login`: /healthz latency over loopback HTTP, first alone, then while
/// `--logins` clients log in back to back at production bcrypt cost: with hashing off the
/// request threads and bounded, /healthz stays fast during the burst. Prints JSON.
struct LoginBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login", abstract: "Benchmark /healthz latency during a burst of logins.")

    @Option(help: "Directory for the benchmark's database file (deleted afterwards).")
    var directory: String = NSTemporaryDirectory()
    @Option(help: "Clients logging in at once.")
    var logins: Int = 10
    @Option(help: "Seconds of each phase (alone, then during the logins).")
    var seconds: Int = 10
    @Option(help: "bcrypt cost (production: 12).")
    var cost: Int = Int(PasswordHasher.costStandard)

    /// Between two /healthz probes, so the probe measures waiting, not its own load.
    static let probeGapMilliseconds = 10
    static let password = "bench password"

    func run() async throws {
        let root = URL(fileURLWithPath: directory).appendingPathComponent("login-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let ledger = try Ledger(path: root.appendingPathComponent("login.sqlite").path)
        defer { ledger.close() }
        _ = try await ChartOfAccounts.standard.install(in: ledger)
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        let services = Services.assemble(ledger: ledger, store: store, tokens: try await TokenIssuer(secret: TokenIssuer.randomSecret()),
                                         ServiceSettings(bcryptCost: UInt8(cost)))
        let auth = services.auth
        for index in 0..<logins {
            _ = try await auth.register(Registration(email: "login\(index)@bench.example", password: Self.password, fullName: "Bench", role: "agent"))
        }
        let app = buildApplication(ServerConfiguration(host: "127.0.0.1", port: 0, rateLimits: .unlimited), services: services)
        let (logins, phase) = (logins, Duration.seconds(seconds))
        let report = try await app.test(.live) { client in
            guard let port = client.port else { throw ValidationError("the server has no port") }
            let alone = try await Self.probe(port: port, for: phase)
            let (during, loginSamples) = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for index in 0..<logins { group.addTask { try await Self.logIn(index, port: port, for: phase) } }
                let during = try await Self.probe(port: port, for: phase)
                let samples = try await group.reduce(into: [Duration]()) { $0 += $1 }
                return (during, samples)
            }
            return Self.report(alone: alone, during: during, logins: loginSamples, clients: logins, seconds: phase)
        }
        let data = try JSONSerialization.data(withJSONObject: report.merging(["bcrypt_cost": cost]) { $1 }, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// /healthz on one keep-alive connection, one probe every 10 ms, for `duration`.
    static func probe(port: Int, for duration: Duration) async throws -> [Duration] {
        try await withClient(port: port) { client in try await probe(client, for: duration) }
    }

    static func probe(_ client: TestClient, for duration: Duration) async throws -> [Duration] {
        var samples: [Duration] = []
        let clock = ContinuousClock()
        let end = clock.now + duration
        while clock.now < end {
            let start = clock.now
            let response = try await client.get("/healthz")
            guard response.head.status == .ok else { throw ValidationError("/healthz answered \(response.head.status.code)") }
            samples.append(clock.now - start)
            try await Task.sleep(for: .milliseconds(probeGapMilliseconds))
        }
        return samples
    }

    /// One client logging in back to back for `duration`; answers each login's latency.
    static func logIn(_ index: Int, port: Int, for duration: Duration) async throws -> [Duration] {
        try await withClient(port: port) { client in try await logIn(index, client, for: duration) }
    }

    static func logIn(_ index: Int, _ client: TestClient, for duration: Duration) async throws -> [Duration] {
        let body = #"{"email":"login\#(index)@bench.example","password":"\#(password)"}"#
        var samples: [Duration] = []
        let clock = ContinuousClock()
        let end = clock.now + duration
        while clock.now < end {
            let start = clock.now
            let response = try await client.post("/v1/auth/login", headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
            guard response.head.status == .ok else { throw ValidationError("login answered \(response.head.status.code)") }
            samples.append(clock.now - start)
        }
        return samples
    }

    /// A keep-alive connection for `body`, shut down after it either way.
    static func withClient<T: Sendable>(port: Int, _ body: (TestClient) async throws -> T) async throws -> T {
        let client = TestClient(host: "127.0.0.1", port: port)
        client.connect()
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func report(alone: [Duration], during: [Duration], logins: [Duration], clients: Int, seconds: Duration) -> [String: Any] {
        func figures(_ samples: [Duration]) -> [String: Any] {
            let sorted = samples.sorted()
            return ["requests": sorted.count, "p50_ms": APIBench.milliseconds(sorted, 0.50), "p99_ms": APIBench.milliseconds(sorted, 0.99),
                    "max_ms": APIBench.milliseconds(sorted, 1.0)]
        }
        return [
            "machine": ["cores": ProcessInfo.processInfo.activeProcessorCount],
            "hashes_at_once_max": PasswordHasher.concurrentMax, "login_clients": clients,
            "healthz_alone": figures(alone), "healthz_during_logins": figures(during),
            "logins": figures(logins).merging(["per_second": Double(logins.count) / Double(seconds.components.seconds)]) { $1 },
        ]
    }
}
