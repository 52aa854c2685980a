import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Accounts, sessions and API keys through the real router, as a client sees them.
struct AuthRoutesTests {
    private func register(_ client: Client, _ email: String, role: String = "agent") async throws -> [String: Any] {
        let (status, body) = try await client.send(.post, "/v1/auth/register",
                                            json: #"{"email":"\#(email)","password":"correct horse","full_name":"Ada","role":"\#(role)"}"#)
        #expect(status == .created)
        return body["data"] as? [String: Any] ?? [:]
    }

    private func login(_ client: Client, _ email: String, mode: String = "test") async throws -> [String: Any] {
        let (status, body) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"\#(email)","password":"correct horse","mode":"\#(mode)"}"#)
        #expect(status == .ok)
        return body["data"] as? [String: Any] ?? [:]
    }

    private func error(_ body: [String: Any]) -> (code: String?, field: String?) {
        let error = body["error"] as? [String: Any]
        return (error?["code"] as? String, error?["field"] as? String)
    }

    @Test func registerLoginMeAndRefresh() async throws {
        try await withApp { client, _ in
            let user = try await register(client, "Ada@Example.com")
            #expect(user["email"] as? String == "ada@example.com")
            #expect(user["password_hash"] == nil)
            #expect((user["created_at"] as? String)?.hasSuffix("Z") == true)
            let session = try await login(client, "ada@example.com")
            let access = try #require(session["access_token"] as? String)
            let refresh = try #require(session["refresh_token"] as? String)
            #expect(refresh.hasPrefix("rt_"))
            #expect(session["expires_in"] as? Int == 900)

            let (status, me) = try await client.send(.get, "/v1/auth/me", token: access)
            #expect(status == .ok)
            let data = try #require(me["data"] as? [String: Any])
            #expect((data["user"] as? [String: Any])?["id"] as? String == user["id"] as? String)
            #expect(data["credential"] as? String == "session")
            #expect((data["scopes"] as? [String]).map(Set.init) == Set(Scope.allCases.map(\.rawValue)).subtracting(["finance:read"]))  // finance:read is for admins

            let (refreshed, renewed) = try await client.send(.post, "/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(refreshed == .ok)
            #expect((renewed["data"] as? [String: Any])?["refresh_token"] as? String != refresh)
            let (reused, reuseBody) = try await client.send(.post, "/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(reused == .unauthorized)
            #expect(error(reuseBody).code == "UNAUTHORIZED")
        }
    }

    @Test func wrongPasswordAndUnknownEmailLookTheSame() async throws {
        try await withApp { client, _ in
            _ = try await register(client, "ada@example.com")
            let (wrong, wrongBody) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"ada@example.com","password":"wrong password"}"#)
            let (unknown, unknownBody) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"bob@example.com","password":"wrong password"}"#)
            #expect(wrong == .unauthorized)
            #expect(unknown == .unauthorized)
            #expect((wrongBody["error"] as? [String: String]) == (unknownBody["error"] as? [String: String]))
        }
    }

    @Test func badRegistrationsNameTheFieldAndWriteNothing() async throws {
        try await withApp { client, test in
            _ = try await register(client, "taken@example.com")
            let cases: [(String, String, HTTPResponse.Status)] = [
                (#"{"email":"a@example.com","password":"short","full_name":"A","role":"agent"}"#, "password", .badRequest),
                (#"{"email":"not-an-email","password":"long enough","full_name":"A","role":"agent"}"#, "email", .badRequest),
                (#"{"email":"a@example.com","password":"long enough","full_name":"A","role":"robot"}"#, "role", .badRequest),
                (#"{"email":"a@example.com","password":"long enough","full_name":"  ","role":"agent"}"#, "full_name", .badRequest),
                (#"{"email":"a@example.com","password":"long enough","role":"agent"}"#, "full_name", .badRequest),
                (#"{"email":"a@example.com","password":12345678,"full_name":"A","role":"agent"}"#, "password", .badRequest),
                (#"{"email":"a@example.com","#, "body", .badRequest),
                (#"{"email":"TAKEN@example.com","password":"long enough","full_name":"A","role":"agent"}"#, "email", .conflict),
                (#"{"email":"a@example.com","password":"\#(String(repeating: "x", count: 70_000))","full_name":"A","role":"agent"}"#, "body", .badRequest),
            ]
            for (json, field, expected) in cases {
                let (status, body) = try await client.send(.post, "/v1/auth/register", json: json)
                #expect(status == expected, "\(field)")
                #expect(error(body).field == field, "\(json.prefix(60))")
            }
            let users = try test.store.count("users")
            #expect(users == 1)
        }
    }

    @Test func checkEmailTellsWhetherAnAddressIsFree() async throws {
        try await withApp { client, _ in
            _ = try await register(client, "ada@example.com")
            let (_, taken) = try await client.send(.get, "/v1/auth/check-email?email=ADA@example.com")
            #expect((taken["data"] as? [String: Any])?["available"] as? Bool == false)
            let (_, free) = try await client.send(.get, "/v1/auth/check-email?email=bob@example.com")
            #expect((free["data"] as? [String: Any])?["available"] as? Bool == true)
            let (status, bad) = try await client.send(.get, "/v1/auth/check-email?email=nope")
            #expect(status == .badRequest)
            #expect(error(bad).field == "email")
        }
    }

    @Test func keysAreShownOnceStoredHashedScopedAndRevocable() async throws {
        try await withApp { client, test in
            _ = try await register(client, "ada@example.com")
            let access = try #require(try await login(client, "ada@example.com")["access_token"] as? String)
            let (created, body) = try await client.send(.post, "/v1/keys", token: access, json: #"{"name":"ci agent","scopes":["tasks:read","wallet:read"],"mode":"test"}"#)
            #expect(created == .created)
            let data = try #require(body["data"] as? [String: Any])
            let secret = try #require(data["secret"] as? String)
            #expect(secret.hasPrefix("sk_test_"))
            #expect(secret.count == 8 + 43)
            let key = try #require(data["key"] as? [String: Any])
            #expect(key["redacted"] as? String == "sk_test_…" + secret.suffix(4))

            // Stored as a hash only; listed redacted.
            #expect(try test.store.containsText(secret) == false)
            let (_, listed) = try await client.send(.get, "/v1/keys", token: access)
            let listing = String(decoding: try JSONSerialization.data(withJSONObject: listed), as: UTF8.self)
            #expect(!listing.contains(secret))
            #expect((listed["data"] as? [[String: Any]])?.count == 1)

            // The key works, with exactly its scopes and its mode.
            let (_, me) = try await client.send(.get, "/v1/auth/me", token: secret)
            let meData = try #require(me["data"] as? [String: Any])
            #expect(meData["scopes"] as? [String] == ["tasks:read", "wallet:read"])
            #expect(meData["mode"] as? String == "test")
            #expect((meData["credential"] as? String)?.hasPrefix("api_key:key_") == true)

            // A key cannot mint keys.
            let (minted, mintedBody) = try await client.send(.post, "/v1/keys", token: secret, json: #"{"name":"x","scopes":["tasks:read"],"mode":"test"}"#)
            #expect(minted == .forbidden)
            #expect(error(mintedBody).code == "FORBIDDEN")

            // Revoked: refused from then on.
            let id = try #require(key["id"] as? String)
            let (revoked, _) = try await client.send(.delete, "/v1/keys/\(id)", token: access)
            #expect(revoked == .ok)
            let (after, afterBody) = try await client.send(.get, "/v1/auth/me", token: secret)
            #expect(after == .unauthorized)
            #expect(error(afterBody).code == "UNAUTHORIZED")
        }
    }

    @Test func anotherUserCannotSeeOrRevokeMyKeys() async throws {
        try await withApp { client, _ in
            _ = try await register(client, "ada@example.com")
            _ = try await register(client, "bob@example.com")
            let ada = try #require(try await login(client, "ada@example.com")["access_token"] as? String)
            let bob = try #require(try await login(client, "bob@example.com")["access_token"] as? String)
            let (_, body) = try await client.send(.post, "/v1/keys", token: ada, json: #"{"name":"k","scopes":["tasks:read"],"mode":"live"}"#)
            let data = try #require(body["data"] as? [String: Any])
            let secret = try #require(data["secret"] as? String)
            #expect(secret.hasPrefix("sk_live_"))
            let id = try #require((data["key"] as? [String: Any])?["id"] as? String)

            let (status, _) = try await client.send(.delete, "/v1/keys/\(id)", token: bob)
            #expect(status == .notFound)
            let (_, bobsKeys) = try await client.send(.get, "/v1/keys", token: bob)
            #expect((bobsKeys["data"] as? [Any])?.isEmpty == true)
            let (still, me) = try await client.send(.get, "/v1/auth/me", token: secret)
            #expect(still == .ok)
            #expect((me["data"] as? [String: Any])?["mode"] as? String == "live")
        }
    }

    @Test func atMostTenActiveKeys() async throws {
        try await withApp { client, _ in
            _ = try await register(client, "ada@example.com")
            let access = try #require(try await login(client, "ada@example.com")["access_token"] as? String)
            var firstID: String?
            for index in 0..<10 {
                let (status, body) = try await client.send(.post, "/v1/keys", token: access, json: #"{"name":"k\#(index)","scopes":["tasks:read"],"mode":"test"}"#)
                #expect(status == .created)
                if index == 0 { firstID = ((body["data"] as? [String: Any])?["key"] as? [String: Any])?["id"] as? String }
            }
            let (refused, body) = try await client.send(.post, "/v1/keys", token: access, json: #"{"name":"k10","scopes":["tasks:read"],"mode":"test"}"#)
            #expect(refused == .unprocessableContent)
            #expect(error(body).code == "LIMIT_EXCEEDED")
            _ = try await client.send(.delete, "/v1/keys/\(try #require(firstID))", token: access)
            let (allowed, _) = try await client.send(.post, "/v1/keys", token: access, json: #"{"name":"k10","scopes":["tasks:read"],"mode":"test"}"#)
            #expect(allowed == .created)
            let (badScope, badScopeBody) = try await client.send(.post, "/v1/keys", token: access, json: #"{"name":"k","scopes":["root"],"mode":"test"}"#)
            #expect(badScope == .badRequest)
            #expect(error(badScopeBody).field == "scopes")
        }
    }

    @Test func credentialsAreRequiredAndChecked() async throws {
        try await withApp { client, _ in
            for (token, expected) in [(nil, HTTPResponse.Status.unauthorized), ("garbage", .unauthorized), ("sk_test_nope", .unauthorized)] as [(String?, HTTPResponse.Status)] {
                let (status, body) = try await client.send(.get, "/v1/auth/me", token: token)
                #expect(status == expected)
                #expect(error(body).code == "UNAUTHORIZED")
            }
            let (keys, _) = try await client.send(.get, "/v1/keys")
            #expect(keys == .unauthorized)
        }
    }
}

extension MarketplaceStore {
    func count(_ table: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// True when any text column of api_keys or refresh_tokens holds `text`.
    func containsText(_ text: String) throws -> Bool {
        try DatabaseQueue(path: path).read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM api_keys WHERE id = ?1 OR name = ?1 OR last_four = ?1 OR scopes = ?1 OR CAST(secret_hash AS TEXT) = ?1)
                """, arguments: [text]) ?? false
        }
    }
}
