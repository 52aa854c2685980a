import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import MarketplaceHTTP
import MarketplaceServer
import NIOCore
import StripeConnector
import StripeFake
import Testing

/// Seed 002's requests (Fixtures/dialects/requesthuman) sent to /compat/requesthuman with only
/// the host changed, against the real Stripe connector and the fake Stripe over loopback: two
/// anonymous posts answered with their task tokens, the list, a Stripe checkout for the budget
/// with the 10% fee on top paid by Stripe's signed event, an applicant accepted, messages, a
/// submission approved and paid to the cent, and a funded task cancelled with its refund.
struct RequestHumanDialectTests {
    static let base = "/compat/requesthuman"

    struct DocumentRequest: Decodable {
        let name: String
        let method: String
        let path: String
        let headers: [String: String]?
        let body: String?
        let status: Int
    }

    static var documentRequests: [DocumentRequest] {
        get throws { try JSONDecoder().decode([DocumentRequest].self, from: Data(PackageResources.requesthuman_requests_json)) }
    }

    @Test func theDocumentsRequestsRunAsPrintedAndTheHumanIsPaidToTheCent() async throws {
        let clock = ManualClock()
        let fake = FakeStripe(nowSeconds: clock.now / 1_000_000)
        try await FakeStripeServer.run(fake) { baseURL in
            let connector = StripeConnector(secretKey: fake.secretKey, webhookSecrets: [fake.webhookSecret], baseURL: baseURL)
            let test = try await TestServices(clock: clock, card: CardPayments(connector: connector, successURL: "https://agents.example/ok",
                                                                               cancelURL: "https://agents.example/cancel"))
            defer { test.close() }
            try await Application(router: test.serverRouter).test(.router) { client in
                let human = try await client.session("jane@example.com", role: "human")
                var ids = ["task": "", "token": "", "task2": "", "token2": "", "app": "", "sub": ""]
                var answers: [String: [String: Any]] = [:]
                for request in try Self.documentRequests {
                    // The human's side happens on the site in the document: here through /v1.
                    switch request.name {
                    case "applications":
                        let (applied, _) = try await client.send(.post, "/v1/tasks/\(ids["task"]!)/applications", token: human,
                                                                 json: #"{"message":"I'm available and live nearby..."}"#)
                        #expect(applied == .created)
                    case "submissions":
                        let (submitted, body) = try await client.send(.post, "/v1/tasks/\(ids["task"]!)/submissions", token: human, json: #"""
                            {"deliverables":[{"kind":"photo","value":"https://example.com/photo.jpg"},{"kind":"text","value":"The business at 456 Elm St is Joe's Coffee, confirmed open."}],"note":"Took the photo at 2pm"}
                            """#)
                        #expect(submitted == .created, "\(body)")
                    case "cancel (the package task)":
                        // The package task is funded through the fund_url's browser flow, so its cancel refunds.
                        let (redirect, location) = try await client.execute(uri: "\(Self.base)/api/tasks/\(ids["task2"]!)/fund?token=\(ids["token2"]!)",
                                                                            method: .get) { ($0.status, $0.headers[.location]) }
                        #expect(redirect == .seeOther)
                        let page = try #require(location)
                        #expect(page.hasPrefix("https://checkout.stripe.com/c/pay/cs_"), "\(page)")
                        try await payCheckout(String(page.split(separator: "/").last ?? ""), fake, clock, client)
                    default: break
                    }
                    var path = request.path, body = request.body
                    var headers = request.headers ?? [:]
                    for (name, value) in ids {
                        path = path.replacingOccurrences(of: "{\(name)}", with: value)
                        body = body?.replacingOccurrences(of: "{{\(name)}}", with: value)
                        for (header, template) in headers { headers[header] = template.replacingOccurrences(of: "{{\(name)}}", with: value) }
                    }
                    let (status, answer) = try await client.send(HTTPRequest.Method(request.method)!, Self.base + path, json: body,
                                                                 headers: headers.map { ($0.key, $0.value) })
                    #expect(Int(status.code) == request.status, "\(request.name): \(answer)")
                    #expect(answer["success"] as? Bool == true, "\(request.name): \(answer)")
                    answers[request.name] = answer
                    switch request.name {
                    case "create (verify a business address)":
                        ids["task"] = try #require((answer["task"] as? [String: Any])?["id"] as? String)
                        ids["token"] = try #require(answer["task_token"] as? String)
                    case "create (pick up a package)":
                        ids["task2"] = try #require((answer["task"] as? [String: Any])?["id"] as? String)
                        ids["token2"] = try #require(answer["task_token"] as? String)
                    case "fund": try await payCheckout(try #require(answer["session_id"] as? String), fake, clock, client)
                    case "applications": ids["app"] = try #require((answer["applications"] as? [[String: Any]])?.first?["id"] as? String)
                    case "submissions": ids["sub"] = try #require((answer["submissions"] as? [[String: Any]])?.first?["id"] as? String)
                    default: break
                    }
                }

                // The create answers in the document's shape; the token is shown once.
                let created = try #require(answers["create (verify a business address)"])
                let task = try #require(created["task"] as? [String: Any])
                #expect("\(task["price"] ?? "")" == "15")
                #expect(task["status"] as? String == "published")
                #expect(task["delivery_type"] as? String == "submission")
                #expect(task["funding_status"] as? String == "unfunded")
                #expect(task["required_deliverables"] as? [String] == ["photo", "text"])
                #expect((created["fund_url"] as? String)?.hasSuffix("/fund?token=\(ids["token"]!)") == true)
                #expect((created["important"] as? String)?.hasPrefix("Store the task_token securely.") == true)
                let package = try #require(answers["create (pick up a package)"]?["task"] as? [String: Any])
                #expect(package["location_type"] as? String == "local")
                #expect(package["location_text"] as? String == "San Francisco, CA")
                #expect(package["estimated_hours"] as? Int == 1)
                #expect(package["price_type"] as? String == "fixed")
                #expect(answers["list"]?["count"] as? Int == 2)
                #expect(answers["list"]?["limit"] as? Int == 10)
                #expect((answers["get"]?["task"] as? [String: Any])?["id"] as? String == ids["task"])

                // The checkout charged the budget with the 10% fee on top: 16.50 for 15.
                #expect((answers["fund"]?["checkout_url"] as? String)?.isEmpty == false)
                #expect(fake.requests("POST", "/v1/checkout/sessions").first?.params["line_items[0][price_data][unit_amount]"] == "1650")
                let application = try #require((answers["applications"]?["applications"] as? [[String: Any]])?.first)
                #expect(application["status"] as? String == "pending")
                #expect(application["message"] as? String == "I'm available and live nearby...")
                #expect((answers["accept"]?["application"] as? [String: Any])?["status"] as? String == "accepted")
                #expect((answers["accept"]?["task"] as? [String: Any])?["status"] as? String == "assigned")
                let thread = try #require(answers["messages"]?["messages"] as? [[String: Any]])
                #expect(thread.map { $0["sender_type"] as? String } == ["agent"])
                #expect(thread.first?["body"] as? String == "Thanks for applying! Can you start today?")
                let submission = try #require((answers["submissions"]?["submissions"] as? [[String: Any]])?.first)
                #expect(submission["status"] as? String == "pending")
                #expect(submission["application_id"] as? String == ids["app"])
                #expect(submission["deliverables"] as? [String: String] == ["photo": "https://example.com/photo.jpg",
                                                                           "text": "The business at 456 Elm St is Joe's Coffee, confirmed open."])

                // Approval completes the task and pays the human 15.00 in the same commit.
                #expect((answers["approve"]?["task"] as? [String: Any])?["status"] as? String == "completed")
                let humanID = try #require(application["user_id"] as? String)
                #expect(try test.ledger.account(code: "wallet:user:test:\(humanID):USD")?.balance.posted(for: .liability) == 1_500)

                // The funded package task's cancel refunds its 27.50 to the card.
                let cancelled = try #require(answers["cancel (the package task)"])
                #expect(cancelled["refunded"] as? Bool == true)
                #expect(cancelled["message"] as? String == "Task cancelled and refunded")
                #expect((cancelled["task"] as? [String: Any])?["status"] as? String == "cancelled")
                #expect(fake.requests("POST", "/v1/refunds").first?.params["amount"] == "2750")
                #expect(try test.ledger.verify().fault == nil)
            }
        }
    }

    @Test func refusalsAreTheDocumentsShapeAndWriteNothing() async throws {
        let test = try await TestServices()
        defer { test.close() }
        try await Application(router: test.serverRouter).test(.router) { client in
            let (_, created) = try await client.send(.post, "\(Self.base)/api/tasks", json: #"{"title":"t","description":"d","price":10}"#)
            let id = try #require((created["task"] as? [String: Any])?["id"] as? String)
            let token = try #require(created["task_token"] as? String)
            let (_, other) = try await client.send(.post, "\(Self.base)/api/tasks", json: #"{"title":"u","description":"d","price":10}"#)
            let otherToken = try #require(other["task_token"] as? String)
            let human = try await client.session("jane@example.com", role: "human")
            let (_, applied) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
            let application = try #require(data(applied)["id"] as? String)
            let before = try TestDatabase.snapshot(test.path)

            func refused(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, token: String? = nil,
                         idempotencyKey: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
                let (status, body) = try await client.send(method, Self.base + path, json: json, idempotencyKey: idempotencyKey,
                                                           headers: token.map { [("X-Task-Token", $0)] } ?? [])
                #expect(body["success"] as? Bool == false, "\(path): \(body)")
                #expect(body["error"] is String, "\(path): \(body)")
                return (status, body)
            }
            // No token, another task's token: 403.
            #expect(try await refused(.patch, "/api/tasks/\(id)", json: #"{"status":"completed"}"#).0 == .forbidden)
            #expect(try await refused(.get, "/api/tasks/\(id)/applications", token: otherToken).0 == .forbidden)
            #expect(try await refused(.post, "/api/tasks/\(id)/cancel", token: "tt_not_a_token").0 == .forbidden)
            // Accepting before funding: 402 with the fund_url.
            let (unfunded, unfundedBody) = try await refused(.patch, "/api/tasks/\(id)/applications/\(application)", json: #"{"status":"accepted"}"#, token: token)
            #expect(unfunded.code == 402)
            #expect(unfundedBody["fund_url"] as? String == "\(Self.base)/api/tasks/\(id)/fund")
            // Bad input: 400 naming the field; a status the document lists but a call sets is refused.
            let (unknown, unknownBody) = try await refused(.post, "/api/tasks", json: #"{"title":"t","description":"d","price":10,"budget":10}"#)
            #expect(unknown == .badRequest)
            #expect((unknownBody["error"] as? String)?.contains("budget") == true)
            let (noPrice, noPriceBody) = try await refused(.post, "/api/tasks", json: #"{"title":"t","description":"d"}"#)
            #expect(noPrice == .badRequest)
            #expect((noPriceBody["error"] as? String)?.contains("price") == true)
            let (fraction, fractionBody) = try await refused(.post, "/api/tasks", json: #"{"title":"t","description":"d","price":10.005}"#)
            #expect(fraction == .badRequest)
            #expect((fractionBody["error"] as? String)?.contains("price") == true)
            #expect(try await refused(.patch, "/api/tasks/\(id)", json: #"{"status":"assigned"}"#, token: token).0 == .badRequest)
            // The create answer carries the token, which is never stored: no Idempotency-Key.
            #expect(try await refused(.post, "/api/tasks", json: #"{"title":"t","description":"d","price":10}"#, idempotencyKey: "k1").0 == .badRequest)
            #expect(try TestDatabase.snapshot(test.path) == before)
            // A third unfunded task from the address is taken, a fourth is 429 (too many unfunded tasks).
            let (third, _) = try await client.send(.post, "\(Self.base)/api/tasks", json: #"{"title":"v","description":"d","price":10}"#)
            #expect(third == .created)
            #expect(try await refused(.post, "/api/tasks", json: #"{"title":"w","description":"d","price":10}"#).0 == .tooManyRequests)
            let (hidden, hiddenBody) = try await client.send(.patch, "\(Self.base)/api/tasks/\(try #require((other["task"] as? [String: Any])?["id"] as? String))",
                                                             json: #"{"status":"hidden","task_token":"\#(otherToken)"}"#)
            #expect(hidden == .ok)
            #expect((hiddenBody["task"] as? [String: Any])?["status"] as? String == "hidden")

            // `make run`'s rehearsal: test mode without a card connector, so the test connector
            // funds the task at once (budget and the 10% fee) and the applicant can be accepted.
            let (funded, fundedBody) = try await client.send(.post, "\(Self.base)/api/tasks/\(id)/fund", json: #"{"task_token":"\#(token)"}"#)
            #expect(funded == .ok, "\(fundedBody)")
            #expect(fundedBody["funded"] as? Bool == true)
            #expect(fundedBody["session_id"] is NSNull)
            #expect(fundedBody["checkout_url"] as? String == "\(Self.base)/api/tasks/\(id)")
            // Funding it again answers the same: funded, nothing to pay.
            let (again, againBody) = try await client.send(.post, "\(Self.base)/api/tasks/\(id)/fund", headers: [("X-Task-Token", token)])
            #expect(again == .ok)
            #expect(againBody["funded"] as? Bool == true)
            let (accepted, acceptedBody) = try await client.send(.patch, "\(Self.base)/api/tasks/\(id)/applications/\(application)", json: #"{"status":"accepted"}"#,
                                                                 headers: [("X-Task-Token", token)])
            #expect(accepted == .ok, "\(acceptedBody)")
            #expect((acceptedBody["task"] as? [String: Any])?["funding_status"] as? String == "funded")
            #expect(try test.ledger.verify().fault == nil)
        }
    }

    @Test func itsOpenAPIDocumentDescribesEveryRoute() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        let served = Set(router.routes.map(\.openAPIName).filter { $0.contains("/compat/requesthuman/") && !$0.hasSuffix("/mcp") })
        try await Application(router: router).test(.router) { client in
            let (status, document) = try await client.send(.get, "\(Self.base)/openapi.json")
            #expect(status == .ok)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let described = Set(paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) \(Self.base)\(path)" } })
            #expect(described == served, "not described: \(served.subtracting(described).sorted()); not served: \(described.subtracting(served).sorted())")
        }
    }
}
