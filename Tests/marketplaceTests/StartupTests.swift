import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `marketplace serve` checks every setting before it opens the database and fails with one
/// line naming the setting; the banner comes only once the socket listens, with its real port.
@Suite(.serialized)
struct StartupTests {
    static let secret = ["MARKETPLACE_JWT_SECRET": String(repeating: "k", count: 40)]

    /// How long a `serve` that should stop at once may run before the test stops it (and fails).
    static let exitSecondsMax = 20.0

    /// Runs `serve` on a fresh database path until it exits; answers its status (nil when it was
    /// still running after `exitSecondsMax`), its output's lines, how long it took, and whether
    /// it created the database.
    static func serve(_ arguments: [String] = [], _ environment: [String: String] = [:]) async throws
        -> (status: Int32?, lines: [String], seconds: Double, madeDatabase: Bool) {
        let db = CommandRunner.temporaryPath("startup") + ".sqlite"
        let start = Date()
        let running = try Running(db: db, arguments, environment)
        let status = try await running.exit(within: exitSecondsMax)
        let lines = running.text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return (status, lines, Date().timeIntervalSince(start), FileManager.default.fileExists(atPath: db))
    }

    @Test(arguments: [
        (["--port", "99999"], [:], "--port"),
        (["--port=-1"], [:], "--port"),
        (["--mode", "staging"], [:], "--mode"),
        ([], ["PORT": "abc"], "PORT"),
        ([], ["PORT": "70000"], "PORT"),
        ([], ["MARKETPLACE_FEE_BASIS_POINTS": "250"], "MARKETPLACE_FEE_BASIS_POINTS"),
        ([], ["MARKETPLACE_FEE_FIXED_MINOR": "30"], "MARKETPLACE_FEE_FIXED_MINOR"),
        ([], ["MARKETPLACE_PRICING_VERSION": "v2", "MARKETPLACE_FEE_BASIS_POINTS": "ten"], "MARKETPLACE_FEE_BASIS_POINTS"),
        ([], ["MARKETPLACE_PRICING_VERSION": "v2", "MARKETPLACE_FEE_BASIS_POINTS": "20000"], "MARKETPLACE_FEE_BASIS_POINTS"),
        ([], ["MARKETPLACE_PRICING": "cheap"], "MARKETPLACE_PRICING"),
        ([], ["MARKETPLACE_PRICING": "humans2ai", "MARKETPLACE_FEE_BASIS_POINTS": "1"], "MARKETPLACE_FEE_BASIS_POINTS"),
        ([], ["MARKETPLACE_JWT_SECRET": "short"], "MARKETPLACE_JWT_SECRET"),
        ([], ["MARKETPLACE_TRUSTED_PROXIES": "10.0.0.0/40"], "MARKETPLACE_TRUSTED_PROXIES"),
        ([], ["STRIPE_WEBHOOK_SECRET": "whsec_x"], "STRIPE_WEBHOOK_SECRET"),
        ([], ["BASE_NETWORK": "base"], "BASE_NETWORK"),
        ([], ["BASE_RPC_URL": "http://127.0.0.1:1", "BASE_POLL_SECONDS": "fast"], "BASE_POLL_SECONDS"),
        ([], ["BASE_RPC_URL": "localhost:8545"], "BASE_RPC_URL"),
        ([], ["MARKETPLACE_WEBHOOKS_ALLOW_PRIVATE": "yes"], "MARKETPLACE_WEBHOOKS_ALLOW_PRIVATE"),
        ([], ["MARKETPLACE_SECRETS_KEY": "abc"], "MARKETPLACE_SECRETS_KEY"),
        ([], ["STRIPE_SECRET_KEY": "sk_test_x"], "STRIPE_WEBHOOK_SECRET"),
        ([], ["MARKETPLACE_VERIFIER_SECRET": "verifier-secret-16+"], "MARKETPLACE_VERIFIER_SECRET"),
        (["--verifier-url", "verifier.internal/score"], ["MARKETPLACE_VERIFIER_SECRET": "verifier-secret-16+"], "--verifier-url"),
        (["--verifier-url", "https://verifier.example/score"], [:], "MARKETPLACE_VERIFIER_SECRET"),
        ([], ["MARKETPLACE_VERIFIER_URL": "https://verifier.example/score", "MARKETPLACE_VERIFIER_SECRET": "verifier-secret-16+",
              "MARKETPLACE_VERIFIER_TIMEOUT_SECONDS": "0"], "MARKETPLACE_VERIFIER_TIMEOUT_SECONDS"),
        // The connectors' settings fail before the node is asked (port 1 would refuse).
        ([], ["BASE_RPC_URL": "http://127.0.0.1:1"], "BASE_KEY_FILE"),
        ([], ["BASE_RPC_URL": "http://127.0.0.1:1", "BASE_PRIVATE_KEY": String(repeating: "11", count: 32), "BASE_FAST_PATH_MAX": "1.0000001"],
         "BASE_FAST_PATH_MAX"),
    ])
    func aBadSettingStopsTheStartWithOneLineNamingIt(arguments: [String], environment: [String: String], setting: String) async throws {
        let run = try await Self.serve(arguments, environment)
        #expect(run.status.map { $0 != 0 } == true, "exit status \(String(describing: run.status))")
        #expect(run.lines.count == 1, "\(run.lines)")
        #expect(run.lines.first?.hasPrefix("Error: \(setting): ") == true, "\(run.lines)")
        #expect(!run.madeDatabase)
    }

    /// A node that never answers: a listening socket whose accept queue is full, so a connect
    /// hangs as it would on a dropped route. Answers its port; keep the descriptors until done.
    static func blackHole() throws -> (port: Int, descriptors: [Int32]) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, size) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &size) == 0 }
        }
        #expect(bound)
        // Fill the queue (backlog 0 holds one); later SYNs are dropped.
        var fillers: [Int32] = []
        for _ in 0..<2 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, size) } }
            fillers.append(filler)
        }
        return (Int(UInt16(bigEndian: address.sin_port)), [listener] + fillers)
    }

    /// Within seconds (short connect and answer timeouts, no retries; the node client's own
    /// retries took 61 s), one line, and without the URL's path, where a node provider's API
    /// key usually sits.
    @Test func anUnreachableNodeStopsTheStartWithinSecondsNamingBaseRPCURL() async throws {
        let hole = try Self.blackHole()
        defer { for descriptor in hole.descriptors { _ = close(descriptor) } }
        let run = try await Self.serve([], ["BASE_RPC_URL": "http://127.0.0.1:\(hole.port)/v2/api-key-1234", "BASE_NETWORK": "base-sepolia",
                                      "BASE_PRIVATE_KEY": String(repeating: "11", count: 32)])
        #expect(run.status.map { $0 != 0 } == true, "exit status \(String(describing: run.status))")
        #expect(run.lines.count == 1, "\(run.lines)")
        #expect(run.lines.first?.hasPrefix("Error: BASE_RPC_URL: ") == true, "\(run.lines)")
        #expect(!(run.lines.first ?? "").contains("api-key-1234"))
        #expect(run.seconds < 12, "took \(run.seconds) s")
        #expect(!run.madeDatabase)
    }

    /// `serve` in the background, its standard output and error collected as they come.
    final class Running: Sendable {
        let process: Process
        private let output = Mutex((text: "", ended: false))

        init(db: String = CommandRunner.temporaryPath("startup") + ".sqlite", _ arguments: [String], _ environment: [String: String] = [:]) throws {
            process = Process()
            process.executableURL = CommandRunner.binary
            process.arguments = ["serve", "--db", db] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(StartupTests.secret) { $1 }.merging(environment) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            // Read on a thread of its own, blocking until each chunk or the end: a readability
            // handler (a dispatch source on the pipe) was seen to crash libdispatch's event loop
            // on Linux when cleared at the end of the output.
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    output.withLock { $0.text += String(decoding: data, as: UTF8.self); $0.ended = $0.ended || data.isEmpty }
                    if data.isEmpty { return }
                }
            }
        }

        var text: String { output.withLock { $0.text } }

        /// The exit status once the process has exited and its output is all read; nil (and the
        /// process stopped) when it still runs after `seconds`.
        ///
        /// The end of the output may come late: a process another test spawns meanwhile can
        /// inherit the pipe's write end and hold it open, so after the exit the wait for the end
        /// is bounded by `drainSeconds` (what the process wrote before exiting is read by then).
        func exit(within seconds: Double, drainSeconds: Double = 2) async throws -> Int32? {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning {
                guard Date() < deadline else {
                    stop()
                    return nil
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let drained = Date().addingTimeInterval(drainSeconds)
            while !output.withLock({ $0.ended }), Date() < drained { try await Task.sleep(for: .milliseconds(20)) }
            return process.terminationStatus
        }

        /// The port in the banner, once the banner is out.
        func bannerPort(within seconds: Double = 60) async throws -> Int? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("marketplace serving") }),
                   let port = line.split(separator: ":").dropFirst(2).first.flatMap({ Int($0.prefix { $0.isNumber }) }) {
                    return port
                }
                if !process.isRunning { return nil }
                try await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    @Test func theBannerComesOnceListeningWithThePortBoundAndABusyPortIsOneLine() async throws {
        let first = try Running(["--port", "0"])
        defer { first.stop() }
        let port = try #require(try await first.bannerPort())
        #expect(port > 0)
        // The banner means listening: the very next request is answered.
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(5))
        #expect(response.status == .ok)
        // A second server on the same port: no banner, one line naming the port's setting.
        let second = try await Self.serve(["--port", String(port)])
        #expect(second.status.map { $0 != 0 } == true, "exit status \(String(describing: second.status))")
        #expect(!second.lines.contains { $0.hasPrefix("marketplace serving") })
        #expect(second.lines.last?.hasPrefix("Error: --port: cannot listen on 127.0.0.1:\(port)") == true, "\(second.lines)")
    }
}
