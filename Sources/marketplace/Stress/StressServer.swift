import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `marketplace serve` as a child of the stress run, on one database and port, started again
/// after each SIGKILL. Its output goes to a log file beside the database.
final class StressServer: @unchecked Sendable {
    let db: String
    let port: Int
    let jwtSecret: String
    let log: FileHandle
    private var process: Process?

    /// How long a start may take before the run gives up (migrations and resumed work included).
    static let startSecondsMax = 60.0

    init(db: String, port: Int, jwtSecret: String) throws {
        self.db = db
        self.port = port
        self.jwtSecret = jwtSecret
        let logPath = db + ".serve.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// This executable, whatever directory the run was started from.
    static var executable: URL {
        Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// Starts the server and waits until /healthz answers.
    func start(http: HTTPClient) async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--db", db, "--port", String(port), "--mode", "test"]
        var environment = ProcessInfo.processInfo.environment
        environment["MARKETPLACE_JWT_SECRET"] = jwtSecret
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(Self.startSecondsMax)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw StressError.serverExited(status: process.terminationStatus, log: db + ".serve.log") }
            if await Self.healthy(base, http: http) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw StressError.serverSilent(seconds: Self.startSecondsMax)
    }

    /// SIGKILL, as a power cut or the kernel's OOM killer stops a process: nothing runs after it.
    func kill() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// SIGTERM, and wait for the exit.
    func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    static func healthy(_ base: String, http: HTTPClient) async -> Bool {
        let request = HTTPClientRequest(url: base + "/healthz")
        guard let response = try? await http.execute(request, timeout: .seconds(1)) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }
}

enum StressError: Error, CustomStringConvertible {
    case serverExited(status: Int32, log: String)
    case serverSilent(seconds: Double)
    case unreachable(step: String, seconds: Double)
    case noPort

    var description: String {
        switch self {
        case .serverExited(let status, let log): "the server exited with status \(status) while starting; see \(log)"
        case .serverSilent(let seconds): "the server did not answer /healthz within \(Int(seconds)) s of starting"
        case .unreachable(let step, let seconds): "\(step): no answer for \(Int(seconds)) s"
        case .noPort: "no free port on 127.0.0.1"
        }
    }
}
