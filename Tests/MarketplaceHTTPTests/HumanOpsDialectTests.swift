import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import MarketplaceHTTP
import MarketplaceServer
import NIOCore
import Testing

/// Seed 003's own requests (Fixtures/dialects/humanops, as the document prints them) sent to
/// /compat/humanops with only the host and the key changed: each posts a task whose escrow is
/// funded in the same commit, a mock operator does it in test mode, proof scoring approves it
/// and the ledger pays the reward to the cent.
struct HumanOpsDialectTests {
    static let base = "/compat/humanops"

    struct DocumentRequest: Decodable {
        struct Expect: Decodable {
            let status: Int
            let rewardUsd: String
            let fields: [String]
        }

        let name: String
        let method: String
        let path: String
        let headers: [String: String]
        let body: String
        let expect: Expect
    }

    static var documentRequests: [DocumentRequest] {
        get throws {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode([DocumentRequest].self, from: Data(PackageResources.humanops_requests_json))
        }
    }

    /// The app with the shipped mounts, on the test clock (2026-01-01: the document's
    /// deadlines, in February 2026, are ahead of it).
    private func withDialect(_ body: @escaping @Sendable (any TestClientProtocol, TestServices) async throws -> Void) async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = test.serverRouter
        try await Application(router: router).test(.router) { client in try await body(client, test) }
    }

    private func register(_ client: any TestClientProtocol) async throws -> String {
        let (status, body) = try await client.send(.post, "\(Self.base)/api/v1/agents/register", json: #"{"name":"Storefront bot","email":"bot@example.com"}"#)
        #expect(status == .created)
        #expect(body["mode"] as? String == "test")
        let key = try #require(body["api_key"] as? String)
        #expect(key.hasPrefix("sk_test_"))
        return key
    }

    /// Sends a document request as printed, its key replaced by `key`.
    private func send(_ request: DocumentRequest, key: String, _ client: any TestClientProtocol) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = HTTPFields()
        for (name, value) in request.headers { headers[HTTPField.Name(name)!] = name == "X-API-Key" ? key : value }
        headers[.contentType] = "application/json"  // what requests' json= and the fetch example send
        return try await client.execute(uri: Self.base + request.path, method: HTTPRequest.Method(request.method)!, headers: headers,
                                        body: ByteBuffer(string: request.body)) { response in
            (response.status, try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])
        }
    }

    @Test func theDocumentsRequestsPostFundedTasksThatMockOperatorsDoAndTheLedgerPays() async throws {
        try await withDialect { client, test in
            let key = try await register(client)
            var rewards: Int64 = 0
            for request in try Self.documentRequests {
                let (status, task) = try await send(request, key: key, client)
                #expect(Int(status.code) == request.expect.status, "\(request.name): \(task)")
                for field in request.expect.fields { #expect(task[field] != nil, "\(request.name) lacks \(field)") }
                #expect(task["status"] as? String == "POSTED", "\(request.name)")
                #expect(task["escrow_status"] as? String == "funded", "\(request.name)")
                #expect("\(task["reward_usd"] ?? "")" == request.expect.rewardUsd, "\(request.name)")
                #expect(task["currency"] as? String == "USDC")
                let id = try #require(task["task_id"] as? String)
                // Test mode: the mock operator accepted, submitted photo proof, and the score approved and paid it.
                let (_, checked) = try await client.send(.get, "\(Self.base)/api/v1/tasks/\(id)", headers: [("X-API-Key", key)])
                #expect(checked["status"] as? String == "PAID", "\(request.name): \(checked)")
                #expect(checked["escrow_status"] as? String == "released")
                rewards += try MinorUnits.parse(request.expect.rewardUsd, scale: Asset.usdc.scale)
            }
            #expect(rewards == 85_000_000)
            #expect(try test.ledger.account(code: "wallet:user:test:usr_mock_operator:USDC")?.balance.posted(for: .liability) == rewards)
            let (_, list) = try await client.send(.get, "\(Self.base)/api/v1/tasks", headers: [("X-API-Key", key)])
            #expect((list["tasks"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["PAID", "PAID", "PAID"])
            #expect(try test.ledger.verify().fault == nil)
        }
    }

    @Test func anAmountOrFieldTheDialectDoesNotTakeIsRefusedByNameAndNothingIsWritten() async throws {
        try await withDialect { client, test in
            let key = try await register(client)
            let before = try TestDatabase.snapshot(test.path)
            let bodies = [#"{"title":"t","description":"d","task_type":"PHOTO","reward_usd":1e3}"#: "reward_usd",
                          #"{"title":"t","description":"d","task_type":"PHOTO","reward_usd":15,"reward":15}"#: "reward",
                          #"{"title":"t","description":"d","reward_usd":15}"#: "task_type"]
            for (json, field) in bodies {
                let (status, body) = try await client.send(.post, "\(Self.base)/api/v1/tasks", json: json, headers: [("X-API-Key", key)])
                #expect(status == .badRequest, "\(json): \(body)")
                #expect(errorField(body) == field, "\(json): \(body)")
            }
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }

    @Test func aPaidTaskCannotBeCancelledAndItsPayoutStays() async throws {
        try await withDialect { client, test in
            let key = try await register(client)
            let (_, task) = try await client.send(.post, "\(Self.base)/api/v1/tasks", json: #"{"title":"t","description":"d","task_type":"PHOTO","reward_usd":"12.34"}"#,
                                                  headers: [("X-API-Key", key)])
            #expect("\(task["reward_usd"] ?? "")" == "12.34")
            let id = try #require(task["task_id"] as? String)
            let (status, refused) = try await client.send(.post, "\(Self.base)/api/v1/tasks/\(id)/cancel", headers: [("X-API-Key", key)])
            #expect(status == .conflict, "\(refused)")
            #expect(try test.ledger.account(code: "wallet:user:test:usr_mock_operator:USDC")?.balance.posted(for: .liability) == 12_340_000)
        }
    }

    @Test func theDialectsDocumentListsItsRoutes() async throws {
        try await withDialect { client, _ in
            let (status, document) = try await client.send(.get, "\(Self.base)/openapi.json")
            #expect(status == .ok)
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(Set(paths.keys).isSuperset(of: ["/api/v1/agents/register", "/api/v1/tasks", "/api/v1/tasks/{task}", "/api/v1/tasks/{task}/cancel"]))
            #expect((document["servers"] as? [[String: Any]])?.first?["url"] as? String == "/compat/humanops")
        }
    }
}
