import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Testing
@testable import MarketplaceHTTP

/// `limit` and `offset` with a total `count`, beside cursors, as seeds 000/001 page.
struct OffsetPaginationTests {
    @Test func offsetPagesCountTheWholeAndRefuseACursorBeside() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            var ids: [String] = []
            for index in 0..<5 {
                ids.append(try await client.createTask(agent, #"{"title":"Task \#(index)","description":"d","category":"research","budget":{"amount":"1.00","currency":"USD"}}"#))
                test.clock.advance(seconds: 1)
            }
            let newestFirst = Array(ids.reversed())
            var seen: [String] = []
            for offset in stride(from: 0, to: 6, by: 2) {
                let (status, body) = try await client.send(.get, "/v1/tasks?mine=true&limit=2&offset=\(offset)", token: agent)
                #expect(status == .ok)
                #expect(data(body)["count"] as? Int == 5)
                #expect(data(body)["offset"] as? Int == offset)
                #expect(data(body)["has_more"] as? Bool == (offset + 2 < 5))
                seen += ((data(body)["tasks"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            }
            #expect(seen == newestFirst)
            // A cursor page says no count; a cursor and an offset together are refused by name.
            let (_, cursorPage) = try await client.send(.get, "/v1/tasks?mine=true&limit=2", token: agent)
            #expect(data(cursorPage)["count"] == nil)
            let cursor = try #require(data(cursorPage)["next_cursor"] as? String)
            for query in ["cursor=\(cursor)&offset=2", "offset=-1", "offset=10001", "offset=two"] {
                let (status, body) = try await client.send(.get, "/v1/tasks?mine=true&\(query)", token: agent)
                #expect(status == .badRequest, "\(query)")
                #expect((body["error"] as? [String: Any])?["field"] as? String == "offset", "\(query)")
            }
        }
    }
}
