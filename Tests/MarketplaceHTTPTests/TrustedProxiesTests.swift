import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import MarketplaceHTTP

/// X-Forwarded-For names the client only when the socket's peer is a trusted proxy, and then
/// the right-most address that is not itself trusted; each forwarded client has its own
/// rate-limit bucket.
struct TrustedProxiesTests {
    static let proxies = try! TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8, fd00::/8")

    @Test(arguments: [
        // (peer, X-Forwarded-For lines, client)
        ("127.0.0.1", ["203.0.113.7"], "203.0.113.7"),
        ("127.0.0.1", ["198.51.100.1, 203.0.113.7, 10.1.2.3"], "203.0.113.7"),  // spoofed left part ignored
        ("127.0.0.1", ["198.51.100.1", "203.0.113.7"], "203.0.113.7"),  // several header lines, in order
        ("127.0.0.1", ["10.0.0.5, 10.0.0.6"], "10.0.0.5"),  // every hop trusted: the left-most
        ("127.0.0.1", [], "127.0.0.1"),
        ("127.0.0.1", ["not-an-ip, 10.0.0.9"], "10.0.0.9"),  // garbage stops the walk at the last trusted hop
        ("127.0.0.1", ["2001:db8::1, fd00::2"], "2001:db8::1"),
        ("127.0.0.1", ["::ffff:203.0.113.8"], "203.0.113.8"),  // IPv4-mapped is IPv4
        ("192.0.2.50", ["203.0.113.7"], "192.0.2.50"),  // untrusted peer: header ignored
    ])
    func clientIsTheRightMostUntrustedHop(peer: String, forwarded: [String], client: String) {
        #expect(Self.proxies.client(peer: peer, forwardedFor: forwarded) == client)
    }

    @Test func aChainLongerThanTheCapIsNotBelieved() {
        let hops = Array(repeating: "10.0.0.1", count: TrustedProxies.forwardedHopsMax) + ["203.0.113.7"]
        #expect(Self.proxies.client(peer: "127.0.0.1", forwardedFor: [hops.joined(separator: ",")]) == "127.0.0.1")
    }

    @Test func rangesMatchByPrefix() throws {
        #expect(Self.proxies.trusts("10.255.0.1"))
        #expect(!Self.proxies.trusts("11.0.0.1"))
        #expect(Self.proxies.trusts("fd12:3456::1"))
        #expect(!Self.proxies.trusts("fe80::1"))
        #expect(try TrustedProxies(parsing: "192.168.1.0/23").trusts("192.168.0.200"))
        #expect(TrustedProxies.none.client(peer: "127.0.0.1", forwardedFor: ["203.0.113.7"]) == "127.0.0.1")
    }

    @Test(arguments: ["10.0.0.1/33", "fd00::/129", "10.0.0", "example.com", "10.0.0.1/x", "10.0.0.0/-1"])
    func badEntriesAreRefused(entry: String) {
        #expect(throws: TrustedProxies.ParseError.self) { try TrustedProxies(parsing: "127.0.0.1, \(entry)") }
    }

    /// Over a real socket (peer 127.0.0.1), one read a minute per caller.
    func withLimitedServer(trusted: TrustedProxies, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = buildRouter(services: test.services, mode: "test", rateLimits: RateLimits(perMinute: [.read: 1]),
                                 trustedProxies: trusted, rateLimitClock: { 1_800_000_010 })
        try await Application(router: router).test(.live, body)
    }

    static func health(_ client: any TestClientProtocol, forwardedFor: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: forwardedFor]) { $0.status }
    }

    @Test func fromATrustedProxyEachForwardedClientHasItsOwnBucket() async throws {
        try await withLimitedServer(trusted: try TrustedProxies(parsing: "127.0.0.1")) { client async throws in
            #expect(try await Self.health(client, forwardedFor: "203.0.113.1") == .ok)
            #expect(try await Self.health(client, forwardedFor: "203.0.113.1") == .tooManyRequests)
            #expect(try await Self.health(client, forwardedFor: "203.0.113.2") == .ok)
        }
    }

    @Test func fromAnUntrustedPeerTheHeaderIsIgnored() async throws {
        try await withLimitedServer(trusted: try TrustedProxies(parsing: "10.0.0.0/8")) { client async throws in
            #expect(try await Self.health(client, forwardedFor: "203.0.113.1") == .ok)
            #expect(try await Self.health(client, forwardedFor: "203.0.113.2") == .tooManyRequests)
        }
    }

    /// An anonymous keyed write (here one the route refuses, 401, which is stored like any
    /// answer below 500), from `forwardedFor`.
    static func keyedWrite(_ client: any TestClientProtocol, forwardedFor: String, amount: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/v1/wallet/deposits", method: .post,
                                 headers: [HTTPField.Name("X-Forwarded-For")!: forwardedFor, HTTPField.Name("Idempotency-Key")!: "shared-key",
                                           .contentType: "application/json"],
                                 body: ByteBuffer(string: #"{"amount":"\#(amount)","currency":"USD"}"#)) { $0.status }
    }

    @Test func fromATrustedProxyEachForwardedClientHasItsOwnIdempotencyScope() async throws {
        try await withLimitedServer(trusted: try TrustedProxies(parsing: "127.0.0.1")) { client async throws in
            #expect(try await Self.keyedWrite(client, forwardedFor: "203.0.113.1", amount: "1.00") == .unauthorized)
            // Another client's same key with another body is its own key, not a conflict...
            #expect(try await Self.keyedWrite(client, forwardedFor: "203.0.113.2", amount: "2.00") == .unauthorized)
            // ...while the first client's key still holds its first request.
            #expect(try await Self.keyedWrite(client, forwardedFor: "203.0.113.1", amount: "2.00") == .conflict)
        }
    }
}
