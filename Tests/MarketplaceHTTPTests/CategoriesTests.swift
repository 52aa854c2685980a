import Foundation
import Hummingbird
import HummingbirdTesting
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// The taxonomy (seed 000: "50+ categories"): groups of categories with stable slugs, served
/// without credentials, the first categories tasks were posted with kept.
struct CategoriesTests {
    @Test func theTaxonomyIsServedGroupByGroupWithoutAKey() async throws {
        try await withApp { client, _ in
            let (status, body) = try await client.send(.get, "/v1/categories")
            #expect(status == .ok)
            let groups = try #require(body["data"] as? [[String: Any]])
            #expect(groups.map { $0["id"] as? String } == CategoryGroup.all.map(\.id))
            let categories = groups.flatMap { group in
                (group["categories"] as? [[String: Any]] ?? []).map { (group: group["id"] as? String, category: $0) }
            }
            let slugs = categories.compactMap { $0.category["id"] as? String }
            #expect(slugs.count >= 50)
            #expect(Set(slugs).count == slugs.count)
            #expect(slugs == Category.all.map(\.id))
            for (group, category) in categories {
                #expect(category["group"] as? String == group)
                #expect((category["name"] as? String)?.isEmpty == false)
                #expect((category["description"] as? String)?.isEmpty == false)
                let slug = try #require(category["id"] as? String)
                #expect(slug.allSatisfy { $0.isLowercase || $0 == "_" }, "\(slug) is not a slug")
            }
            for group in groups { #expect((group["categories"] as? [Any])?.isEmpty == false) }
            // The slugs tasks were first posted with stay.
            #expect(Set(["photography", "verification", "delivery", "research", "data_entry", "errands", "writing", "other"]).isSubset(of: Set(slugs)))
        }
    }

    @Test func aTaskTakesANewCategoryAndRefusesAnUnknownOne() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            let id = try await client.createTask(agent, #"{"title":"Translate a menu","description":"French to English","category":"translation","budget":{"amount":"12.00","currency":"USD"}}"#)
            let (_, task) = try await client.send(.get, "/v1/tasks/\(id)", token: agent)
            #expect(data(task)["category"] as? String == "translation")
            let (refused, body) = try await client.send(.post, "/v1/tasks", token: agent,
                                                         json: #"{"title":"t","description":"d","category":"astrology","budget":{"amount":"1.00","currency":"USD"}}"#)
            #expect(refused == .badRequest)
            #expect(errorField(body) == "category")
        }
    }
}
