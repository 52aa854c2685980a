import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Runs the `marketplace` binary that `swift build --build-tests` put beside the test bundle.
enum CommandRunner {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("marketplace")
    }

    /// Runs to completion; returns the exit status and standard output.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A TCP port on 127.0.0.1 that no socket holds now: the kernel's choice for a socket bound
    /// to port 0. (A random pick from 30,000-60,000 fell inside Linux's ephemeral range, where a
    /// client connection of a test running alongside could hold it, and `serve` exited 1.)
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    }
}

/// `marketplace serve` as a child process (test mode, a fixed JWT secret, `environment` on top
/// of this process's), for tests that stop it hard and start it again on the same database.
final class ServeProcess {
    let process = Process()
    let port: Int

    /// `log`: a file that takes the server's standard error (its log lines); else discarded.
    init(db: String, port: Int, environment: [String: String], log: String? = nil) throws {
        self.port = port
        process.executableURL = CommandRunner.binary
        process.arguments = ["serve", "--db", db, "--port", String(port), "--mode", "test"]
        var merged = ProcessInfo.processInfo.environment
        merged["MARKETPLACE_JWT_SECRET"] = String(repeating: "k", count: 40)
        merged.merge(environment) { $1 }
        process.environment = merged
        process.standardOutput = FileHandle.nullDevice
        if let log {
            FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
    }

    enum Failure: Error {
        case exited(Int32)
        case didNotStart
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func waitUntilUp() async throws {
        for _ in 0..<300 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/healthz"), timeout: .seconds(2)), response.status == .ok {
                return
            }
            guard process.isRunning else { throw Failure.exited(process.terminationStatus) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure.didNotStart
    }

    /// Waits for the crash hook's SIGKILL.
    func waitUntilKilled() async throws {
        for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
