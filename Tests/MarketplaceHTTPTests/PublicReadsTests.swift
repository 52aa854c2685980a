import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Testing
@testable import MarketplaceHTTP

/// Reads seed 002 (`GET /api/tasks`, `GET /api/tasks/:id`) and seed 000 (`browse_jobs`,
/// categories, pricing, platform info) make without credentials: published tasks only, and
/// never another user's private fields.
struct PublicReadsTests {
    private static func task(_ title: String) -> String {
        #"{"title":"\#(title)","description":"Call and ask","category":"research","budget":{"amount":"30.00","currency":"USD"},"callback_url":"https://agent.example.com/hook"}"#
    }

    @Test func withoutCredentialsOnlyPublishedTasksAreReadAndNoCallbackURL() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let open = try await client.createTask(agent, Self.task("Open"))
            let hidden = try await client.createTask(agent, Self.task("Hidden"))
            _ = try await client.send(.post, "/v1/tasks/\(hidden)/hide", token: agent)
            let taken = try await client.createTask(agent, Self.task("Taken"))
            _ = try await client.send(.post, "/v1/tasks/\(taken)/fund", token: agent)
            let (_, applied) = try await client.send(.post, "/v1/tasks/\(taken)/applications", token: human, json: #"{"message":"Me"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(taken)/applications/\(data(applied)["id"] as? String ?? "")/accept", token: agent)

            let (listed, page) = try await client.send(.get, "/v1/tasks")
            #expect(listed == .ok)
            let tasks = try #require(data(page)["tasks"] as? [[String: Any]])
            #expect(tasks.map { $0["id"] as? String } == [open])
            #expect(tasks.allSatisfy { $0["callback_url"] == nil || $0["callback_url"] is NSNull })
            let (offsetStatus, offsetPage) = try await client.send(.get, "/v1/tasks?limit=5&offset=0&category=research")
            #expect(offsetStatus == .ok)
            #expect(data(offsetPage)["count"] as? Int == 1)

            let (read, one) = try await client.send(.get, "/v1/tasks/\(open)")
            #expect(read == .ok)
            #expect(data(one)["title"] as? String == "Open")
            #expect(data(one)["callback_url"] == nil || data(one)["callback_url"] is NSNull)
            for id in [hidden, taken] {
                let (status, body) = try await client.send(.get, "/v1/tasks/\(id)")
                #expect(status == .notFound)
                #expect(errorCode(body) == "NOT_FOUND")
            }
            let (mine, mineBody) = try await client.send(.get, "/v1/tasks?mine=true")
            #expect(mine == .unauthorized)
            #expect(errorCode(mineBody) == "UNAUTHORIZED")
            // Public reads of what the platform is.
            for path in ["/v1/categories", "/v1/pricing", "/v1/platform"] { #expect(try await client.send(.get, path).0 == .ok) }
            // Nothing private answers without credentials.
            for path in ["/v1/tasks/\(taken)/applications", "/v1/tasks/\(taken)/messages", "/v1/tasks/\(taken)/payments", "/v1/wallet"] {
                #expect(try await client.send(.get, path).0 == .unauthorized, "\(path)")
            }
        }
    }

    @Test func onlyTheOwnerSeesWhereATasksEventsGo() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let id = try await client.createTask(agent, Self.task("Open"))
            let (_, owner) = try await client.send(.get, "/v1/tasks/\(id)", token: agent)
            #expect(data(owner)["callback_url"] as? String == "https://agent.example.com/hook")
            let (_, stranger) = try await client.send(.get, "/v1/tasks/\(id)", token: human)
            #expect(data(stranger)["id"] as? String == id)
            #expect(data(stranger)["callback_url"] == nil || data(stranger)["callback_url"] is NSNull)
            let (_, listed) = try await client.send(.get, "/v1/tasks", token: human)
            let row = (data(listed)["tasks"] as? [[String: Any]])?.first { $0["id"] as? String == id }
            #expect(row != nil)
            #expect(row?["callback_url"] == nil || row?["callback_url"] is NSNull)
        }
    }
}
