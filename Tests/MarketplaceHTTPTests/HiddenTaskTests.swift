import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MarketplaceHTTP

/// A task its owner hides (seed 004) is out of the published listing, still listed to its
/// owner, and still read and worked by id; unhiding puts it back.
struct HiddenTaskTests {
    @Test func aHiddenTaskLeavesTheListingButNotItsWork() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d1")
            let id = try await client.createTask(agent, #"{"title":"Photograph the door","description":"One photo","category":"photography","budget":{"amount":"10.00","currency":"USD"},"fund":{"source":"wallet"}}"#)
            func published() async throws -> [String] {
                let (_, body) = try await client.send(.get, "/v1/tasks", token: human)
                return ((data(body)["tasks"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await published() == [id])
            let (hidden, hiddenBody) = try await client.send(.post, "/v1/tasks/\(id)/hide", token: agent)
            #expect(hidden == .ok)
            #expect(data(hiddenBody)["hidden"] as? Bool == true)
            #expect(try await published().isEmpty)
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true", token: agent)
            #expect(((data(mine)["tasks"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [id])
            let (other, _) = try await client.send(.post, "/v1/tasks/\(id)/hide", token: human)
            #expect(other == .notFound)  // only the owner hides

            // Still read and worked by id while hidden: apply, accept, approve, paid.
            let (read, _) = try await client.send(.get, "/v1/tasks/\(id)", token: human)
            #expect(read == .ok)
            let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
            let (accepted, _) = try await client.send(.post, "/v1/tasks/\(id)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
            #expect(accepted == .ok)
            let (unhidden, unhiddenBody) = try await client.send(.post, "/v1/tasks/\(id)/unhide", token: agent)
            #expect(unhidden == .ok)
            #expect(data(unhiddenBody)["hidden"] as? Bool == false)
            #expect(data(unhiddenBody)["status"] as? String == "assigned")
            let (approved, paid) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(approved == .ok)
            #expect(data(paid)["status"] as? String == "paid")
            try await client.expectWalletMatchesLedger(human, test)
        }
    }
}
