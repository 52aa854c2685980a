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

/// Seed 001's "Full Task Workflow" played through /compat/gohirehumans against the real Stripe
/// connector and the fake Stripe: an ai_client posts a task, funds it by Stripe Checkout (the
/// budget with the fee on top), a professional is hired and submits (through /v1: the documents
/// print no path for hiring or delivering), the agent reads the status, the assigned
/// professional and the deliverables, and approves completion: the professional is paid the
/// budget and the platform keeps the fee. A second task, funded the same way, is canceled and
/// its whole escrow goes back to the card. Every wallet and escrow is checked against the ledger.
struct GoHireHumansStoryTests {
    static let base = "/compat/gohirehumans"

    @Test func theDocumentsWorkflowPaysTheProfessionalAndACancelRefundsTheCard() async throws {
        let clock = ManualClock()  // 2026-01-01: the document's deadline is ahead
        let fake = FakeStripe(nowSeconds: clock.now / 1_000_000)
        try await FakeStripeServer.run(fake) { baseURL in
            let connector = StripeConnector(secretKey: fake.secretKey, webhookSecrets: [fake.webhookSecret], baseURL: baseURL)
            let test = try await TestServices(clock: clock, card: CardPayments(connector: connector, successURL: "https://agents.example/ok",
                                                                               cancelURL: "https://agents.example/cancel"))
            defer { test.close() }
            let router = test.serverRouter
            try await Application(router: router).test(.router) { client in
                _ = try await client.send(.post, "\(Self.base)/auth/register",
                                          json: #"{"email": "agent@example.com", "password": "long enough", "full_name": "Research agent", "role": "ai_client"}"#)
                let (_, login) = try await client.send(.post, "\(Self.base)/auth/login", json: #"{"email": "agent@example.com", "password": "long enough"}"#)
                let agent = try #require(login["access_token"] as? String)
                let professional = try await client.session("pro@example.com", role: "human")

                /// Posts the document's task and funds it through Stripe Checkout, paid by Stripe's signed event.
                func postAndFund() async throws -> String {
                    let (created, task) = try await client.send(.post, "\(Self.base)/api/v1/tasks", token: agent, json: #"""
                        {"title": "Photograph a storefront", "description": "Two photos of the facade and the opening hours sign.", "category": "photography", "location_type": "local", "budget_amount": 25.50, "budget_type": "fixed", "location": "Austin, TX", "deadline": "2026-02-07T18:00:00Z"}
                        """#)
                    #expect(created == .created, "\(task)")
                    let id = try #require(task["id"] as? String)
                    let (opened, checkout) = try await client.send(.post, "\(Self.base)/api/v1/payments/checkout", token: agent, json: #"""
                        {"task_id": "\#(id)", "amount": 25.50, "success_url": "https://agent.example/paid", "cancel_url": "https://agent.example/cancelled"}
                        """#)
                    #expect(opened == .created, "\(checkout)")
                    #expect("\(checkout["amount"] ?? "")" == "28.05")
                    try await payCheckout(try #require(checkout["session_id"] as? String), fake, clock, client)
                    return id
                }

                let task = try await postAndFund()
                let (_, funded) = try await client.send(.get, "\(Self.base)/api/v1/tasks/\(task)", token: agent)
                #expect(funded["funding_status"] as? String == "funded")
                #expect(funded["status"] as? String == "open")
                #expect(funded["deliverables"] as? [Any] != nil && (funded["deliverables"] as? [Any])?.isEmpty == true)
                let (_, balance) = try await client.send(.get, "\(Self.base)/api/v1/payments/balance", token: agent)
                #expect((balance["balances"] as? [[String: Any]])?.first { $0["currency"] as? String == "USD" }.map { "\($0["escrow"] ?? "")" } == "28.05")

                // Hired and delivered through /v1, the same task and accounts.
                let (_, applied) = try await client.send(.post, "/v1/tasks/\(task)/applications", token: professional, json: #"{"message":"I am two blocks away"}"#)
                let application = try #require(data(applied)["id"] as? String)
                let (accepted, _) = try await client.send(.post, "/v1/tasks/\(task)/applications/\(application)/accept", token: agent)
                #expect(accepted == .ok)
                let (_, assigned) = try await client.send(.get, "\(Self.base)/api/v1/tasks/\(task)", token: agent)
                #expect(assigned["status"] as? String == "in_progress")
                let professionalID = try #require(assigned["professional_id"] as? String)
                let (submitted, _) = try await client.send(.post, "/v1/tasks/\(task)/submissions", token: professional,
                                                           json: #"{"deliverables":[{"kind":"url","value":"https://photos.example/facade.jpg"},{"kind":"text","value":"Open 8-18"}]}"#)
                #expect(submitted == .created)

                // The agent reads the status, the professional and the deliverables, and approves completion.
                let (_, delivered) = try await client.send(.get, "\(Self.base)/api/v1/tasks/\(task)", token: agent)
                #expect(delivered["status"] as? String == "submitted")
                let deliverables = try #require(delivered["deliverables"] as? [[String: String]])
                #expect(deliverables == [["kind": "url", "value": "https://photos.example/facade.jpg"], ["kind": "text", "value": "Open 8-18"]])
                let (early, earlyBody) = try await client.send(.post, "\(Self.base)/api/v1/tasks/\(task)/cancel", token: agent)
                #expect(early == .conflict, "submitted work is approved or sent back, not canceled: \(earlyBody)")
                let (approvedStatus, approved) = try await client.send(.post, "\(Self.base)/api/v1/tasks/\(task)/approve", token: agent)
                #expect(approvedStatus == .ok, "\(approved)")
                #expect(approved["status"] as? String == "completed")
                #expect(approved["funding_status"] as? String == "released")
                #expect((approved["deliverables"] as? [[String: String]])?.count == 2)
                let (again, _) = try await client.send(.post, "\(Self.base)/api/v1/jobs/\(task)/approve", token: agent)
                #expect(again == .conflict)

                // Paid to the cent: the budget to the professional, the fee to the platform, nothing left in escrow.
                #expect(try test.ledger.account(code: "wallet:user:test:\(professionalID):USD")?.balance.posted(for: .liability) == 2_550)
                #expect(try await client.wallet(professional).available == 2_550)
                try await client.expectWalletMatchesLedger(professional, test)
                #expect(try #require(try test.ledger.account(code: "escrow:task:test:\(task)")).balance.posted(for: .liability) == 0)
                let (_, completed) = try await client.send(.get, "\(Self.base)/api/v1/tasks?status=completed", token: agent)
                #expect((completed["tasks"] as? [[String: Any]])?.map { $0["id"] as? String } == [task])

                // A second funded task, canceled: its 28.05 goes back to the card that paid.
                let second = try await postAndFund()
                let (canceledStatus, canceled) = try await client.send(.post, "\(Self.base)/api/v1/jobs/\(second)/cancel", token: agent)
                #expect(canceledStatus == .ok, "\(canceled)")
                #expect(canceled["refunded"] as? Bool == true)
                #expect("\(canceled["refund_amount"] ?? "")" == "28.05")
                #expect(canceled["refund_to"] as? String == "card")
                #expect((canceled["task"] as? [String: Any])?["status"] as? String == "canceled")
                #expect(fake.requests("POST", "/v1/refunds").first?.params["amount"] == "2805")
                let (_, history) = try await client.send(.get, "\(Self.base)/api/v1/payments/history", token: agent)
                #expect(Set((history["payments"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []) == ["checkout", "refund"])

                // An unfunded task cancels with nothing to refund.
                let (_, plain) = try await client.send(.post, "\(Self.base)/api/v1/tasks", token: agent,
                                                       json: #"{"title":"t","description":"d","category":"research","location_type":"remote","budget_amount":5,"budget_type":"fixed"}"#)
                let (_, unfunded) = try await client.send(.post, "\(Self.base)/api/v1/tasks/\(try #require(plain["id"] as? String))/cancel", token: agent)
                #expect(unfunded["refunded"] as? Bool == false)
                #expect(unfunded["refund_amount"] == nil)
                #expect(try test.ledger.verify().fault == nil)
            }
        }
    }

    /// Seed 000's services as REST: the published ones are listed and read without a token,
    /// filtered as search_services filters, and an unknown filter is refused by name.
    @Test func servicesAreSearchedAndReadAsTheMCPToolsDo() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        try await Application(router: router).test(.router) { client in
            let provider = try await client.session("provider@example.com", role: "human")
            var ids: [String] = []
            for (title, category, price) in [("Desk research", "research", "7.00"), ("Storefront photos", "photography", "30.00")] {
                let (_, service) = try await client.send(.post, "/v1/services", token: provider, json: #"""
                    {"title":"\#(title)","description":"Done well.","category":"\#(category)","price":{"amount":"\#(price)","currency":"USD"},"delivery_days":2}
                    """#)
                let id = try #require(data(service)["id"] as? String)
                _ = try await client.send(.post, "/v1/services/\(id)/publish", token: provider)
                ids.append(id)
            }
            let (status, all) = try await client.send(.get, "\(Self.base)/api/v1/services")
            #expect(status == .ok, "\(all)")
            #expect(Set((all["services"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []) == Set(ids))
            let (_, cheap) = try await client.send(.get, "\(Self.base)/api/v1/services?max_price=10.00&category=research")
            #expect((cheap["services"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Desk research"])
            let (_, words) = try await client.send(.get, "\(Self.base)/api/v1/services?query=storefront")
            #expect((words["services"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[1]])
            let (read, one) = try await client.send(.get, "\(Self.base)/api/v1/services/\(ids[0])")
            #expect(read == .ok)
            #expect(one["title"] as? String == "Desk research")
            let (missing, _) = try await client.send(.get, "\(Self.base)/api/v1/services/svc_nothing")
            #expect(missing == .notFound)
            let (refused, refusal) = try await client.send(.get, "\(Self.base)/api/v1/services?colour=red")
            #expect(refused == .badRequest)
            #expect(errorField(refusal) == "colour")
            let (_, categories) = try await client.send(.get, "\(Self.base)/api/v1/categories")
            let groups = try #require(categories["groups"] as? [[String: Any]])
            #expect(groups.flatMap { ($0["categories"] as? [[String: Any]]) ?? [] }.contains { $0["id"] as? String == "research" })
        }
    }
}
