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

    /// The database except stored responses to idempotent requests (a stored 400 is not a change of state).
    private func snapshot(_ path: String) throws -> String {
        try TestDatabase.snapshot(path)
    }
}
