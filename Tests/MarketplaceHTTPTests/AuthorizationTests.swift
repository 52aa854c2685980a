import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP
import MarketplaceServer

/// Who may call what, table-driven over the router's own route list: a route without a rule
/// here fails the test. For every rule: no credentials get 401 (unless public), another user
/// gets 404 (or 403 for admin and finance routes) and changes nothing, a key without the
/// route's scope gets 403, and a test key never sees live data.
struct AuthorizationTests {
    enum Actor { case owner, worker }

    indirect enum Rule: Sendable {
        /// Anyone, signed in or not.
        case open
        /// Answers without credentials too (published data only, PublicReadsTests); with
        /// credentials the inner rule holds.
        case anonymous(Rule)
        /// The caller's own data or a new resource of their own: only the scope is checked.
        case own(Scope?, Actor)
        /// One resource of the owner's (or the assigned worker's): strangers get 404.
        case owned(Scope, Actor)
        /// Only a logged-in session of the owner; keys get 403, strangers 404.
        case ownedSession
        /// Only a logged-in session; keys get 403.
        case session
        case admin
        case finance
        /// Managed by the task's token (seed 002) or its owner's credentials: without either
        /// 403 (the document's code for a missing task_token); a stranger gets 404 or 403 and
        /// changes nothing.
        case taskToken
    }

    static let rules: [String: Rule] = [
        "GET /healthz": .open, "GET /readyz": .open, "GET /openapi.json": .open, "GET /v1/categories": .open, "GET /v1/pricing": .open, "GET /v1/platform": .open,
        "POST /v1/auth/register": .open, "POST /v1/auth/login": .open, "POST /v1/auth/refresh": .open, "GET /v1/auth/check-email": .open,
        "POST /v1/agents/register": .open,
        "POST /compat/humanops/mcp": .anonymous(.own(nil, .owner)), "GET /compat/humanops/mcp": .anonymous(.own(nil, .owner)),
        "DELETE /compat/humanops/mcp": .anonymous(.own(nil, .owner)),
        "POST /compat/gohirehumans/mcp": .anonymous(.own(nil, .owner)), "GET /compat/gohirehumans/mcp": .anonymous(.own(nil, .owner)),
        "DELETE /compat/gohirehumans/mcp": .anonymous(.own(nil, .owner)),
        "POST /compat/gohirehumans/auth/register": .open, "POST /compat/gohirehumans/auth/login": .open,
        "GET /compat/gohirehumans/auth/me": .own(nil, .owner),
        "POST /compat/gohirehumans/api/v1/tasks": .own(.tasksWrite, .owner), "GET /compat/gohirehumans/api/v1/tasks": .own(.tasksRead, .owner),
        "GET /compat/gohirehumans/api/v1/tasks/{task}": .owned(.tasksRead, .owner),
        "POST /compat/gohirehumans/api/v1/jobs": .own(.tasksWrite, .owner), "GET /compat/gohirehumans/api/v1/jobs": .own(.tasksRead, .owner),
        "GET /compat/gohirehumans/api/v1/jobs/{task}": .owned(.tasksRead, .owner),
        "POST /compat/gohirehumans/api/v1/tasks/{task}/approve": .owned(.tasksWrite, .owner),
        "POST /compat/gohirehumans/api/v1/jobs/{task}/approve": .owned(.tasksWrite, .owner),
        "POST /compat/gohirehumans/api/v1/tasks/{task}/cancel": .owned(.tasksWrite, .owner),
        "POST /compat/gohirehumans/api/v1/jobs/{task}/cancel": .owned(.tasksWrite, .owner),
        "GET /compat/gohirehumans/api/v1/services": .open, "GET /compat/gohirehumans/api/v1/services/{service}": .open,
        "GET /compat/gohirehumans/api/v1/categories": .open,
        "POST /compat/gohirehumans/api/v1/payments/checkout": .own(.walletWrite, .owner),
        "GET /compat/gohirehumans/api/v1/payments/balance": .own(.walletRead, .owner),
        "GET /compat/gohirehumans/api/v1/payments/history": .own(.tasksRead, .owner),
        "POST /compat/gohirehumans/api/v1/payments/prepare-order-payment": .own(.walletWrite, .owner),
        "GET /compat/humans2ai/openapi.json": .open, "POST /compat/humans2ai/api/v1/public/auth/register": .open, "POST /compat/humans2ai/api/v1/public/auth/login": .open,
        "POST /compat/humans2ai/api/v1/public/auth/refresh": .open, "POST /compat/humans2ai/api/v1/public/check-email": .open,
        "POST /compat/humans2ai/api/v1/tasks": .own(.tasksWrite, .owner), "GET /compat/humans2ai/api/v1/tasks": .own(.tasksRead, .owner),
        "GET /compat/humans2ai/api/v1/tasks/{task}": .owned(.tasksRead, .owner), "POST /compat/humans2ai/api/v1/tasks/{task}/apply": .owned(.tasksWrite, .worker),
        "GET /compat/humans2ai/api/v1/tasks/{task}/applications": .owned(.tasksRead, .owner), "POST /compat/humans2ai/api/v1/tasks/{task}/select": .owned(.tasksWrite, .owner),
        "POST /compat/humans2ai/api/v1/tasks/{task}/submit": .owned(.tasksWrite, .worker), "POST /compat/humans2ai/api/v1/tasks/{task}/approve": .owned(.tasksWrite, .owner),
        "POST /compat/humans2ai/api/v1/tasks/{task}/reject": .owned(.tasksWrite, .owner), "POST /compat/humans2ai/api/v1/tasks/{task}/dispute": .owned(.tasksWrite, .worker),
        "GET /compat/humans2ai/api/v1/tasks/{task}/messages": .owned(.messagesRead, .worker), "POST /compat/humans2ai/api/v1/tasks/{task}/messages": .owned(.messagesWrite, .worker),
        "GET /compat/humans2ai/api/v1/wallet": .own(.walletRead, .owner), "GET /compat/humans2ai/api/v1/wallet/transactions": .own(.walletRead, .owner),
        "GET /compat/humans2ai/api/v1/my/applications": .own(.tasksRead, .worker), "GET /compat/humans2ai/api/v1/my/referrals": .own(nil, .owner),
        "GET /compat/humans2ai/api/v1/notifications": .own(.tasksRead, .owner), "PATCH /compat/humans2ai/api/v1/notifications": .own(.tasksWrite, .owner),
        "GET /compat/requesthuman/openapi.json": .open, "POST /compat/requesthuman/api/tasks": .open, "GET /compat/requesthuman/api/tasks": .open,
        "GET /compat/requesthuman/api/tasks/{task}": .anonymous(.owned(.tasksRead, .owner)),
        "PATCH /compat/requesthuman/api/tasks/{task}": .taskToken, "POST /compat/requesthuman/api/tasks/{task}/fund": .taskToken,
        "GET /compat/requesthuman/api/tasks/{task}/fund": .taskToken, "POST /compat/requesthuman/api/tasks/{task}/cancel": .taskToken,
        "GET /compat/requesthuman/api/tasks/{task}/applications": .taskToken,
        "PATCH /compat/requesthuman/api/tasks/{task}/applications/{application}": .taskToken,
        "GET /compat/requesthuman/api/tasks/{task}/applications/{application}/messages": .taskToken,
        "POST /compat/requesthuman/api/tasks/{task}/applications/{application}/messages": .taskToken,
        "GET /compat/requesthuman/api/tasks/{task}/submissions": .taskToken, "PATCH /compat/requesthuman/api/tasks/{task}/submissions": .taskToken,
        "POST /compat/requesthuman/mcp": .anonymous(.own(nil, .owner)), "GET /compat/requesthuman/mcp": .anonymous(.own(nil, .owner)),
        "DELETE /compat/requesthuman/mcp": .anonymous(.own(nil, .owner)),
        "POST /compat/humans2ai/api/v1/mcp": .anonymous(.own(nil, .owner)), "GET /compat/humans2ai/api/v1/mcp": .anonymous(.own(nil, .owner)),
        "DELETE /compat/humans2ai/api/v1/mcp": .anonymous(.own(nil, .owner)), "GET /compat/gohirehumans/openapi.json": .open,
        "GET /compat/humans2ai/api/v1/webhooks": .own(.webhooks, .owner), "POST /compat/humans2ai/api/v1/webhooks": .own(.webhooks, .owner),
        "DELETE /compat/humans2ai/api/v1/webhooks/{webhook}": .own(.webhooks, .owner),
        "GET /compat/humans2ai/api/v1/api-keys": .session, "POST /compat/humans2ai/api/v1/api-keys": .session, "DELETE /compat/humans2ai/api/v1/api-keys/{key}": .ownedSession,
        "GET /compat/humanops/openapi.json": .open, "POST /compat/humanops/api/v1/agents/register": .open,
        "POST /compat/humanops/api/v1/tasks": .own(.tasksWrite, .owner), "GET /compat/humanops/api/v1/tasks": .own(.tasksRead, .owner),
        "GET /compat/humanops/api/v1/tasks/{task}": .owned(.tasksRead, .owner), "POST /compat/humanops/api/v1/tasks/{task}/cancel": .owned(.tasksWrite, .owner),
        "GET /v1/auth/me": .own(nil, .owner),
        "GET /v1/referrals": .own(nil, .owner),
        "POST /v1/keys": .session, "GET /v1/keys": .session, "DELETE /v1/keys/{key}": .ownedSession,
        "POST /v1/tasks": .anonymous(.own(.tasksWrite, .owner)), "GET /v1/tasks": .anonymous(.own(.tasksRead, .owner)),
        "GET /v1/tasks/{task}": .anonymous(.owned(.tasksRead, .owner)), "PATCH /v1/tasks/{task}": .owned(.tasksWrite, .owner),
        "POST /v1/tasks/{task}/cancel": .owned(.tasksWrite, .owner), "POST /v1/tasks/{task}/hide": .owned(.tasksWrite, .owner),
        "POST /v1/tasks/{task}/unhide": .owned(.tasksWrite, .owner), "POST /v1/tasks/{task}/fund": .owned(.walletWrite, .owner), "GET /v1/tasks/{task}/fund": .owned(.walletWrite, .owner),
        "GET /v1/tasks/{task}/payments": .owned(.tasksRead, .owner),
        "GET /v1/tasks/{task}/milestones": .owned(.tasksRead, .owner), "POST /v1/tasks/{task}/milestones/{milestone}/fund": .owned(.walletWrite, .owner),
        "POST /v1/tasks/{task}/milestones/{milestone}/approve": .owned(.tasksWrite, .owner),
        "GET /v1/payments": .own(.tasksRead, .owner),
        "POST /v1/connectors/{connector}/webhook": .open,
        "GET /v1/payout-account": .own(.walletRead, .worker), "PUT /v1/payout-account": .own(.walletWrite, .worker),
        "DELETE /v1/payout-account": .own(.walletWrite, .worker), "POST /v1/admin/payouts/{task}/reverse": .admin,
        "POST /v1/admin/connectors/stripe/statement": .admin,
        "GET /v1/deposit-addresses": .own(.walletRead, .owner), "POST /v1/deposit-addresses": .own(.walletWrite, .owner),
        "POST /v1/webhooks": .own(.webhooks, .owner), "GET /v1/webhooks": .own(.webhooks, .owner), "POST /v1/webhooks/callback-secret": .own(.webhooks, .owner),
        "PATCH /v1/webhooks/{webhook}": .owned(.webhooks, .owner), "DELETE /v1/webhooks/{webhook}": .owned(.webhooks, .owner),
        "GET /v1/webhooks/{webhook}/deliveries": .owned(.webhooks, .owner),
        "POST /v1/webhooks/{webhook}/deliveries/{delivery}/redeliver": .owned(.webhooks, .owner),
        "POST /v1/tasks/{task}/applications": .owned(.tasksWrite, .worker), "GET /v1/tasks/{task}/applications": .owned(.tasksRead, .owner),
        "POST /v1/tasks/{task}/applications/{application}/accept": .owned(.tasksWrite, .owner),
        "POST /v1/tasks/{task}/applications/{application}/reject": .owned(.tasksWrite, .owner),
        "POST /v1/tasks/{task}/submissions": .owned(.tasksWrite, .worker), "GET /v1/tasks/{task}/submissions": .owned(.tasksRead, .owner),
        "POST /v1/tasks/{task}/request-revision": .owned(.tasksWrite, .owner), "POST /v1/tasks/{task}/approve": .owned(.tasksWrite, .owner),
        "POST /v1/tasks/{task}/reject": .owned(.tasksWrite, .owner), "POST /v1/tasks/{task}/disputes": .owned(.tasksWrite, .worker),
        "GET /v1/tasks/{task}/dispute": .owned(.tasksRead, .owner),
        "GET /v1/wallet": .own(.walletRead, .owner), "POST /v1/wallet/deposits": .own(.walletWrite, .owner),
        "POST /v1/wallet/withdrawals": .own(.walletWrite, .worker), "GET /v1/wallet/transactions": .own(.walletRead, .owner),
        "GET /v1/funding-approvals": .session, "POST /v1/funding-approvals/{approval}/approve": .ownedSession,
        "POST /v1/funding-approvals/{approval}/decline": .ownedSession,
        "GET /v1/profile": .own(.tasksRead, .worker), "PUT /v1/profile": .own(.tasksWrite, .worker), "GET /v1/workers/{user}": .own(.tasksRead, .owner),
        "GET /v1/applications": .own(.tasksRead, .worker),
        "POST /v1/tasks/{task}/messages": .owned(.messagesWrite, .worker), "GET /v1/tasks/{task}/messages": .owned(.messagesRead, .worker),
        "GET /v1/notifications": .own(.tasksRead, .owner), "POST /v1/notifications/read-all": .own(.tasksWrite, .owner),
        "POST /v1/notifications/{notification}/read": .owned(.tasksWrite, .owner),
        "GET /v1/admin/disputes": .admin, "POST /v1/admin/disputes/{dispute}/resolve": .admin, "POST /v1/admin/workers/{user}/verify": .admin,
        "GET /v1/ledger/accounts": .finance, "GET /v1/ledger/accounts/{account}": .finance, "GET /v1/ledger/accounts/{account}/statement": .finance,
        "GET /v1/ledger/verify": .finance,
        "GET /v1/finance/reports/{report}": .finance, "GET /v1/finance/journal": .finance, "GET /v1/finance/report.html": .finance,
        "POST /v1/finance/reconciliations": .finance, "GET /v1/finance/reconciliations/latest": .finance,
        "GET /v1/finance/periods": .finance, "POST /v1/finance/periods": .finance, "POST /v1/finance/corrections": .finance,
        "GET /v1/services": .open, "GET /v1/services/{service}": .open, "POST /v1/services": .own(.tasksWrite, .owner),
        "PATCH /v1/services/{service}": .owned(.tasksWrite, .owner), "POST /v1/services/{service}/publish": .owned(.tasksWrite, .owner),
        "POST /v1/services/{service}/unpublish": .owned(.tasksWrite, .owner), "POST /v1/services/{service}/orders": .own(.tasksWrite, .owner),
        "GET /v1/orders": .own(.tasksRead, .owner), "GET /v1/orders/{order}": .owned(.tasksRead, .owner),
        "POST /v1/orders/{order}/prepare-payment": .owned(.walletWrite, .owner),
        // MCP: without a key only the public tools answer (PublicToolsTests); each tool's scope and ownership
        // are checked by MarketplaceMCPTests.
        "POST /v1/mcp": .anonymous(.own(nil, .owner)), "GET /v1/mcp": .anonymous(.own(nil, .owner)), "DELETE /v1/mcp": .anonymous(.own(nil, .owner)),
    ]

    /// Bodies that would succeed for the rightful caller, so a refusal is about who calls.
    static let bodies: [String: String] = [
        "PATCH /v1/tasks/{task}": #"{"title":"Taken over"}"#, "POST /v1/tasks/{task}/applications": #"{"message":"me too"}"#,
        "POST /v1/tasks/{task}/submissions": #"{"deliverables":[{"kind":"text","value":"done"}]}"#,
        "POST /v1/tasks/{task}/request-revision": #"{"feedback":"again"}"#,
        "POST /v1/tasks/{task}/reject": #"{"reason":"This is not what the task asked for at all, and the text is copied from elsewhere."}"#,
        "POST /v1/tasks/{task}/disputes": #"{"reason":"unfair"}"#, "POST /v1/tasks/{task}/messages": #"{"body":"hello"}"#, "POST /v1/admin/disputes/{dispute}/resolve": #"{"to_worker":"1.00","resolution":"split"}"#,
        "POST /v1/admin/workers/{user}/verify": #"{"verified":true}"#, "PUT /v1/profile": #"{"display_name":"Intruder"}"#,
        "POST /v1/wallet/deposits": #"{"amount":"1.00","currency":"USD"}"#, "POST /v1/wallet/withdrawals": #"{"amount":"1.00","currency":"USD"}"#,
        "POST /v1/tasks": #"{"title":"t","description":"d","category":"research","budget":{"amount":"1","currency":"USD"}}"#,
        "POST /v1/keys": #"{"name":"k","scopes":["tasks:read"],"mode":"test"}"#,
        "PUT /v1/payout-account": #"{"account_id":"acct_1Worker"}"#,
        "POST /v1/deposit-addresses": #"{"address":"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"}"#,
        "POST /v1/webhooks": #"{"url":"http://127.0.0.1:9/hooks","events":["*"]}"#, "PATCH /v1/webhooks/{webhook}": #"{"description":"x"}"#,
        "POST /compat/gohirehumans/api/v1/tasks": #"{"title":"t","description":"d","category":"research","location_type":"remote","budget_amount":5,"budget_type":"fixed"}"#,
        "POST /compat/gohirehumans/api/v1/jobs": #"{"title":"t","description":"d","category":"research","location_type":"remote","budget_amount":5,"budget_type":"fixed"}"#,
        "POST /compat/gohirehumans/api/v1/payments/checkout": #"{"task_id":"{task}","amount":10,"success_url":"https://a.example/ok","cancel_url":"https://a.example/no"}"#,
        "POST /compat/humans2ai/api/v1/tasks": #"{"title":"t","description":"d","category":"research","budget":5}"#,
        "POST /compat/humans2ai/api/v1/tasks/{task}/select": #"{"applicationId":"{application}"}"#, "POST /compat/humans2ai/api/v1/tasks/{task}/submit": #"{"proof":"done"}"#,
        "POST /compat/humans2ai/api/v1/tasks/{task}/reject": #"{"reason":"This is not what the task asked for at all, and the text is copied from elsewhere."}"#,
        "POST /compat/humans2ai/api/v1/tasks/{task}/dispute": #"{"reason":"unfair"}"#, "POST /compat/humans2ai/api/v1/tasks/{task}/messages": #"{"content":"hello"}"#,
        "PATCH /compat/humans2ai/api/v1/notifications": #"{"all":true}"#, "POST /compat/humans2ai/api/v1/api-keys": #"{"name":"k"}"#,
        "POST /compat/humans2ai/api/v1/webhooks": #"{"url":"http://127.0.0.1:9/hooks"}"#,
        "POST /compat/gohirehumans/api/v1/payments/prepare-order-payment": #"{"order_id":1,"amount":7}"#,
        "POST /compat/requesthuman/api/tasks": #"{"title":"t","description":"d","price":5}"#,
        "PATCH /compat/requesthuman/api/tasks/{task}": #"{"status":"hidden"}"#,
        "PATCH /compat/requesthuman/api/tasks/{task}/applications/{application}": #"{"status":"rejected"}"#,
        "POST /compat/requesthuman/api/tasks/{task}/applications/{application}/messages": #"{"body":"hello"}"#,
        "PATCH /compat/requesthuman/api/tasks/{task}/submissions": #"{"submission_id":"sub_x","status":"approved"}"#,
        "POST /compat/humanops/api/v1/tasks": #"{"title":"t","description":"d","task_type":"PHOTO","reward_usd":5}"#,
        "POST /v1/services": #"{"title":"s","description":"d","category":"research","price":{"amount":"5","currency":"USD"},"delivery_days":1}"#,
        "PATCH /v1/services/{service}": #"{"title":"Taken over"}"#, "POST /v1/orders/{order}/prepare-payment": #"{"amount":"7.00"}"#,
    ]

    private func snapshot(_ path: String) throws -> String { try TestDatabase.snapshot(path) }

    @Test func everyRouteHasARuleAndEveryRuleHolds() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        let routes = router.routes.map { (name: $0.openAPIName, method: $0.method) }
        let served = Set(routes.map(\.name))
        #expect(served == Set(Self.rules.keys), "routes without a rule: \(served.subtracting(Self.rules.keys).sorted())")

        try await Application(router: router).test(.router) { client in
            // The owner A with a submitted task T, a disputed task D, a key and a held funding; the worker H; strangers.
            let owner = try await client.session("owner@example.com")
            let worker = try await client.session("worker@example.com", role: "human")
            let strangerAgent = try await client.session("stranger@example.com")
            let strangerHuman = try await client.session("stranger-human@example.com", role: "human")
            let admin = try await test.adminToken("admin@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: owner, json: #"{"amount":"200.00","currency":"USD"}"#, idempotencyKey: "d")
            _ = try await client.send(.put, "/v1/profile", token: worker, json: #"{"display_name":"Worker"}"#)
            let (_, hook) = try await client.send(.post, "/v1/webhooks", token: owner, json: #"{"url":"http://127.0.0.1:9/hooks","events":["*"]}"#)
            let webhook = try #require(data(hook)["id"] as? String)
            func assignedTask(_ title: String) async throws -> (task: String, application: String) {
                let id = try await client.createTask(owner, #"{"title":"\#(title)","description":"d","category":"research","budget":{"amount":"10","currency":"USD"}}"#)
                _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: owner)
                let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: worker, json: #"{"message":"me"}"#)
                let applicationID = try #require(data(application)["id"] as? String)
                _ = try await client.send(.post, "/v1/tasks/\(id)/applications/\(applicationID)/accept", token: owner)
                return (id, applicationID)
            }
            let (task, application) = try await assignedTask("Submitted")
            _ = try await client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            let (disputed, _) = try await assignedTask("Disputed")
            let (_, dispute) = try await client.send(.post, "/v1/tasks/\(disputed)/disputes", token: owner, json: #"{"reason":"late"}"#)
            let (_, keyBody) = try await client.send(.post, "/v1/keys", token: owner, json: """
                {"name":"capped","scopes":["tasks:read","tasks:write","wallet:read","wallet:write"],"mode":"test","spend_policy":{"currency":"USD","per_task":"1.00"}}
                """)
            let cappedKey = try #require(data(keyBody)["secret"] as? String)
            let keyID = try #require((data(keyBody)["key"] as? [String: Any])?["id"] as? String)
            let held = try await client.createTask(cappedKey, #"{"title":"Held","description":"d","category":"research","budget":{"amount":"10","currency":"USD"}}"#)
            let (_, approval) = try await client.send(.post, "/v1/tasks/\(held)/fund", token: cappedKey)
            // The owner's service, and the owner's order of the worker's service.
            let serviceJSON = #"{"title":"Desk research","description":"d","category":"research","price":{"amount":"7.00","currency":"USD"},"delivery_days":2}"#
            let (_, ownService) = try await client.send(.post, "/v1/services", token: owner, json: serviceJSON)
            let (_, workerService) = try await client.send(.post, "/v1/services", token: worker, json: serviceJSON)
            let (_, placed) = try await client.send(.post, "/v1/services/\(try #require(data(workerService)["id"] as? String))/orders", token: owner)
            let walletAccount = try await client.wallet(owner).account
            let (_, notifications) = try await client.send(.get, "/v1/notifications", token: owner)
            let notification = try #require((notifications["data"] as? [[String: Any]])?.first?["id"] as? String)
            let (_, deliveries) = try await client.send(.get, "/v1/webhooks/\(webhook)/deliveries", token: owner)
            let delivery = try #require((deliveries["data"] as? [[String: Any]])?.first?["id"] as? Int)
            let parameters = [
                "{task}": task, "{application}": application, "{key}": keyID, "{approval}": try #require(data(approval)["id"] as? String),
                "{dispute}": try #require(data(dispute)["id"] as? String), "{user}": try await client.userID(worker), "{account}": String(walletAccount), "{notification}": notification,
                "{webhook}": webhook, "{delivery}": String(delivery), "{milestone}": "m1",
                "{service}": try #require(data(ownService)["id"] as? String), "{order}": try #require(data(placed)["id"] as? String),
            ]
            func uri(_ path: String, task override: String? = nil) -> String {
                var uri = path
                for (name, value) in parameters { uri = uri.replacingOccurrences(of: name, with: name == "{task}" ? (override ?? value) : value) }
                return path == "/v1/auth/check-email" ? uri + "?email=a@example.com" : uri
            }
            // A live task of the owner's, for the test key's blind spot.
            let (_, liveSession) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"owner@example.com","password":"correct horse","mode":"live"}"#)
            let liveToken = try #require(data(liveSession)["access_token"] as? String)
            let liveTask = try await client.createTask(liveToken, #"{"title":"Live","description":"d","category":"research","budget":{"amount":"10","currency":"USD"}}"#)

            // Keys missing one scope each, per actor; a key with every scope an ordinary user may hold.
            var keys: [String: String] = [:]
            let grantable = Scope.allCases.filter { $0 != .financeRead }
            for (actor, token) in [("owner", owner), ("worker", worker)] {
                for missing in [Scope.tasksRead, .tasksWrite, .walletRead, .walletWrite, .messagesRead, .messagesWrite, .webhooks] {
                    let scopes = grantable.filter { $0 != missing }.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
                    let (_, body) = try await client.send(.post, "/v1/keys", token: token, json: #"{"name":"no-\#(missing.rawValue)","scopes":[\#(scopes)],"mode":"test"}"#)
                    keys["\(actor)-\(missing.rawValue)"] = try #require(data(body)["secret"] as? String)
                }
            }
            let (_, fullBody) = try await client.send(.post, "/v1/keys", token: owner,
                                                       json: #"{"name":"full","scopes":[\#(grantable.map { "\"\($0.rawValue)\"" }.joined(separator: ","))],"mode":"test"}"#)
            let fullTestKey = try #require(data(fullBody)["secret"] as? String)
            for token in [strangerAgent, strangerHuman, admin] { _ = try await client.send(.get, "/v1/wallet", token: token) }  // open their own accounts first

            var checked = 0
            for route in routes {
                let name = route.name
                guard var rule = Self.rules[name] else { continue }
                var anonymous = false
                if case .anonymous(let inner) = rule { (rule, anonymous) = (inner, true) }
                let path = String(name.split(separator: " ", maxSplits: 1)[1])
                let method = route.method
                let body = Self.bodies[name]
                func call(_ token: String?, task: String? = nil) async throws -> HTTPResponse.Status {
                    try await client.send(method, uri(path, task: task), token: token, json: body).0
                }
                if case .open = rule { continue }
                if case .taskToken = rule {
                    let before = try snapshot(test.path)
                    #expect(try await call(nil) == .forbidden, "\(name) without a task token")
                    let stranger = try await call(strangerAgent)
                    #expect(stranger == .notFound || stranger == .forbidden, "\(name) by a stranger: \(stranger)")
                    #expect(try snapshot(test.path) == before, "\(name) without the token changed something")
                    checked += 1
                    continue
                }
                if !anonymous {
                    #expect(try await call(nil) == .unauthorized, "\(name) without credentials")
                }
                switch rule {
                case .open, .anonymous, .taskToken:
                    break
                case .own(let scope, let actor):
                    if let scope { #expect(try await call(keys["\(actor == .owner ? "owner" : "worker")-\(scope.rawValue)"]) == .forbidden, "\(name) without \(scope.rawValue)") }
                case .owned(let scope, let actor):
                    let stranger = actor == .owner ? strangerAgent : strangerHuman
                    let target = path.hasSuffix("/dispute") ? disputed : task
                    let before = try snapshot(test.path)
                    #expect(try await call(stranger, task: target) == .notFound, "\(name) by a stranger")
                    #expect(try snapshot(test.path) == before, "\(name) by a stranger changed something")
                    #expect(try await call(keys["\(actor == .owner ? "owner" : "worker")-\(scope.rawValue)"], task: target) == .forbidden, "\(name) without \(scope.rawValue)")
                    if actor == .owner && path.contains("{task}") {
                        let liveBefore = try snapshot(test.path)
                        #expect(try await call(fullTestKey, task: liveTask) == .notFound, "\(name): a test key reached a live task")
                        #expect(try snapshot(test.path) == liveBefore)
                    }
                case .ownedSession:
                    let before = try snapshot(test.path)
                    #expect(try await call(strangerAgent) == .notFound, "\(name) by a stranger")
                    #expect(try snapshot(test.path) == before, "\(name) by a stranger changed something")
                    #expect(try await call(fullTestKey) == .forbidden, "\(name) with a key")
                case .session:
                    #expect(try await call(fullTestKey) == .forbidden, "\(name) with a key")
                case .admin, .finance:
                    let before = try snapshot(test.path)
                    #expect(try await call(strangerAgent) == .forbidden, "\(name) by a non-admin")
                    #expect(try await call(fullTestKey) == .forbidden, "\(name) with an ordinary key")
                    #expect(try snapshot(test.path) == before, "\(name) by a non-admin changed something")
                }
                checked += 1
            }
            #expect(checked >= 35)
            // The live task is invisible in the test key's list too.
            let (_, list) = try await client.send(.get, "/v1/tasks?mine=true", token: fullTestKey)
            #expect(!((data(list)["tasks"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == liveTask })
        }
    }
}
