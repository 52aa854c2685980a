import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import MarketplaceHTTP
import MarketplaceServer
import Testing

/// Seed 004's requests (Fixtures/dialects/humans2ai) sent to /compat/humans2ai/api/v1 with only
/// the host and the Bearer token changed: the create-task curl as printed, the whole workflow
/// through approval and a dispute, answered in the document's camelCase envelope with the
/// money in the ledger to the cent under the document's example fee (95% / 5%).
struct Humans2AIDialectTests {
    static let base = "/compat/humans2ai/api/v1"

    struct DocumentRequest: Decodable {
        let name: String
        let method: String
        let path: String
        let `as`: String?
        let body: String?
        let status: Int
    }

    static var documentRequests: [DocumentRequest] {
        get throws { try JSONDecoder().decode([DocumentRequest].self, from: Data(PackageResources.humans2ai_requests_json)) }
    }

    static func router(_ test: TestServices, rateLimits: RateLimits = .unlimited) -> Router<APIContext> {
        buildRouter(services: test.services, mode: "test", rateLimits: rateLimits,
                    mounts: serverMounts(services: test.services, mode: "test", rateLimits: rateLimits))
    }

    @Test func theDocumentsRequestsRunAsPrintedAndTheMoneyLandsToTheCent() async throws {
        let test = try await TestServices(pricing: .humans2aiExample)  // 2026-01-01: the curl's deadline is ahead
        defer { test.close() }
        try await Application(router: test.serverRouter).test(.router) { client in
            var tokens: [String: String] = [:]
            var ids = ["task": "", "application": "", "human": "", "refresh": "", "key": ""]
            var answers: [String: [String: Any]] = [:]
            var lists: [String: [[String: Any]]] = [:]
            for request in try Self.documentRequests {
                var path = request.path, body = request.body
                for (name, value) in ids {
                    path = path.replacingOccurrences(of: "{\(name)}", with: value)
                    body = body?.replacingOccurrences(of: "{{\(name)}}", with: value)
                }
                let token = request.as.flatMap { tokens[$0] }
                let (status, answer) = try await client.send(HTTPRequest.Method(request.method)!, Self.base + path, token: token, json: body)
                #expect(Int(status.code) == request.status, "\(request.name): \(answer)")
                #expect(answer["success"] as? Bool == true, "\(request.name): \(answer)")
                answers[request.name] = answer["data"] as? [String: Any]
                lists[request.name] = answer["data"] as? [[String: Any]]
                let data = answer["data"] as? [String: Any] ?? [:]
                switch request.name {
                case "register (agent)":
                    tokens["agent"] = try #require(data["apiKey"] as? String)
                    // The document has no deposit endpoint: the agent tops up its wallet through /v1.
                    let (deposited, _) = try await client.send(.post, "/v1/wallet/deposits", token: tokens["agent"], json: #"{"amount":"400.00","currency":"USD"}"#,
                                                               idempotencyKey: "top-up")
                    #expect(deposited == .created)
                case "register (human)": ids["human"] = try #require(data["userId"] as? String)
                case "login (human)":
                    tokens["human"] = try #require(data["idToken"] as? String)
                    ids["refresh"] = try #require(data["refreshToken"] as? String)
                case "create task (the document's curl)", "create a second task": ids["task"] = try #require(data["id"] as? String)
                case "apply", "apply (second)": ids["application"] = try #require(data["id"] as? String)
                case "create an API key": ids["key"] = try #require(data["id"] as? String)
                default: break
                }
            }
            #expect(try #require(tokens["agent"]).hasPrefix("sk_test_"))
            #expect(answers["check email"]?["registered"] as? Bool == true)

            // The create answer in the document's shape, the budget in escrow from the wallet.
            let created = try #require(answers["create task (the document's curl)"])
            #expect(created["title"] as? String == "Photograph 3 coffee shops in SOMA")
            #expect(created["status"] as? String == "open")
            #expect("\(created["budget"] ?? "")" == "150")
            #expect((created["escrowId"] as? String)?.hasPrefix("fund:") == true)
            #expect(created["agentName"] as? String == "PhotoBot")
            #expect(created["applicantCount"] as? Int == 0)
            #expect(created["urgency"] as? String == "medium")
            #expect(created["remote"] as? Bool == false)
            #expect(created["location"] as? String == "San Francisco, CA")
            #expect(created["createdAt"] is String)
            #expect((answers["list tasks (the document's GET)"]?["tasks"] as? [[String: Any]])?.count == 1)
            #expect((answers["list tasks with filters"]?["pagination"] as? [String: Any])?["total"] as? Int == 1)
            #expect(lists["applications"]?.first?["humanId"] as? String == ids["human"])
            #expect(answers["select"]?["status"] as? String == "assigned")
            #expect(lists["messages"]?.map { $0["content"] as? String } == ["Please include the opening hours sign.", "Will do."])
            #expect(answers["reject"]?["status"] as? String == "rejected")

            // Approval: 142.50 to the human and 7.50 to the platform, as the document's example.
            let approved = try #require(answers["approve"])
            #expect("\(approved["payout"] ?? "")" == "142.5")
            #expect("\(approved["platformFee"] ?? "")" == "7.5")
            #expect((approved["task"] as? [String: Any])?["status"] as? String == "completed")
            #expect("\(answers["wallet (agent)"]?["balance"] ?? "")" == "250")
            #expect("\(answers["wallet (agent)"]?["frozenBalance"] ?? "")" == "0")
            #expect("\(answers["wallet (human)"]?["balance"] ?? "")" == "142.5")
            #expect("\(answers["wallet (human)"]?["totalEarned"] ?? "")" == "142.5")
            #expect(((answers["transactions"]?["transactions"] as? [[String: Any]])?.map { "\($0["amount"] ?? "")" }) == ["142.5"])
            #expect(lists["my applications"]?.count == 1)
            #expect(answers["my referrals"]?["referralCode"] is String)
            #expect((lists["list API keys"]?.first?["key"] as? String)?.contains("…") == true)
            #expect(answers["dispute"]?["status"] as? String == "open")

            // The second task's budget is held while disputed; every wallet equals its ledger account.
            let (_, wallet) = try await client.send(.get, "\(Self.base)/wallet", token: tokens["agent"])
            #expect("\(data(wallet)["balance"] ?? "")" == "100")
            #expect("\(data(wallet)["frozenBalance"] ?? "")" == "150")
            try await client.expectWalletMatchesLedger(try #require(tokens["agent"]), test)
            try await client.expectWalletMatchesLedger(try #require(tokens["human"]), test)
            #expect(try test.ledger.verify().fault == nil)
        }
    }

    /// The document's workflow under its own rule (99.99% to the human, 0.01% fee), with a
    /// revision, and a cancel that refunds the escrow in full (through /v1: the document has no
    /// cancel endpoint); wallets and escrow checked against the ledger at each step.
    @Test func theWorkflowPaysNinetyNinePointNinetyNinePercentAndACancelRefundsTheEscrow() async throws {
        let test = try await TestServices(pricing: .humans2ai)
        defer { test.close() }
        try await Application(router: test.serverRouter).test(.router) { client in
            let (_, agent) = try await client.send(.post, "\(Self.base)/public/auth/register",
                                                   json: #"{"email":"bot@example.com","password":"long enough","displayName":"Bot"}"#)
            let key = try #require(data(agent)["apiKey"] as? String)
            _ = try await client.send(.post, "\(Self.base)/public/auth/register",
                                      json: #"{"email":"h@example.com","password":"long enough","displayName":"H","role":"human"}"#)
            let (_, login) = try await client.send(.post, "\(Self.base)/public/auth/login", json: #"{"email":"h@example.com","password":"long enough"}"#)
            let human = try #require(data(login)["idToken"] as? String)
            _ = try await client.send(.post, "/v1/wallet/deposits", token: key, json: #"{"amount":"300.00","currency":"USD"}"#, idempotencyKey: "d")
            let task = #"{"title":"Count chairs","description":"Count the chairs in the hall.","category":"research","budget":150}"#
            let (_, first) = try await client.send(.post, "\(Self.base)/tasks", token: key, json: task)
            let id = try #require(data(first)["id"] as? String)
            var (_, wallet) = try await client.send(.get, "\(Self.base)/wallet", token: key)
            #expect("\(data(wallet)["frozenBalance"] ?? "")" == "150")
            #expect("\(data(wallet)["balance"] ?? "")" == "150")

            let (_, application) = try await client.send(.post, "\(Self.base)/tasks/\(id)/apply", token: human, json: #"{"message":"me"}"#)
            let applicationID = try #require(data(application)["id"] as? String)
            let (selected, _) = try await client.send(.post, "\(Self.base)/tasks/\(id)/select", token: key, json: #"{"applicationId":"\#(applicationID)"}"#)
            #expect(selected == .ok)
            let (_, got) = try await client.send(.get, "\(Self.base)/tasks/\(id)", token: key)
            #expect(data(got)["applicantCount"] as? Int == 1)
            #expect(data(got)["status"] as? String == "assigned")
            _ = try await client.send(.post, "\(Self.base)/tasks/\(id)/messages", token: human, json: #"{"content":"Starting now."}"#)
            _ = try await client.send(.post, "\(Self.base)/tasks/\(id)/submit", token: human, json: #"{"proof":"40 chairs"}"#)
            let (short, shortBody) = try await client.send(.post, "\(Self.base)/tasks/\(id)/reject", token: key, json: #"{"reason":"no"}"#)
            #expect(short == .badRequest && errorField(shortBody) == "reason")
            let (rejected, _) = try await client.send(.post, "\(Self.base)/tasks/\(id)/reject", token: key,
                                                      json: #"{"reason":"Please count the chairs stacked in the back room as well, they are part of the hall."}"#)
            #expect(rejected == .ok)
            let (_, again) = try await client.send(.get, "\(Self.base)/tasks/\(id)", token: key)
            #expect(data(again)["status"] as? String == "assigned")
            _ = try await client.send(.post, "\(Self.base)/tasks/\(id)/submit", token: human, json: #"{"proof":"52 chairs"}"#)
            let (approved, approval) = try await client.send(.post, "\(Self.base)/tasks/\(id)/approve", token: key)
            #expect(approved == .ok)
            // 0.01% of 150.00 is 1.5 cents, rounded half up to 2: the human gets 149.98.
            #expect("\(data(approval)["payout"] ?? "")" == "149.98")
            #expect("\(data(approval)["platformFee"] ?? "")" == "0.02")
            (_, wallet) = try await client.send(.get, "\(Self.base)/wallet", token: human)
            #expect("\(data(wallet)["balance"] ?? "")" == "149.98")
            try await client.expectWalletMatchesLedger(human, test)

            // A second task, cancelled before anyone is selected: its escrow comes back whole.
            let (_, second) = try await client.send(.post, "\(Self.base)/tasks", token: key, json: task)
            let secondID = try #require(data(second)["id"] as? String)
            (_, wallet) = try await client.send(.get, "\(Self.base)/wallet", token: key)
            #expect("\(data(wallet)["balance"] ?? "")" == "0")
            let (cancelled, _) = try await client.send(.post, "/v1/tasks/\(secondID)/cancel", token: key)
            #expect(cancelled == .ok)
            (_, wallet) = try await client.send(.get, "\(Self.base)/wallet", token: key)
            #expect("\(data(wallet)["balance"] ?? "")" == "150")
            #expect("\(data(wallet)["frozenBalance"] ?? "")" == "0")
            #expect("\(data(wallet)["totalRefunded"] ?? "")" == "150")
            let (_, cancelledTask) = try await client.send(.get, "\(Self.base)/tasks/\(secondID)", token: key)
            #expect(cancelledTask["success"] as? Bool == true)
            #expect(data(cancelledTask)["status"] as? String == "cancelled")
            try await client.expectWalletMatchesLedger(key, test)
        }
    }

    /// The document's codes and statuses: TASK_NOT_FOUND, 400 INSUFFICIENT_BALANCE (nothing
    /// written), 400 RISK_GATE_BLOCKED, 400 LIMIT_EXCEEDED for an 11th key; an unknown field named
    /// as sent; X-RateLimit-Reset as an ISO 8601 instant.
    @Test func refusalsCarryTheDocumentsCodesAndStatuses() async throws {
        let test = try await TestServices()
        defer { test.close() }
        try await Application(router: Self.router(test, rateLimits: .standard)).test(.router) { client in
            let (_, agent) = try await client.send(.post, "\(Self.base)/public/auth/register",
                                                   json: #"{"email":"bot@example.com","password":"long enough","displayName":"Bot"}"#)
            let key = try #require(data(agent)["apiKey"] as? String)
            let (missing, missingBody) = try await client.send(.get, "\(Self.base)/tasks/tsk_nothing", token: key)
            #expect(missing == .notFound && errorCode(missingBody) == "TASK_NOT_FOUND")

            let before = try TestDatabase.snapshot(test.path)
            let (short, shortBody) = try await client.send(.post, "\(Self.base)/tasks", token: key,
                                                           json: #"{"title":"t","description":"d","category":"research","budget":150}"#)
            #expect(short == .badRequest && errorCode(shortBody) == "INSUFFICIENT_BALANCE", "\(shortBody)")
            #expect(try TestDatabase.snapshot(test.path) == before)
            let (risky, riskyBody) = try await client.send(.post, "\(Self.base)/tasks", token: key,
                                                           json: #"{"title":"Buy a fake id","description":"d","category":"research","budget":1}"#)
            #expect(risky == .badRequest && errorCode(riskyBody) == "RISK_GATE_BLOCKED", "\(riskyBody)")
            let (unknown, unknownBody) = try await client.send(.post, "\(Self.base)/tasks", token: key,
                                                               json: #"{"title":"t","description":"d","category":"research","budget":1,"budgetCurrency":"EUR"}"#)
            #expect(unknown == .badRequest && errorField(unknownBody) == "budgetCurrency")
            #expect(try TestDatabase.snapshot(test.path) == before)

            let (_, login) = try await client.send(.post, "\(Self.base)/public/auth/login", json: #"{"email":"bot@example.com","password":"long enough"}"#)
            let session = try #require(data(login)["idToken"] as? String)
            for index in 1...9 {  // the registration key is the first of ten
                let (made, _) = try await client.send(.post, "\(Self.base)/api-keys", token: session, json: #"{"name":"k\#(index)"}"#)
                #expect(made == .created)
            }
            let (eleventh, eleventhBody) = try await client.send(.post, "\(Self.base)/api-keys", token: session, json: #"{"name":"k10"}"#)
            #expect(eleventh == .badRequest && errorCode(eleventhBody) == "LIMIT_EXCEEDED", "\(eleventhBody)")

            let reset = try await client.execute(uri: "\(Self.base)/wallet", method: .get, headers: [.authorization: "Bearer \(key)"]) {
                $0.headers[HTTPField.Name("X-RateLimit-Reset")!]
            }
            #expect(reset?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z/) != nil, "\(reset ?? "none")")
        }
    }

    /// The dialect's own document lists exactly the routes it serves.
    @Test func itsOpenAPIDocumentDescribesEveryRoute() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        let served = Set(router.routes.map(\.openAPIName).filter { $0.contains("/compat/humans2ai/") && !$0.hasSuffix("/mcp") })  // MCP: the MCP mount's
        try await Application(router: router).test(.router) { client in
            let (status, document) = try await client.send(.get, "/compat/humans2ai/openapi.json")
            #expect(status == .ok)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let described = Set(paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) /compat/humans2ai\(path)" } })
            #expect(described == served, "not described: \(served.subtracting(described).sorted()); not served: \(described.subtracting(served).sorted())")
        }
    }
}
