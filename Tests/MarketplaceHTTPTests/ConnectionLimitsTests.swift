import Foundation
import NIOCore
import Testing
@testable import MarketplaceHTTP

/// Over real sockets against `buildApplication`'s own server, with short limits injected by
/// configuration: a trickled head, an idle keep-alive connection and a slow body are each
/// closed after their timeout; past the cap, a connection waits until another one closes.
struct ConnectionLimitsTests {
    static let short: Duration = .milliseconds(500)
    static let long: Duration = .seconds(30)
    /// How long a test waits for what should happen in about a second; generous, because the
    /// whole suite shares two cores (what is measured is stamped on the event loop, not here).
    static let patience: Duration = .seconds(10)
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

    /// Slowloris: a header line every 100 ms, bytes keep coming, the head never completes.
    @Test func aHeadTrickledPastTheHeaderTimeoutIsClosed() async throws {
        try await Self.withServer(Self.configuration(header: Self.short)) { port in
            let connection = try await RawConnection.open(port: port, .trickle(first: "GET /healthz HTTP/1.1\r\nHost: test\r\n", every: .milliseconds(100)) {
                "X-Slow-\($0): 1\r\n"
            })
            let closedAfter = try #require(try await connection.closed(within: Self.patience))
            #expect(closedAfter >= .milliseconds(450))
            #expect(connection.writes >= 4, "the trickle was under way when the server closed")
            #expect(!connection.text.contains("200 OK"))
        }
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() async throws {
        try await Self.withServer(Self.configuration(header: Self.short)) { port in
            let connection = try await RawConnection.open(port: port)
            let closedAfter = try #require(try await connection.closed(within: Self.patience))
            #expect(closedAfter >= .milliseconds(450))
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await Self.withServer(Self.configuration(idle: Self.short)) { port in
            let connection = try await RawConnection.open(port: port, .at([(.zero, Self.request)]))
            #expect(try await connection.receives("\"status\":\"ok\"", within: Self.patience))
            _ = try #require(try await connection.closed(within: Self.patience))
            let quiet = try #require(connection.quietBeforeClose)
            #expect(quiet >= .milliseconds(450))
        }
    }

    /// Each timeout runs from the last response, not from the accept: four requests 400 ms
    /// apart outlast a 1 s header and idle timeout on one connection.
    @Test func eachRequestRestartsTheWaitSoAKeptBusyConnectionStaysOpen() async throws {
        try await Self.withServer(Self.configuration(header: .seconds(1), idle: .seconds(1))) { port in
            let connection = try await RawConnection.open(port: port, .at((0..<4).map { (.milliseconds(400 * Int64($0)), Self.request) }))
            #expect(try await connection.receives("HTTP/1.1 200 OK", count: 4, within: Self.patience))
            #expect(connection.isOpen)
            await connection.close()
        }
    }

    @Test func aBodySlowerThanTheBodyTimeoutIsClosed() async throws {
        let head = "POST /v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"
        try await Self.withServer(Self.configuration(body: Self.short)) { port in
            let connection = try await RawConnection.open(port: port, .trickle(first: head, every: .milliseconds(100)) { _ in " " })
            let closedAfter = try #require(try await connection.closed(within: Self.patience))
            #expect(closedAfter >= .milliseconds(450))
            #expect(connection.writes >= 4, "the trickle was under way when the server closed")
        }
    }

    @Test func pastTheCapANewConnectionWaitsUntilOneCloses() async throws {
        try await Self.withServer(Self.configuration(connections: 2)) { port in
            let first = try await RawConnection.open(port: port, .at([(.zero, Self.request)]))
            let second = try await RawConnection.open(port: port, .at([(.zero, Self.request)]))
            #expect(try await first.receives("200 OK", within: Self.patience))
            #expect(try await second.receives("200 OK", within: Self.patience))
            // The third is in the listen backlog: connected, not served.
            let third = try await RawConnection.open(port: port, .at([(.zero, Self.request)]))
            #expect(!(try await third.receives("200 OK", within: .milliseconds(700))))
            await first.close()
            #expect(try await third.receives("200 OK", within: Self.patience))
            await second.close()
            await third.close()
        }
    }
}
