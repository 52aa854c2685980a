import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Synchronization
import Testing
@testable import MarketplaceHTTP

/// Idempotency-Key on every write, and rate limits per caller and endpoint class.
struct CrossCuttingTests {
    private static let create = #"{"title":"Count the chairs","description":"In room 4","category":"research","budget":{"amount":"5.00","currency":"USD"}}"#

    /// Sends and returns the status, the headers and the raw body.
    private func raw(_ client: Client, _ method: HTTPRequest.Method, _ uri: String, token: String, json: String? = nil,
                     key: String? = nil) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let key { headers[IdempotencyMiddleware.header] = key }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }

    @Test func aReplayReturnsTheStoredResponseAndAnotherBodyConflicts() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let (first, firstHeaders, firstBody) = try await raw(client, .post, "/v1/tasks", token: agent, json: Self.create, key: "k-1")
            #expect(first == .created)
            #expect(firstHeaders[IdempotencyMiddleware.replayedHeader] == nil)
            let (again, againHeaders, againBody) = try await raw(client, .post, "/v1/tasks", token: agent, json: Self.create, key: "k-1")
            #expect(again == .created)
            #expect(againHeaders[IdempotencyMiddleware.replayedHeader] == "true")
            #expect(againBody == firstBody)
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [[String: Any]])?.count == 1)  // one task, not two

            let other = Self.create.replacingOccurrences(of: "room 4", with: "room 5")
            let (conflict, _, conflictBody) = try await raw(client, .post, "/v1/tasks", token: agent, json: other, key: "k-1")
            #expect(conflict == .conflict)
            #expect(conflictBody.contains(#""field":"idempotency_key""#))

            // Another caller's identical key is their own.
            let client2 = try await client.session("other@example.com")
            let (theirs, _, _) = try await raw(client, .post, "/v1/tasks", token: client2, json: Self.create, key: "k-1")
            #expect(theirs == .created)

            // A refusal is stored too: the replay is the same 400, and nothing was written either time.
            let bad = Self.create.replacingOccurrences(of: "5.00", with: "-5")
            let (refused, _, refusedBody) = try await raw(client, .post, "/v1/tasks", token: agent, json: bad, key: "k-2")
            #expect(refused == .badRequest)
            let (refusedAgain, refusedHeaders, refusedAgainBody) = try await raw(client, .post, "/v1/tasks", token: agent, json: bad, key: "k-2")
            #expect(refusedAgain == .badRequest)
            #expect(refusedHeaders[IdempotencyMiddleware.replayedHeader] == "true")
            #expect(refusedAgainBody == refusedBody)

            // Money: a funding replayed with its key moves nothing twice.
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"20.00","currency":"USD"}"#, idempotencyKey: "dep")
            let taskID = try #require(data(try JSONSerialization.jsonObject(with: Data(firstBody.utf8)) as? [String: Any] ?? [:])["id"] as? String)
            for _ in 0..<3 {
                let (funded, _, _) = try await raw(client, .post, "/v1/tasks/\(taskID)/fund", token: agent, key: "fund-1")
                #expect(funded == .ok)
            }
            #expect(try await client.wallet(agent).available == 2_000 - 550)
            try await client.expectWalletMatchesLedger(agent, test)

            // Routes that answer with a secret never store it.
            let (login, _, _) = try await raw(client, .post, "/v1/auth/login", token: agent,
                                              json: #"{"email":"agent@example.com","password":"correct horse"}"#, key: "login-1")
            #expect(login == .badRequest)
            let (longKey, _, longKeyBody) = try await raw(client, .post, "/v1/tasks", token: agent, json: Self.create, key: String(repeating: "k", count: 256))
            #expect(longKey == .badRequest)
            #expect(longKeyBody.contains("idempotency_key"))
        }
    }

    @Test func storedAnswersAreForgottenAfterTheirRetention() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let (first, _, _) = try await raw(client, .post, "/v1/tasks", token: agent, json: Self.create, key: "old")
            #expect(first == .created)
            #expect(try await test.services.idempotency.prune() == 0)
            test.clock.advance(seconds: IdempotencyStore.retentionSeconds + 1)
            #expect(try await test.services.idempotency.prune() == 1)
            // The key is free again: a new request runs (and makes a second task).
            let (again, headers, _) = try await raw(client, .post, "/v1/tasks", token: agent, json: Self.create, key: "old")
            #expect(again == .created)
            #expect(headers[IdempotencyMiddleware.replayedHeader] == nil)
        }
    }

    @Test func callersAreLimitedPerEndpointClassWithHeaders() async throws {
        let test = try await TestServices()
        defer { test.close() }
        // Ten seconds into a minute, for the whole test: a slow run cannot cross into the next window.
        let router = buildRouter(services: test.services, mode: "test",
                                 rateLimits: RateLimits(perMinute: [.auth: 10, .write: 3, .read: 100]), rateLimitClock: { 1_800_000_010 })
        try await Application(router: router).test(.router) { client in
            let agent = try await client.session("agent@example.com")
            for remaining in [2, 1, 0] {
                let (status, headers, _) = try await raw(client, .post, "/v1/tasks", token: agent, json: Self.create)
                #expect(status == .created)
                #expect(headers[RateLimitMiddleware.limitHeader] == "3")
                #expect(headers[RateLimitMiddleware.remainingHeader] == String(remaining))
                #expect(Int64(headers[RateLimitMiddleware.resetHeader] ?? "") ?? 0 > Int64(Date().timeIntervalSince1970) - 1)
            }
            let (limited, headers, body) = try await raw(client, .post, "/v1/tasks", token: agent, json: Self.create)
            #expect(limited == .tooManyRequests)
            #expect(body.contains(#""code":"RATE_LIMITED""#))
            #expect(headers[RateLimitMiddleware.retryAfterHeader] == "50")
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [[String: Any]])?.count == 3)  // reads are another class; the 4th write wrote nothing
            let other = try await client.session("other@example.com")
            let (theirs, _, _) = try await raw(client, .post, "/v1/tasks", token: other, json: Self.create)
            #expect(theirs == .created)  // each caller has their own budget
        }
    }

    @Test func theLimiterOpensANewWindowEachMinute() {
        let second = Mutex<Int64>(1_000_040)  // the minute starting at 1_000_020
        let limiter = RateLimiter(now: { second.withLock { $0 } })
        #expect(limiter.take("a", limit: 1).allowed)
        let refused = limiter.take("a", limit: 1)
        #expect(!refused.allowed)
        #expect(refused.retryAfterSeconds == 40)
        #expect(refused.resetAt == 1_000_080)
        second.withLock { $0 = 1_000_080 }
        #expect(limiter.take("a", limit: 1).allowed)
    }
}
