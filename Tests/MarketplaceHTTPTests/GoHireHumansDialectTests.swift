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

/// Seeds 000 and 001's requests (Fixtures/dialects/gohirehumans) sent to /compat/gohirehumans
/// with only the host and the token changed, against the real Stripe connector and the fake
/// Stripe over loopback: the account, the task and the job, the lists, a Stripe checkout for
/// the task's budget with the fee on top, paid by Stripe's signed event, and the balance
/// showing the escrow to the cent.
struct GoHireHumansDialectTests {
    static let base = "/compat/gohirehumans"

    struct DocumentRequest: Decodable {
        let name: String
        let method: String
        let path: String
        let body: String?
        let status: Int
    }

    static var documentRequests: [DocumentRequest] {
        get throws { try JSONDecoder().decode([DocumentRequest].self, from: Data(PackageResources.gohirehumans_requests_json)) }
    }

    @Test func theDocumentsRequestsRunAsPrintedAndTheEscrowLandsToTheCent() async throws {
        let clock = ManualClock()  // 2026-01-01: the fixture's deadline is ahead
        let fake = FakeStripe(nowSeconds: clock.now / 1_000_000)
        try await FakeStripeServer.run(fake) { baseURL in
            let connector = StripeConnector(secretKey: fake.secretKey, webhookSecrets: [fake.webhookSecret], baseURL: baseURL)
            let test = try await TestServices(clock: clock, card: CardPayments(connector: connector, successURL: "https://agents.example/ok",
                                                                               cancelURL: "https://agents.example/cancel"))
            defer { test.close() }
            let router = test.serverRouter
            try await Application(router: router).test(.router) { client in
                var token: String?
                var task = ""
                var answers: [String: [String: Any]] = [:]
                for request in try Self.documentRequests {
                    let path = request.path.replacingOccurrences(of: "{task}", with: task)
                    let body = request.body?.replacingOccurrences(of: "{{task}}", with: task)
                    let (status, answer) = try await client.send(HTTPRequest.Method(request.method)!, Self.base + path, token: token, json: body)
                    #expect(Int(status.code) == request.status, "\(request.name): \(answer)")
                    answers[request.name] = answer
                    if request.name == "login" { token = answer["access_token"] as? String }
                    if request.name == "create a task (001)" { task = try #require(answer["id"] as? String) }
                }
                #expect(answers["register (ai_client)"]?["role"] as? String == "ai_client")
                #expect(answers["me"]?["email"] as? String == "agent@example.com")
                let created = try #require(answers["create a task (001)"])
                #expect("\(created["budget_amount"] ?? "")" == "25.5")
                #expect(created["status"] as? String == "open")
                #expect(created["location"] as? String == "Austin, TX")
                #expect(answers["create a job (000)"]?["location_type"] as? String == "remote")
                #expect((answers["list tasks"]?["tasks"] as? [[String: Any]])?.count == 2)
                #expect(answers["list tasks"]?["total"] as? Int == 2)
                #expect((answers["list jobs by category"]?["tasks"] as? [[String: Any]])?.map { $0["category"] as? String } == ["research"])
                #expect(answers["get a task"]?["id"] as? String == task)

                // The checkout charges the budget with the 10% fee on top: 28.05 for 25.50.
                let checkout = try #require(answers["checkout"])
                #expect(checkout["status"] as? String == "open")
                #expect("\(checkout["amount"] ?? "")" == "28.05")
                let session = try #require(checkout["session_id"] as? String)
                #expect(fake.requests("POST", "/v1/checkout/sessions").first?.params["success_url"] == "https://agent.example/paid")

                // Stripe's signed event funds it; the balance then shows the escrow.
                try await payCheckout(session, fake, clock, client)
                let (_, funded) = try await client.send(.get, "\(Self.base)/api/v1/tasks/\(task)", token: token)
                #expect(funded["funding_status"] as? String == "funded")
                let (_, balance) = try await client.send(.get, "\(Self.base)/api/v1/payments/balance", token: token)
                let usd = try #require((balance["balances"] as? [[String: Any]])?.first { $0["currency"] as? String == "USD" })
                #expect("\(usd["escrow"] ?? "")" == "28.05")
                #expect("\(usd["available"] ?? "")" == "0")
                // The history shows the checkout settled, for what the card paid.
                let (_, history) = try await client.send(.get, "\(Self.base)/api/v1/payments/history", token: token)
                let events = try #require(history["payments"] as? [[String: Any]])
                #expect(events.map { $0["kind"] as? String } == ["checkout"])
                #expect(events.first?["status"] as? String == "settled")
                #expect("\(events.first?["amount"] ?? "")" == "28.05")
                #expect(events.first?["task_id"] as? String == task)
                #expect((answers["payment history (000)"]?["payments"] as? [[String: Any]])?.first?["status"] as? String == "sent")
                let (refused, refusal) = try await client.send(.get, "\(Self.base)/api/v1/payments/history?status=lost", token: token)
                #expect(refused == .badRequest && errorField(refusal) == "status")
                #expect(try test.ledger.verify().fault == nil)
            }
        }
    }

    @Test func anAmountThatIsNotTheBudgetOrARoleTheDocumentDoesNotNameIsRefusedAndNothingIsWritten() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        try await Application(router: router).test(.router) { client in
            let (refusedRole, roleBody) = try await client.send(.post, "\(Self.base)/auth/register",
                                                               json: #"{"email":"a@example.com","password":"long enough","full_name":"A","role":"admin"}"#)
            #expect(refusedRole == .badRequest)
            #expect(errorField(roleBody) == "role")
            _ = try await client.send(.post, "\(Self.base)/auth/register", json: #"{"email":"a@example.com","password":"long enough","full_name":"A","role":"client"}"#)
            let (_, login) = try await client.send(.post, "\(Self.base)/auth/login", json: #"{"email":"a@example.com","password":"long enough"}"#)
            let token = try #require(login["access_token"] as? String)
            let (_, task) = try await client.send(.post, "\(Self.base)/api/v1/tasks", token: token,
                                                  json: #"{"title":"t","description":"d","category":"research","location_type":"remote","budget_amount":10,"budget_type":"fixed"}"#)
            let id = try #require(task["id"] as? String)
            let before = try TestDatabase.snapshot(test.path)
            for (json, field) in [(#"{"task_id":"\#(id)","amount":11,"success_url":"https://a.example/ok","cancel_url":"https://a.example/no"}"#, "amount"),
                                  (#"{"task_id":"\#(id)","amount":1e1,"success_url":"https://a.example/ok","cancel_url":"https://a.example/no"}"#, "amount")] {
                let (status, body) = try await client.send(.post, "\(Self.base)/api/v1/payments/checkout", token: token, json: json)
                #expect(status == .badRequest, "\(body)")
                #expect(errorField(body) == field)
            }
            let (local, localBody) = try await client.send(.post, "\(Self.base)/api/v1/jobs", token: token,
                                                           json: #"{"title":"t","description":"d","category":"research","location_type":"local","budget_amount":10,"budget_type":"fixed"}"#)
            #expect(local == .badRequest)
            #expect(errorField(localBody) == "location")
            let (badStatus, statusBody) = try await client.send(.get, "\(Self.base)/api/v1/tasks?status=published", token: token)
            #expect(badStatus == .badRequest)
            #expect(errorField(statusBody) == "status")
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }

    /// /compat/gohirehumans/openapi.json lists exactly the dialect's routes below its base URL.
    @Test func itsOpenAPIDocumentDescribesEveryRoute() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        let served = Set(router.routes.map(\.openAPIName).filter { $0.contains("/compat/gohirehumans/") && !$0.hasSuffix("/mcp") })
        try await Application(router: router).test(.router) { client in
            let (status, document) = try await client.send(.get, "\(Self.base)/openapi.json")
            #expect(status == .ok)
            #expect((document["servers"] as? [[String: Any]])?.first?["url"] as? String == Self.base)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let described = Set(paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) \(Self.base)\(path)" } })
            #expect(described == served, "not described: \(served.subtracting(described).sorted()); not served: \(described.subtracting(served).sorted())")
        }
    }

    /// Seed 000's prepare-order-payment names an order by its number: through an API key it
    /// waits for the owner's approval (202), from the owner's session it funds the order (200);
    /// a wrong amount or an unknown number is refused naming the field, and nothing is written.
    @Test func prepareOrderPaymentPaysTheNumberedOrder() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        try await Application(router: router).test(.router) { client in
            let provider = try await client.session("provider@example.com", role: "human")
            let (_, service) = try await client.send(.post, "/v1/services", token: provider, json: #"""
                {"title":"Desk research","description":"Two hours of sourced research.","category":"research","price":{"amount":"7.00","currency":"USD"},"delivery_days":2}
                """#)
            let serviceID = try #require(data(service)["id"] as? String)
            _ = try await client.send(.post, "/v1/services/\(serviceID)/publish", token: provider)
            _ = try await client.send(.post, "\(Self.base)/auth/register", json: #"{"email":"a@example.com","password":"long enough","full_name":"A","role":"ai_client"}"#)
            let (_, login) = try await client.send(.post, "\(Self.base)/auth/login", json: #"{"email":"a@example.com","password":"long enough"}"#)
            let session = try #require(login["access_token"] as? String)
            _ = try await client.send(.post, "/v1/wallet/deposits", token: session, json: #"{"amount":"20.00","currency":"USD"}"#, idempotencyKey: "d")
            func order() async throws -> Int {
                let (placed, body) = try await client.send(.post, "/v1/services/\(serviceID)/orders", token: session)
                #expect(placed == .created, "\(body)")
                return try #require(data(body)["number"] as? Int)
            }
            let first = try await order()
            let second = try await order()
            #expect(second == first + 1)
            let before = try TestDatabase.snapshot(test.path)
            for (json, field) in [(#"{"order_id":\#(first),"amount":8}"#, "amount"), (#"{"order_id":999,"amount":7}"#, "order_id"),
                                  (#"{"order_id":\#(first),"amount":7,"milestone_id":"m1"}"#, "milestone_id"), (#"{"order_id":"\#(first)","amount":7}"#, "order_id")] {
                let (status, body) = try await client.send(.post, "\(Self.base)/api/v1/payments/prepare-order-payment", token: session, json: json)
                #expect(status == .badRequest, "\(json): \(body)")
                #expect(errorField(body) == field, "\(json): \(body)")
            }
            #expect(try TestDatabase.snapshot(test.path) == before)
            let (funded, fundedBody) = try await client.send(.post, "\(Self.base)/api/v1/payments/prepare-order-payment", token: session,
                                                             json: #"{"order_id":\#(first),"amount":7}"#)
            #expect(funded == .ok, "\(fundedBody)")
            #expect(fundedBody["status"] as? String == "funded")
            #expect("\(fundedBody["amount"] ?? "")" == "7.7")  // the price with the 10% fee on top
            let (_, keyBody) = try await client.send(.post, "/v1/keys", token: session,
                                                     json: #"{"name":"bot","scopes":["tasks:read","tasks:write","wallet:read","wallet:write"],"mode":"test"}"#)
            let key = try #require(data(keyBody)["secret"] as? String)
            let (held, heldBody) = try await client.send(.post, "\(Self.base)/api/v1/payments/prepare-order-payment", token: key,
                                                         json: #"{"order_id":\#(second),"amount":7.00}"#)
            #expect(held == .accepted, "\(heldBody)")
            #expect(heldBody["status"] as? String == "awaiting_approval")
            #expect((heldBody["approval_id"] as? String)?.isEmpty == false)
            #expect(try test.ledger.verify().fault == nil)
        }
    }
}
