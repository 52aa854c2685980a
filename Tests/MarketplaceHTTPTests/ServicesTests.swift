import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Testing
@testable import MarketplaceHTTP

/// Services and orders (seed 000) end to end over HTTP on a real SQLite file: published by
/// humans and agents, searched without credentials by every filter, ordered (the order is a
/// task assigned to the provider) and funded in one call or later, and paid through the
/// owner's approval; money to the cent against the ledger.
struct ServicesTests {
    static let menu = #"{"title":"Translate a menu","description":"French to English, one page","category":"translation","price":{"amount":"40.00","currency":"USD"},"delivery_days":3}"#
    static let photos = #"{"title":"Event photographer","description":"Photos of your event","category":"photography","price":{"amount":"25.00","currency":"USD","type":"hourly"},"delivery_days":7,"location_type":"local","location":"Lyon, France"}"#
    static let research = #"{"title":"Desk research","description":"Find and summarize sources","category":"research","price":{"amount":15.5,"currency":"USD"},"delivery_days":2}"#
    static let grading = #"{"title":"Grade model answers","description":"An AI grader for your eval set","category":"ai_evaluation","price":{"amount":"5","currency":"USD"},"delivery_days":1}"#

    @Test func servicesAreSearchedByEveryFilterWithoutAKey() async throws {
        try await withApp { client, test in
            let human = try await client.session("human@example.com", role: "human")
            let bot = try await client.session("bot@example.com")
            let menu = try await publish(client, test, human, Self.menu)
            let photos = try await publish(client, test, human, Self.photos)
            let research = try await publish(client, test, human, Self.research)
            let grading = try await publish(client, test, bot, Self.grading)  // an agent offering an AI service
            func found(_ query: String, token: String? = nil) async throws -> [String] {
                let (status, body) = try await client.send(.get, "/v1/services\(query)", token: token)
                #expect(status == .ok, "\(query): \(body)")
                return ((data(body)["services"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await found("") == [grading, research, photos, menu])  // newest first
            #expect(try await found("?q=MENU") == [menu])
            #expect(try await found("?q=summarize") == [research])
            #expect(try await found("?q=100%25") == [])  // a LIKE wildcard is matched as written
            #expect(try await found("?category=photography") == [photos])
            #expect(try await found("?min_price=20&max_price=30") == [photos])
            #expect(try await found("?max_price=15.50") == [grading, research])
            #expect(try await found("?min_price=15.51&currency=USD") == [photos, menu])
            #expect(try await found("?currency=USDC") == [])
            #expect(try await found("?location_type=local") == [photos])
            #expect(try await found("?price_type=hourly") == [photos])
            #expect(try await found("?location_type=remote&max_price=10") == [grading])

            // Pagination: cursors, and offsets with a total count.
            let (_, first) = try await client.send(.get, "/v1/services?limit=3")
            #expect(((data(first)["services"] as? [[String: Any]]) ?? []).count == 3)
            #expect(data(first)["has_more"] as? Bool == true)
            let cursor = try #require(data(first)["next_cursor"] as? String)
            #expect(try await found("?limit=3&cursor=\(cursor)") == [menu])
            let (_, offset) = try await client.send(.get, "/v1/services?limit=2&offset=1")
            #expect(data(offset)["count"] as? Int == 4)
            #expect(((data(offset)["services"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [research, photos])

            // One service read without a key: its fields and the provider's public details, nothing private.
            let (read, readBody) = try await client.send(.get, "/v1/services/\(photos)")
            #expect(read == .ok)
            let service = data(readBody)
            #expect(service["location"] as? String == "Lyon, France")
            #expect(service["delivery_days"] as? Int == 7)
            #expect((service["price"] as? [String: Any])?["amount"] as? String == "25.00")
            #expect((service["price"] as? [String: Any])?["amount_minor"] as? Int == 2_500)
            #expect((service["price"] as? [String: Any])?["type"] as? String == "hourly")
            #expect(Set((service["provider"] as? [String: Any] ?? [:]).keys) == ["id", "display_name", "verified"])
            let text = String(decoding: try JSONSerialization.data(withJSONObject: readBody), as: UTF8.self)
            #expect(!text.contains("human@example.com"))

            // Unpublished: out of searches, unread by others, still the provider's; published again.
            let (unpublished, _) = try await client.send(.post, "/v1/services/\(menu)/unpublish", token: human)
            #expect(unpublished == .ok)
            #expect(try await found("?q=menu") == [])
            let (hidden, _) = try await client.send(.get, "/v1/services/\(menu)")
            #expect(hidden == .notFound)
            let (other, _) = try await client.send(.post, "/v1/services/\(menu)/publish", token: bot)
            #expect(other == .notFound)
            #expect(try await found("?mine=true", token: human) == [research, photos, menu])
            let (mineWithoutKey, _) = try await client.send(.get, "/v1/services?mine=true")
            #expect(mineWithoutKey == .unauthorized)
            _ = try await client.send(.post, "/v1/services/\(menu)/publish", token: human)

            // The provider changes the price; another user cannot.
            let (stranger, _) = try await client.send(.patch, "/v1/services/\(menu)", token: bot, json: #"{"title":"Mine now"}"#)
            #expect(stranger == .notFound)
            let (patched, patchedBody) = try await client.send(.patch, "/v1/services/\(menu)", token: human,
                                                               json: #"{"price":{"amount":"45.00","currency":"USD"}}"#)
            #expect(patched == .ok)
            #expect((data(patchedBody)["price"] as? [String: Any])?["amount_minor"] as? Int == 4_500)
            #expect(try await found("?min_price=45") == [menu])
            #expect(try test.ledger.verify().isClean)
        }
    }

    @Test func anOrderFundedInOneCallPaysTheProviderToTheCent() async throws {
        try await withApp { client, test in
            let human = try await client.session("human@example.com", role: "human")
            let agent = try await client.session("agent@example.com")
            let photos = try await publish(client, test, human, Self.photos)

            // A short wallet writes nothing.
            let before = try TestDatabase.snapshot(test.path)
            let (short, shortBody) = try await client.send(.post, "/v1/services/\(photos)/orders", token: agent, json: #"{"hours":3,"fund":{"source":"wallet"}}"#)
            #expect(short .code == 402)
            #expect(errorCode(shortBody) == "INSUFFICIENT_BALANCE")
            #expect(try TestDatabase.snapshot(test.path) == before)

            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (ordered, body) = try await client.send(.post, "/v1/services/\(photos)/orders", token: agent,
                                                        json: #"{"hours":3,"instructions":"The gala on Friday, 50 photos","fund":{"source":"wallet"}}"#)
            #expect(ordered == .created, "\(body)")
            let order = data(body)
            let orderID = try #require(order["id"] as? String)
            let task = try #require(order["task"] as? [String: Any])
            #expect(task["id"] as? String == orderID)
            #expect(task["status"] as? String == "assigned")
            #expect(task["worker_id"] as? String == (try await client.userID(human)))
            #expect(task["description"] as? String == "The gala on Friday, 50 photos")
            #expect(task["address"] as? String == "Lyon, France")
            #expect((task["budget"] as? [String: Any])?["estimated_hours"] as? Int == 3)
            #expect((order["price"] as? [String: Any])?["amount"] as? String == "75.00")  // 25.00 × 3 hours
            #expect(((order["funding"] as? [String: Any])?["escrow"] as? [String: Any])?["amount"] as? String == "82.50")
            #expect(try await client.wallet(agent).available == 1_750)
            #expect(try await client.wallet(agent).frozen == 8_250)
            try await client.expectWalletMatchesLedger(agent, test)

            // The provider reads the order and delivers; the buyer approves; the provider is paid 75.00, the fee is 7.50.
            let (listed, orders) = try await client.send(.get, "/v1/orders", token: human)
            #expect(listed == .ok)
            #expect((orders["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [orderID])
            let (submitted, _) = try await client.send(.post, "/v1/tasks/\(orderID)/submissions", token: human, json: #"{"deliverables":[{"kind":"url","value":"https://example.com/gala"}]}"#)
            #expect(submitted == .created)
            let (approved, paid) = try await client.send(.post, "/v1/tasks/\(orderID)/approve", token: agent)
            #expect(approved == .ok, "\(paid)")
            #expect(data(paid)["status"] as? String == "paid")
            #expect(try await client.wallet(human).available == 7_500)
            #expect(try await client.wallet(agent).available == 1_750)
            #expect(try await client.wallet(agent).frozen == 0)
            let fees = try #require(try test.ledger.account(code: "revenue:fees:test:USD"))
            #expect(fees.balance.available(for: fees.type) == 750)
            try await client.expectWalletMatchesLedger(human, test)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func anOrderFundedLaterIsWorkedOnlyOnceFunded() async throws {
        try await withApp { client, test in
            let bot = try await client.session("bot@example.com")
            let agent = try await client.session("agent@example.com")
            let grading = try await publish(client, test, bot, Self.grading)
            let (ordered, body) = try await client.send(.post, "/v1/services/\(grading)/orders", token: agent)
            #expect(ordered == .created, "\(body)")
            let orderID = try #require(data(body)["id"] as? String)
            #expect(data(body)["funding"] is NSNull)
            #expect((data(body)["task"] as? [String: Any])?["description"] as? String == "An AI grader for your eval set")
            let deliverable = #"{"deliverables":[{"kind":"text","value":"graded: 42 of 50 correct"}]}"#
            let (early, earlyBody) = try await client.send(.post, "/v1/tasks/\(orderID)/submissions", token: bot, json: deliverable)
            #expect(early .code == 402)
            #expect(errorCode(earlyBody) == "PAYMENT_REQUIRED")

            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"20.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (funded, funding) = try await client.send(.post, "/v1/tasks/\(orderID)/fund", token: agent)
            #expect(funded == .ok, "\(funding)")
            #expect((data(funding)["escrow"] as? [String: Any])?["amount"] as? String == "5.50")
            let (read, readBody) = try await client.send(.get, "/v1/orders/\(orderID)", token: bot)
            #expect(read == .ok)
            #expect(((data(readBody)["funding"] as? [String: Any])?["escrow"] as? [String: Any])?["amount_minor"] as? Int == 550)
            // The provider is an agent: it delivers its AI service and is paid like a human.
            let (submitted, submittedBody) = try await client.send(.post, "/v1/tasks/\(orderID)/submissions", token: bot, json: deliverable)
            #expect(submitted == .created, "\(submittedBody)")
            let (approved, _) = try await client.send(.post, "/v1/tasks/\(orderID)/approve", token: agent)
            #expect(approved == .ok)
            #expect(try await client.wallet(bot).available == 500)
            #expect(try await client.wallet(agent).available == 1_450)
            try await client.expectWalletMatchesLedger(bot, test)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func anOwnerApprovedPaymentGoesThroughTheSpendPolicyApprovals() async throws {
        try await withApp { client, test in
            let human = try await client.session("human@example.com", role: "human")
            let owner = try await client.session("agent@example.com")
            let menu = try await publish(client, test, human, Self.menu)
            _ = try await client.send(.post, "/v1/wallet/deposits", token: owner, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let (_, keyBody) = try await client.send(.post, "/v1/keys", token: owner, json: """
                {"name":"agent","scopes":["tasks:read","tasks:write","wallet:read","wallet:write"],"mode":"test"}
                """)
            let key = try #require(data(keyBody)["secret"] as? String)
            let (_, ordered) = try await client.send(.post, "/v1/services/\(menu)/orders", token: key)
            let orderID = try #require(data(ordered)["id"] as? String)

            let other = try await client.session("other@example.com")
            let before = try TestDatabase.snapshot(test.path)
            let (wrong, wrongBody) = try await client.send(.post, "/v1/orders/\(orderID)/prepare-payment", token: key, json: #"{"amount":"44.00"}"#)
            #expect(wrong == .badRequest)
            #expect(errorField(wrongBody) == "amount")
            let (milestone, milestoneBody) = try await client.send(.post, "/v1/orders/\(orderID)/prepare-payment", token: key,
                                                                   json: #"{"amount":"40.00","milestone_id":"ms_1"}"#)
            #expect(milestone == .badRequest)
            #expect(errorField(milestoneBody) == "milestone_id")
            let (stranger, _) = try await client.send(.post, "/v1/orders/\(orderID)/prepare-payment", token: other,
                                                      json: #"{"amount":"40.00"}"#)
            #expect(stranger == .notFound)
            #expect(try TestDatabase.snapshot(test.path) == before)

            // Through the key: an approval for the owner; nothing moves until the owner approves.
            let (prepared, preparedBody) = try await client.send(.post, "/v1/orders/\(orderID)/prepare-payment", token: key, json: #"{"amount":40}"#)
            #expect(prepared == .accepted, "\(preparedBody)")
            #expect(data(preparedBody)["status"] as? String == "awaiting_approval")
            let approval = try #require(data(preparedBody)["approval"] as? [String: Any])
            #expect((approval["amount"] as? [String: Any])?["amount"] as? String == "44.00")
            #expect(try await client.wallet(owner).available == 10_000)
            let (listed, approvals) = try await client.send(.get, "/v1/funding-approvals", token: owner)
            #expect(listed == .ok)
            #expect((approvals["data"] as? [[String: Any]])?.map { $0["task_id"] as? String } == [orderID])
            let (byKey, _) = try await client.send(.post, "/v1/funding-approvals/\(try #require(approval["id"] as? String))/approve", token: key)
            #expect(byKey == .forbidden)  // the agent cannot approve its own payment
            let (approved, approvedBody) = try await client.send(.post, "/v1/funding-approvals/\(try #require(approval["id"] as? String))/approve", token: owner)
            #expect(approved == .ok, "\(approvedBody)")
            #expect(try await client.wallet(owner).available == 5_600)
            #expect(try await client.wallet(owner).frozen == 4_400)
            let (again, againBody) = try await client.send(.post, "/v1/orders/\(orderID)/prepare-payment", token: key, json: #"{"amount":"40.00"}"#)
            #expect(again == .ok)
            #expect(data(againBody)["status"] as? String == "funded")

            // The owner's own session is the approval: a second order is funded at once.
            let (_, second) = try await client.send(.post, "/v1/services/\(menu)/orders", token: owner)
            let secondID = try #require(data(second)["id"] as? String)
            let (direct, directBody) = try await client.send(.post, "/v1/orders/\(secondID)/prepare-payment", token: owner, json: #"{"amount":"40.00"}"#)
            #expect(direct == .ok, "\(directBody)")
            #expect(((data(directBody)["funding"] as? [String: Any])?["escrow"] as? [String: Any])?["amount"] as? String == "44.00")
            #expect(try await client.wallet(owner).available == 1_200)
            try await client.expectWalletMatchesLedger(owner, test)
        }
    }

    @Test func badInputIsRefusedNamingTheFieldAndWritesNothing() async throws {
        try await withApp { client, test in
            let human = try await client.session("human@example.com", role: "human")
            let agent = try await client.session("agent@example.com")
            let menu = try await publish(client, test, human, Self.menu)
            let photos = try await publish(client, test, human, Self.photos)
            let before = try TestDatabase.snapshot(test.path)
            let publishes: [(String, String)] = [
                (#"{"title":" ","description":"d","category":"research","price":{"amount":"5","currency":"USD"},"delivery_days":1}"#, "title"),
                (#"{"title":"t","description":"d","category":"astrology","price":{"amount":"5","currency":"USD"},"delivery_days":1}"#, "category"),
                (#"{"title":"t","description":"d","category":"research","price":{"amount":"5.001","currency":"USD"},"delivery_days":1}"#, "price.amount"),
                (#"{"title":"t","description":"d","category":"research","price":{"amount":"0","currency":"USD"},"delivery_days":1}"#, "price.amount"),
                (#"{"title":"t","description":"d","category":"research","price":{"amount":"5","currency":"EUR"},"delivery_days":1}"#, "price.currency"),
                (#"{"title":"t","description":"d","category":"research","price":{"amount":"5","currency":"USD","type":"daily"},"delivery_days":1}"#, "price.type"),
                (#"{"title":"t","description":"d","category":"research","price":{"amount":"5","currency":"USD"},"delivery_days":0}"#, "delivery_days"),
                (#"{"title":"t","description":"d","category":"research","price":{"amount":"5","currency":"USD"},"delivery_days":1,"location_type":"local"}"#, "location"),
                (#"{"title":"t","description":"d","category":"research","price":{"amount":"5","currency":"USD"},"delivery_days":1,"location":"Paris"}"#, "location"),
                (#"{"title":"t","description":"d","category":"research","price":{"amount":"5","currency":"USD"},"delivery_days":1,"rating":5}"#, "rating"),
            ]
            for (json, field) in publishes {
                let (status, body) = try await client.send(.post, "/v1/services", token: human, json: json)
                #expect(status == .badRequest, "\(json): \(body)")
                #expect(errorField(body) == field, "\(json): \(body)")
            }
            let searches: [(String, String)] = [
                ("min_price=abc", "min_price"), ("min_price=10&max_price=5", "max_price"), ("limit=0", "limit"), ("currency=EUR", "currency"),
                ("category=astrology", "category"), ("location_type=moon", "location_type"), ("price_type=daily", "price_type"),
                ("offset=1&cursor=1_a", "offset"), ("cursor=nope", "cursor"),
            ]
            for (query, field) in searches {
                let (status, body) = try await client.send(.get, "/v1/services?\(query)")
                #expect(status == .badRequest, "\(query): \(body)")
                #expect(errorField(body) == field, "\(query): \(body)")
            }
            let orders: [(String, String, String)] = [
                (photos, #"{}"#, "hours"), (menu, #"{"hours":2}"#, "hours"), (photos, #"{"hours":0}"#, "hours"),
                (menu, #"{"instructions":"  "}"#, "instructions"), (menu, #"{"fund":{"source":"card"}}"#, "fund.source"),
                (menu, #"{"tip":"1.00"}"#, "tip"),
            ]
            for (service, json, field) in orders {
                let (status, body) = try await client.send(.post, "/v1/services/\(service)/orders", token: agent, json: json)
                #expect(status == .badRequest, "\(json): \(body)")
                #expect(errorField(body) == field, "\(json): \(body)")
            }
            let (own, ownBody) = try await client.send(.post, "/v1/services/\(menu)/orders", token: human)
            #expect(own == .conflict, "\(ownBody)")
            let (anonymous, _) = try await client.send(.post, "/v1/services/\(menu)/orders")
            #expect(anonymous == .unauthorized)
            let (unknown, _) = try await client.send(.post, "/v1/services/svc_nothing/orders", token: agent)
            #expect(unknown == .notFound)
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }

    /// Publishes `json` as `token` and returns the service's id; the clock then moves a second,
    /// so that "newest first" has one order.
    private func publish(_ client: Client, _ test: TestServices, _ token: String, _ json: String) async throws -> String {
        defer { test.clock.advance(seconds: 1) }
        let (status, body) = try await client.send(.post, "/v1/services", token: token, json: json)
        guard status == .created, let id = data(body)["id"] as? String else { throw TestSupportError.unexpected("publish: \(status) \(body)") }
        return id
    }
}
