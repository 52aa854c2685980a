import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MarketplaceHTTP

/// The credentials the server reads: `Authorization: Bearer` in any case of the scheme, and an
/// API key in `X-API-Key` acting for its owner exactly as the same key as a bearer token would.
/// (The headers it refuses are rows of BadInputTests.)
struct CredentialHeaderTests {
    static let task = #"{"title":"Keyed","description":"d","category":"research","budget":{"amount":"1","currency":"USD"}}"#

    @Test func theBearerSchemeIsCaseInsensitive() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            for scheme in ["bearer", "BEARER", "bEaReR"] {
                let (status, body) = try await client.send(.get, "/v1/auth/me", headers: [("Authorization", "\(scheme) \(agent)")])
                #expect(status == .ok, "\(scheme): \(body)")
                #expect((data(body)["user"] as? [String: Any])?["email"] as? String == "agent@example.com", "\(scheme)")
            }
        }
    }

    @Test func anAPIKeyInXAPIKeyPostsATaskItsOwnerOwns() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            let (_, created) = try await client.send(.post, "/v1/keys", token: agent, json: #"{"name":"k","scopes":["tasks:read","tasks:write"],"mode":"test"}"#)
            let key = try #require(data(created)["secret"] as? String)

            let (status, body) = try await client.send(.post, "/v1/tasks", json: Self.task, headers: [("X-API-Key", key)])
            #expect(status == .created)
            #expect(data(body)["task_token"] == nil, "an anonymous post: \(body)")
            let id = try #require(data(body)["id"] as? String)
            #expect(try await client.send(.get, "/v1/tasks/\(id)", token: agent).0 == .ok)
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect((data(mine)["tasks"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])

            // The same key in both headers is one credential, not a conflict.
            let (both, _) = try await client.send(.get, "/v1/tasks/\(id)", token: key, headers: [("X-API-Key", key)])
            #expect(both == .ok)
        }
    }
}
