import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Bad input on the write routes other than task creation (TaskRoutesTests covers that one):
/// each case is 400 VALIDATION_ERROR naming its field, and the database is unchanged after it.
struct BadInputTests {
    @Test func everyWriteRouteNamesTheBadFieldAndWritesNothing() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let admin = try await test.adminToken("admin@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d")
            let task = try await client.createTask(agent, #"{"title":"t","description":"d","category":"research","budget":{"amount":"10","currency":"USD"}}"#)
            _ = try await client.send(.post, "/v1/tasks/\(task)/fund", token: agent)
            let (_, application) = try await client.send(.post, "/v1/tasks/\(task)/applications", token: human, json: #"{"message":"me"}"#)
            let applicationID = try #require(data(application)["id"] as? String)
            _ = try await client.send(.post, "/v1/tasks/\(task)/applications/\(applicationID)/accept", token: agent)
            let (_, dispute) = try await client.send(.post, "/v1/tasks/\(task)/disputes", token: agent, json: #"{"reason":"late"}"#)
            let disputeID = try #require(data(dispute)["id"] as? String)
            let huge = #"{"amount":"1.00","currency":"USD","pad":""# + String(repeating: "x", count: 70_000) + #""}"#

            let cases: [(token: String, path: String, json: String, field: String, key: String?)] = [
                (agent, "/v1/wallet/deposits", #"{"amount":"-1.00","currency":"USD"}"#, "amount", "k1"),
                (agent, "/v1/wallet/deposits", #"{"amount":"1.001","currency":"USD"}"#, "amount", "k2"),
                (agent, "/v1/wallet/deposits", #"{"amount":1.001,"currency":"USD"}"#, "amount", "k3"),
                (agent, "/v1/wallet/deposits", #"{"amount":"1.00","currency":"EUR"}"#, "currency", "k4"),
                (agent, "/v1/wallet/deposits", #"{"amount":"1.00","currency":7}"#, "currency", "k5"),
                (agent, "/v1/wallet/deposits", #"{"amount":"1.00"}"#, "currency", "k6"),
                (agent, "/v1/wallet/deposits", #"{"amount":"1.00","currency":"USD""#, "body", "k7"),
                (agent, "/v1/wallet/deposits", huge, "body", "k8"),
                (agent, "/v1/wallet/deposits", #"{"amount":"1.00","currency":"USD"}"#, "idempotency_key", nil),
                (agent, "/v1/tasks/\(task)/fund", #"{"source":"bank"}"#, "source", nil),
                (agent, "/v1/tasks/\(task)/request-revision", #"{"feedback":""}"#, "feedback", nil),
                (agent, "/v1/tasks/\(task)/reject", #"{"reason":"too short"}"#, "reason", nil),
                (agent, "/v1/tasks/\(task)/reject", #"{"reason":42}"#, "reason", nil),
                (human, "/v1/tasks/\(task)/submissions", #"{"deliverables":[{"kind":"video","value":"x"}]}"#, "deliverables[0].kind", nil),
                (human, "/v1/tasks/\(task)/submissions", #"{"deliverables":[{"kind":"url","value":"not a url"}]}"#, "deliverables[0].value", nil),
                (human, "/v1/tasks/\(task)/submissions", #"{"deliverables":[]}"#, "deliverables", nil),
                (admin, "/v1/admin/disputes/\(disputeID)/resolve", #"{"to_worker":"1.001","resolution":"x"}"#, "to_worker", nil),
                (admin, "/v1/admin/disputes/\(disputeID)/resolve", #"{"to_worker":"-1","resolution":"x"}"#, "to_worker", nil),
                (admin, "/v1/admin/disputes/\(disputeID)/resolve", #"{"to_worker":"1","resolution":""}"#, "resolution", nil),
                (agent, "/v1/keys", #"{"name":"k","scopes":["tasks:everything"],"mode":"test"}"#, "scopes", nil),
                (agent, "/v1/keys", #"{"name":"k","scopes":["tasks:read"],"mode":"staging"}"#, "mode", nil),
                (agent, "/v1/keys", #"{"name":"k","scopes":["tasks:read"],"mode":"test","spend_policy":{"currency":"USD","per_task":"0.001"}}"#, "spend_policy.per_task", nil),
                (agent, "/v1/keys", #"{"name":"k","scopes":["tasks:read"],"mode":"test","spend_policy":{"currency":"USD"}}"#, "spend_policy", nil),
                (human, "/v1/profile", #"{"display_name":"\#(String(repeating: "n", count: 201))"}"#, "display_name", nil),
                (human, "/v1/profile", #"{"display_name":"n","skills":"photography"}"#, "skills", nil),
                (agent, "/v1/auth/register", #"{"email":"x@example.com","password":"short","full_name":"X","role":"agent"}"#, "password", nil),
                (agent, "/v1/auth/register", #"{"email":"x@example.com","password":"long enough","full_name":"X","role":"robot"}"#, "role", nil),
            ]
            let before = try snapshot(test.path)
            for item in cases {
                let method: HTTPRequest.Method = item.path == "/v1/profile" ? .put : .post
                let (status, body) = try await client.send(method, item.path, token: item.token, json: item.json, idempotencyKey: item.key)
                #expect(status == .badRequest, "\(item.path) \(item.json.prefix(80))")
                #expect(errorCode(body) == "VALIDATION_ERROR", "\(item.path) \(item.json.prefix(80))")
                #expect(errorField(body) == item.field, "\(item.path) \(item.json.prefix(80))")
            }
            #expect(try snapshot(test.path) == before)
        }
    }

    /// One refusal: who sends what where, and the field the 400 must name.
    struct Row {
        var method: HTTPRequest.Method = .post
        let token: String?
        let path: String
        let json: String
        let field: String
        var key: String? = nil
        var headers: [(String, String)] = []
    }

    /// Issue 15, items 6 and 7: unknown fields (nested ones by their path), duplicate keys,
    /// non-JSON syntax, signed or exponent amounts, control characters in text, a PATCH of a
    /// field it does not change, and credential headers the server would not read as sent.
    /// Each is 400 VALIDATION_ERROR naming the field; valid JSON (`1e308`) is never "not valid
    /// JSON"; and nothing is written: wallets, tasks and users are as before.
    @Test func strictInputIsRefusedNamingTheFieldAndWritesNothing() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let other = try await client.session("other@example.com")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d")
            let open = try await client.createTask(agent, #"{"title":"Open","description":"d","category":"research","budget":{"amount":"10","currency":"USD"}}"#)
            let assigned = try await client.createTask(agent, #"{"title":"Assigned","description":"d","category":"research","budget":{"amount":"10","currency":"USD"}}"#)
            _ = try await client.send(.post, "/v1/tasks/\(assigned)/fund", token: agent)
            let (_, application) = try await client.send(.post, "/v1/tasks/\(assigned)/applications", token: human, json: #"{"message":"me"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(assigned)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
            let (_, created) = try await client.send(.post, "/v1/keys", token: agent, json: #"{"name":"k","scopes":["tasks:read","tasks:write","wallet:write"],"mode":"test"}"#)
            let apiKey = try #require(data(created)["secret"] as? String)
            let task = #"{"title":"t","description":"d","category":"research","budget":{"amount":"1","currency":"USD"}"#
            let rows = [
                Row(token: agent, path: "/v1/wallet/deposits", json: #"{"amount":"1.00","currency":"USD","colour":"red"}"#, field: "colour", key: "s1"),
                Row(token: agent, path: "/v1/wallet/deposits", json: #"{"amount":"1.00","amount":"-1000.00","currency":"USD"}"#, field: "amount", key: "s2"),
                Row(token: agent, path: "/v1/wallet/deposits", json: #"{"amount":"1.00","currency":"USD",}"#, field: "body", key: "s3"),
                Row(token: agent, path: "/v1/wallet/deposits", json: #"{"amount":"+5","currency":"USD"}"#, field: "amount", key: "s4"),
                Row(token: agent, path: "/v1/wallet/deposits", json: #"{"amount":1e308,"currency":"USD"}"#, field: "amount", key: "s6"),
                Row(token: agent, path: "/v1/tasks", json: task + #","colour":"red"}"#, field: "colour"),
                Row(token: agent, path: "/v1/tasks", json: #"{"title":"t","description":"d","category":"research","budget":{"amount":"1","currency":"USD","colour":"red"}}"#, field: "budget.colour"),
                Row(token: agent, path: "/v1/tasks", json: task + #","location":{"lat":51.5,"lng":-0.1}}"#, field: "location"),
                Row(token: agent, path: "/v1/tasks", json: task + #","required_deliverables":["photo",]}"#, field: "body"),
                Row(token: agent, path: "/v1/tasks", json: #"{"title":"a\u0000b","description":"d","category":"research","budget":{"amount":"1","currency":"USD"}}"#, field: "title"),
                Row(token: agent, path: "/v1/tasks", json: #"{"title":"t","description":"bell\u0007","category":"research","budget":{"amount":"1","currency":"USD"}}"#, field: "description"),
                Row(method: .patch, token: agent, path: "/v1/tasks/\(open)", json: #"{"status":"hidden"}"#, field: "status"),
                Row(method: .patch, token: agent, path: "/v1/tasks/\(open)", json: #"{"title":"Renamed","colour":"red"}"#, field: "colour"),
                Row(method: .patch, token: agent, path: "/v1/tasks/\(open)", json: #"{"title":"Renamed\u001b[2J"}"#, field: "title"),
                Row(token: human, path: "/v1/tasks/\(assigned)/submissions", json: #"{"deliverables":[{"kind":"text","value":"v","colour":"red"}]}"#, field: "deliverables[0].colour"),
                Row(token: human, path: "/v1/tasks/\(assigned)/messages", json: #"{"body":"hi\u0000"}"#, field: "body"),
                Row(token: agent, path: "/v1/keys", json: #"{"name":"k","scopes":["tasks:read"],"mode":"test","spend_policy":{"currency":"USD","per_week":"1"}}"#, field: "spend_policy.per_week"),
                Row(token: nil, path: "/v1/auth/register", json: #"{"email":"new@example.com","password":"long enough","full_name":"N","role":"agent","referrer":"x"}"#, field: "referrer"),
                Row(token: agent, path: "/v1/tasks/\(open)/cancel", json: #"{"reason":"changed my mind"}"#, field: "reason"),
                Row(token: nil, path: "/v1/tasks", json: task + "}", field: "X-API-Key", headers: [("X-API-Key", agent)]),
                Row(token: other, path: "/v1/tasks", json: task + "}", field: "X-API-Key", headers: [("X-API-Key", apiKey)]),
                Row(token: nil, path: "/v1/tasks", json: task + "}", field: "X-Auth-Token", headers: [("X-Auth-Token", apiKey)]),
            ]
            let before = try snapshot(test.path)
            for row in rows {
                let (status, body) = try await client.send(row.method, row.path, token: row.token, json: row.json, idempotencyKey: row.key, headers: row.headers)
                let label = "\(row.method) \(row.path) \(row.json.prefix(90))"
                #expect(status == .badRequest, "\(label)")
                #expect(errorCode(body) == "VALIDATION_ERROR", "\(label)")
                #expect(errorField(body) == row.field, "\(label): \(body)")
                if row.field != "body" { #expect(errorMessage(body)?.contains("not valid JSON") == false, "\(label): \(body)") }
            }
            #expect(try snapshot(test.path) == before)
        }
    }

    /// The database except stored responses to idempotent requests (a stored 400 is not a change of state).
    private func snapshot(_ path: String) throws -> String {
        try TestDatabase.snapshot(path)
    }
}
