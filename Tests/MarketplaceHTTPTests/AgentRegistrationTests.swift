import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// One-call agent registration (seed 003 `POST /agents/register`): an agent account and a
/// working test-mode API key whose secret is shown once, refused field by field, and limited
/// like the other sign-ups.
struct AgentRegistrationTests {
    static let task = #"{"title":"Photograph the door","description":"One photo","category":"photography","budget":{"amount":"10.00","currency":"USD"}}"#

    @Test func registeringAnAgentAnswersAKeyThatWorks() async throws {
        try await withApp { client, test in
            let (status, body) = try await client.send(.post, "/v1/agents/register", json: #"{"name":"  Scout bot ","email":"Scout@Example.com"}"#)
            #expect(status == .created)
            let user = try #require(data(body)["user"] as? [String: Any])
            #expect(user["role"] as? String == "agent")
            #expect(user["full_name"] as? String == "Scout bot")
            #expect(user["email"] as? String == "scout@example.com")
            let apiKey = try #require(data(body)["api_key"] as? [String: Any])
            let secret = try #require(apiKey["secret"] as? String)
            let key = try #require(apiKey["key"] as? [String: Any])
            #expect(secret.hasPrefix("sk_test_") && secret.count == "sk_test_".count + 43)
            #expect(key["mode"] as? String == "test")
            #expect(key["redacted"] as? String == "sk_test_…" + secret.suffix(4))
            #expect(key["scopes"] as? [String] == AgentRegistration.keyScopes.map(\.rawValue))

            // The key is the agent's credential: who am I, and a task posted with it.
            let (_, me) = try await client.send(.get, "/v1/auth/me", token: secret)
            #expect(data(me)["credential"] as? String == "api_key:\(try #require(key["id"] as? String))")
            #expect((data(me)["user"] as? [String: Any])?["id"] as? String == user["id"] as? String)
            #expect(data(me)["mode"] as? String == "test")
            let (created, task) = try await client.send(.post, "/v1/tasks", token: secret, json: Self.task)
            #expect(created == .created)
            #expect(data(task)["owner_id"] as? String == user["id"] as? String)
            // Without a password nobody logs in to this account.
            let (login, _) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"scout@example.com","password":"!"}"#)
            #expect(login == .unauthorized)
            // Shown once: the database keeps only the secret's hash.
            #expect(!(try TestDatabase.snapshot(test.path)).contains(secret))
            #expect(!(try TestDatabase.snapshot(test.path)).contains(String(secret.dropFirst("sk_test_".count))))
        }
    }

    @Test func theSecretIsShownOnlyInTheRegistrationAnswer() async throws {
        try await withApp { client, _ in
            let (status, body) = try await client.send(.post, "/v1/agents/register",
                                                       json: #"{"name":"Scout","email":"scout@example.com","password":"correct horse"}"#)
            #expect(status == .created)
            let secret = try #require((data(body)["api_key"] as? [String: Any])?["secret"] as? String)
            // With a password the agent logs in too; its key list is redacted.
            let (_, session) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"scout@example.com","password":"correct horse"}"#)
            let token = try #require(data(session)["access_token"] as? String)
            let (_, keys) = try await client.send(.get, "/v1/keys", token: token)
            let listed = try #require(keys["data"] as? [[String: Any]])
            #expect(listed.count == 1)
            #expect(listed.first?["name"] as? String == AgentRegistration.keyName)
            let text = String(decoding: try JSONSerialization.data(withJSONObject: keys), as: UTF8.self)
            #expect(!text.contains(secret))
            // Registering again makes no second account or key; the answer names the field.
            let (again, againBody) = try await client.send(.post, "/v1/agents/register", json: #"{"name":"Scout","email":"SCOUT@example.com"}"#)
            #expect(again == .conflict)
            #expect(errorField(againBody) == "email")
            let (_, still) = try await client.send(.get, "/v1/keys", token: token)
            #expect((still["data"] as? [[String: Any]])?.count == 1)
            // An answer carrying a secret is never stored under an Idempotency-Key.
            let (keyed, keyedBody) = try await client.send(.post, "/v1/agents/register", json: #"{"name":"Other","email":"other@example.com"}"#,
                                                           idempotencyKey: "k1")
            #expect(keyed == .badRequest)
            #expect(errorField(keyedBody) == "idempotency_key")
        }
    }

    @Test(arguments: [
        (#"{"email":"a@example.com"}"#, "name"),
        (#"{"name":"   ","email":"a@example.com"}"#, "name"),
        (#"{"name":"\#(String(repeating: "n", count: 201))","email":"a@example.com"}"#, "name"),
        (#"{"name":"A","email":"not-an-email"}"#, "email"),
        (#"{"name":"A"}"#, "email"),
        (#"{"name":"A","email":"a@example.com","password":"short"}"#, "password"),
        (#"{"name":"A","email":"a@example.com","password":7}"#, "password"),
        (#"{"name":"A","email":"a@example.com","role":"human"}"#, "role"),
        (#"{"name":"A","email":"a@example.com","scopes":["finance:read"]}"#, "scopes"),
    ])
    func badRegistrationsNameTheFieldAndWriteNothing(json: String, field: String) async throws {
        try await withApp { client, test in
            let before = try TestDatabase.snapshot(test.path)
            let (status, body) = try await client.send(.post, "/v1/agents/register", json: json)
            #expect(status == .badRequest, "\(json): \(body)")
            #expect(errorCode(body) == "VALIDATION_ERROR")
            #expect(errorField(body) == field, "\(json): \(body)")
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }

    /// Agent registration spends the same per-address budget as /v1/auth/register: past it,
    /// 429 RATE_LIMITED and no account is made.
    @Test func agentRegistrationIsLimitedLikeRegistration() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = buildRouter(services: test.services, mode: "test",
                                 rateLimits: RateLimits(perMinute: [.auth: 3, .write: 100, .read: 100]), rateLimitClock: { 1_800_000_010 })
        try await Application(router: router).test(.router) { client in
            let (person, _) = try await client.send(.post, "/v1/auth/register",
                                                    json: #"{"email":"p@example.com","password":"correct horse","full_name":"P","role":"agent"}"#)
            #expect(person == .created)
            for index in 1...2 {
                let (status, _) = try await client.send(.post, "/v1/agents/register", json: #"{"name":"Bot","email":"bot\#(index)@example.com"}"#)
                #expect(status == .created)
            }
            let before = try TestDatabase.snapshot(test.path)
            let (limited, body) = try await client.send(.post, "/v1/agents/register", json: #"{"name":"Bot","email":"bot3@example.com"}"#)
            #expect(limited == .tooManyRequests)
            #expect(errorCode(body) == "RATE_LIMITED")
            #expect(try TestDatabase.snapshot(test.path) == before)
            let (_, available) = try await client.send(.get, "/v1/auth/check-email?email=bot3@example.com")
            #expect(data(available)["available"] as? Bool == true)
        }
    }
}
