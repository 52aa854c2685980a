import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Tasks through the real router: exact amounts, every bad field named, pagination, owners, scopes, modes.
struct TaskRoutesTests {
    private func key(_ client: Client, session: String, scopes: [String], mode: String = "test") async throws -> String {
        let scopeList = scopes.map { "\"\($0)\"" }.joined(separator: ",")
        let (_, body) = try await client.send(.post, "/v1/keys", token: session, json: #"{"name":"k","scopes":[\#(scopeList)],"mode":"\#(mode)"}"#)
        return try #require((body["data"] as? [String: Any])?["secret"] as? String)
    }

    private func taskJSON(title: String = "Photograph the storefront", amount: String = #""25.00""#, currency: String = "USD",
                          extra: String = "") -> String {
        #"{"title":"\#(title)","description":"Two photos of 12 Main St, daylight","category":"photography","budget":{"amount":\#(amount),"currency":"\#(currency)"}\#(extra)}"#
    }

    private func create(_ client: Client, _ token: String, _ json: String) async throws -> [String: Any] {
        let (status, body) = try await client.send(.post, "/v1/tasks", token: token, json: json)
        #expect(status == .created)
        return try #require(body["data"] as? [String: Any])
    }

    private func field(_ body: [String: Any]) -> String? { (body["error"] as? [String: Any])?["field"] as? String }
    private func code(_ body: [String: Any]) -> String? { (body["error"] as? [String: Any])?["code"] as? String }

    @Test func amountsAreExactWhetherStringOrNumber() async throws {
        try await withApp { client, _ in
            let token = try await client.session("ada@example.com")
            let fromNumber = try await create(client, token, taskJSON(amount: "12.5"))
            let budget = try #require(fromNumber["budget"] as? [String: Any])
            #expect(budget["amount"] as? String == "12.50")
            #expect(budget["amount_minor"] as? Int == 1_250)
            let usdc = try await create(client, token, taskJSON(amount: #""0.000001""#, currency: "USDC"))
            #expect((usdc["budget"] as? [String: Any])?["amount_minor"] as? Int == 1)
            let hourly = try await create(client, token, taskJSON(amount: #""0.10""#, extra: #","deadline":"2027-01-01T00:00:00Z""#)
                .replacingOccurrences(of: #""currency":"USD"}"#, with: #""currency":"USD","type":"hourly","estimated_hours":3}"#))
            let total = try #require((hourly["budget"] as? [String: Any])?["total"] as? [String: Any])
            #expect(total["amount"] as? String == "0.30")
            #expect(fromNumber["status"] as? String == "published")
        }
    }

    @Test func everyBadFieldIsNamedAndNothingIsWritten() async throws {
        try await withApp { client, test in
            let token = try await client.session("ada@example.com")
            let long = String(repeating: "x", count: 201)
            let cases: [(String, String)] = [
                (taskJSON(title: ""), "title"),
                (taskJSON(title: long), "title"),
                (taskJSON().replacingOccurrences(of: "Two photos of 12 Main St, daylight", with: String(repeating: "d", count: 5_001)), "description"),
                (taskJSON().replacingOccurrences(of: "photography", with: "astrology"), "category"),
                (taskJSON(amount: #""12.345""#), "budget.amount"),
                (taskJSON(amount: "12.345"), "budget.amount"),
                (taskJSON(amount: #""-5""#), "budget.amount"),
                (taskJSON(amount: #""0""#), "budget.amount"),
                (taskJSON(amount: #""1e3""#), "budget.amount"),
                (taskJSON(amount: "true"), "budget.amount"),
                (taskJSON(currency: "EUR"), "budget.currency"),
                (taskJSON(currency: "ETH"), "budget.currency"),
                (taskJSON().replacingOccurrences(of: #""currency":"USD"}"#, with: #""currency":"USD","type":"hourly"}"#), "budget.estimated_hours"),
                (taskJSON().replacingOccurrences(of: #""currency":"USD"}"#, with: #""currency":"USD","type":"weekly"}"#), "budget.type"),
                (taskJSON(extra: #","location_type":"local""#), "address"),
                (taskJSON(extra: #","location_type":"local","latitude":91,"longitude":0"#), "latitude"),
                (taskJSON(extra: #","location_type":"local","latitude":10"#), "longitude"),
                (taskJSON(extra: #","location_type":"orbit""#), "location_type"),
                (taskJSON(extra: #","deadline":"2020-01-01T00:00:00Z""#), "deadline"),
                (taskJSON(extra: #","deadline":"next tuesday""#), "deadline"),
                (taskJSON(extra: #","delivery_type":"carrier pigeon""#), "delivery_type"),
                (taskJSON(extra: #","required_deliverables":["text","video"]"#), "required_deliverables"),
                (taskJSON(extra: #","required_deliverables":["text","text"]"#), "required_deliverables"),
                (taskJSON(extra: #","proof_requirements":["ok",""]"#), "proof_requirements[1]"),
                (taskJSON(extra: #","urgency":"yesterday""#), "urgency"),
                (taskJSON(extra: #","callback_url":"ftp://example.com/hook""#), "callback_url"),
                (taskJSON(extra: #","verified_only":"yes""#), "verified_only"),
                (#"{"title":5,"description":"d","category":"photography","budget":{"amount":"1","currency":"USD"}}"#, "title"),
                (#"{"title":"t","description":"d","category":"photography"}"#, "budget"),
                (#"{"title":"t","#, "body"),
            ]
            for (json, expected) in cases {
                let (status, body) = try await client.send(.post, "/v1/tasks", token: token, json: json)
                #expect(status == .badRequest, "\(expected): \(json.prefix(80))")
                #expect(field(body) == expected, "\(json.prefix(120))")
                #expect(code(body) == "VALIDATION_ERROR")
            }
            #expect(try test.store.count("tasks") == 0)
        }
    }

    @Test func listsFilterAndPageWithoutGapsOrRepeats() async throws {
        try await withApp { client, test in
            let ada = try await client.session("ada@example.com")
            var ids: [String] = []
            for index in 0..<5 {
                test.clock.advance(seconds: 1)
                let category = index % 2 == 0 ? "photography" : "research"
                let task = try await create(client, ada, taskJSON(title: "task \(index)").replacingOccurrences(of: "photography", with: category))
                ids.append(try #require(task["id"] as? String))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/v1/tasks?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let (_, body) = try await client.send(.get, uri, token: ada)
                let page = try #require(body["data"] as? [String: Any])
                seen += (page["tasks"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == ids.reversed())
            let (_, research) = try await client.send(.get, "/v1/tasks?category=research", token: ada)
            #expect(((research["data"] as? [String: Any])?["tasks"] as? [Any])?.count == 2)
            let (bad, badBody) = try await client.send(.get, "/v1/tasks?status=canceled", token: ada)
            #expect(bad == .badRequest)
            #expect(field(badBody) == "status")
            let (tooMany, tooManyBody) = try await client.send(.get, "/v1/tasks?limit=101", token: ada)
            #expect(tooMany == .badRequest)
            #expect(field(tooManyBody) == "limit")
        }
    }

    @Test func onlyTheOwnerChangesOrCancelsAndOthersSeeOnlyPublishedTasks() async throws {
        try await withApp { client, test in
            let ada = try await client.session("ada@example.com")
            let bob = try await client.session("bob@example.com")
            let id = try #require(try await create(client, ada, taskJSON())["id"] as? String)

            let (seen, _) = try await client.send(.get, "/v1/tasks/\(id)", token: bob)
            #expect(seen == .ok)
            let (hijack, _) = try await client.send(.patch, "/v1/tasks/\(id)", token: bob, json: #"{"title":"mine now"}"#)
            #expect(hijack == .notFound)
            let (bobCancel, _) = try await client.send(.post, "/v1/tasks/\(id)/cancel", token: bob)
            #expect(bobCancel == .notFound)

            let (updated, body) = try await client.send(.patch, "/v1/tasks/\(id)", token: ada, json: #"{"title":"Photograph the shop front","urgency":"high"}"#)
            #expect(updated == .ok)
            #expect((body["data"] as? [String: Any])?["title"] as? String == "Photograph the shop front")
            let (badUpdate, badBody) = try await client.send(.patch, "/v1/tasks/\(id)", token: ada, json: #"{"urgency":"whenever"}"#)
            #expect(badUpdate == .badRequest)
            #expect(field(badBody) == "urgency")

            let (canceled, canceledBody) = try await client.send(.post, "/v1/tasks/\(id)/cancel", token: ada)
            #expect(canceled == .ok)
            #expect((canceledBody["data"] as? [String: Any])?["status"] as? String == "canceled")
            let (again, againBody) = try await client.send(.post, "/v1/tasks/\(id)/cancel", token: ada)
            #expect(again == .conflict)
            #expect((againBody["error"] as? [String: Any])?["message"] as? String == "the task is canceled; it cannot be canceled")
            let (late, _) = try await client.send(.patch, "/v1/tasks/\(id)", token: ada, json: #"{"title":"too late"}"#)
            #expect(late == .conflict)
            let (hidden, _) = try await client.send(.get, "/v1/tasks/\(id)", token: bob)
            #expect(hidden == .notFound)
            let (_, mine) = try await client.send(.get, "/v1/tasks?mine=true&status=canceled", token: ada)
            #expect(((mine["data"] as? [String: Any])?["tasks"] as? [Any])?.count == 1)
            #expect(try test.store.count("tasks") == 1)
        }
    }

    @Test func scopesAndModesAreEnforced() async throws {
        try await withApp { client, _ in
            let ada = try await client.session("ada@example.com")
            let reader = try await key(client, session: ada, scopes: ["tasks:read"])
            let (refused, body) = try await client.send(.post, "/v1/tasks", token: reader, json: taskJSON())
            #expect(refused == .forbidden)
            #expect(code(body) == "FORBIDDEN")

            let liveWriter = try await key(client, session: ada, scopes: ["tasks:read", "tasks:write"], mode: "live")
            let liveTask = try #require(try await create(client, liveWriter, taskJSON())["id"] as? String)
            let testWriter = try await key(client, session: ada, scopes: ["tasks:read", "tasks:write"], mode: "test")
            let (crossMode, _) = try await client.send(.get, "/v1/tasks/\(liveTask)", token: testWriter)
            #expect(crossMode == .notFound)
            let (_, testList) = try await client.send(.get, "/v1/tasks?mine=true", token: testWriter)
            #expect(((testList["data"] as? [String: Any])?["tasks"] as? [Any])?.isEmpty == true)
            // Without credentials: the published listing (PublicReadsTests), never anyone's own.
            let (anonymous, _) = try await client.send(.get, "/v1/tasks")
            #expect(anonymous == .ok)
            let (anonymousMine, _) = try await client.send(.get, "/v1/tasks?mine=true")
            #expect(anonymousMine == .unauthorized)
            let (_, categories) = try await client.send(.get, "/v1/categories")
            let groups = categories["data"] as? [[String: Any]]
            #expect(groups?.flatMap { $0["categories"] as? [[String: Any]] ?? [] }.contains { $0["id"] as? String == "photography" } == true)
        }
    }
}
