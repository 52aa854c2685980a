import Foundation
import Testing
@testable import MarketplaceHTTP

/// Over real sockets against `buildApplication`'s own server, with short limits injected by
/// configuration: a trickled head, an idle keep-alive connection and a slow body are each
/// closed after their timeout; past the cap, a connection waits until another one closes.
struct ConnectionLimitsTests {
    static let short: Duration = .milliseconds(500)
    static let long: Duration = .seconds(30)
    /// Longer than any short timeout plus the timer's and the test's own scheduling.
    static let patience: Duration = .seconds(3)
    static let request = "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"

    static func configuration(header: Duration = long, idle: Duration = long, body: Duration = long, connections: Int = 64) -> ServerConfiguration {
        ServerConfiguration(rateLimits: .unlimited,
                            connectionLimits: ConnectionLimits(headerReadTimeout: header, idleTimeout: idle, bodyReadTimeout: body, connectionsMax: connections))
    }

    static func withServer(_ configuration: ServerConfiguration, _ body: @Sendable (_ port: Int) async throws -> Void) async throws {
        let test = try await TestServices()
        defer { test.close() }
        try await LiveServer.run(configuration, services: test.services, body)
    }

    @Test func aHeadTrickledPastTheHeaderTimeoutIsClosed() async throws {
        try await Self.withServer(Self.configuration(header: Self.short)) { port in
            let connection = try await RawConnection.open(port: port)
            try await connection.send("GET /healthz HTTP/1.1\r\nHost: test\r\n")
            // One more header line every 100 ms: bytes keep coming, the head never completes.
            let trickle = Task {
                for index in 0..<40 where connection.isOpen {
                    try? await connection.send("X-Slow-\(index): 1\r\n")
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { trickle.cancel() }
            let closedAfter = try #require(try await connection.closed(within: Self.patience))
            #expect(closedAfter >= .milliseconds(300))
            #expect(!connection.received.text.contains("200 OK"))
        }
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() async throws {
        try await Self.withServer(Self.configuration(header: Self.short)) { port in
            let connection = try await RawConnection.open(port: port)
            #expect(try await connection.closed(within: Self.patience) != nil)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await Self.withServer(Self.configuration(idle: Self.short)) { port in
            let connection = try await RawConnection.open(port: port)
            try await connection.send(Self.request)
            #expect(try await connection.receives("\"status\":\"ok\"", within: Self.patience))
            let closedAfter = try #require(try await connection.closed(within: Self.patience))
            #expect(closedAfter <= Self.patience)
        }
    }

    /// Each timeout runs from the last response, not from the accept: four requests 400 ms
    /// apart outlast a 1 s header and idle timeout on one connection.
    @Test func eachRequestRestartsTheWaitSoAKeptBusyConnectionStaysOpen() async throws {
        try await Self.withServer(Self.configuration(header: .seconds(1), idle: .seconds(1))) { port in
            let connection = try await RawConnection.open(port: port)
            for answered in 1...4 {
                try await connection.send(Self.request)
                #expect(try await connection.receives(count: answered, of: "HTTP/1.1 200 OK", within: Self.patience))
                try await Task.sleep(for: .milliseconds(400))
            }
            #expect(connection.isOpen)
            await connection.close()
        }
    }

    @Test func aBodySlowerThanTheBodyTimeoutIsClosed() async throws {
        try await Self.withServer(Self.configuration(body: Self.short)) { port in
            let connection = try await RawConnection.open(port: port)
            try await connection.send("POST /v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
            let trickle = Task {
                for _ in 0..<40 where connection.isOpen {
                    try? await connection.send(" ")
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { trickle.cancel() }
            let closedAfter = try #require(try await connection.closed(within: Self.patience))
            #expect(closedAfter >= .milliseconds(300))
        }
    }

    @Test func pastTheCapANewConnectionWaitsUntilOneCloses() async throws {
        try await Self.withServer(Self.configuration(connections: 2)) { port in
            let first = try await RawConnection.open(port: port)
            let second = try await RawConnection.open(port: port)
            try await first.send(Self.request)
            try await second.send(Self.request)
            #expect(try await first.receives("200 OK", within: Self.patience))
            #expect(try await second.receives("200 OK", within: Self.patience))
            // The third is in the listen backlog: connected, not served.
            let third = try await RawConnection.open(port: port)
            try await third.send(Self.request)
            #expect(!(try await third.receives("200 OK", within: .milliseconds(700))))
            await first.close()
            #expect(try await third.receives("200 OK", within: Self.patience))
            await second.close()
            await third.close()
        }
    }
}
