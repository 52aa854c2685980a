import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import MarketplaceHTTP
import MarketplaceServer
import NIOCore
import StripeFake
import Testing
@testable import MarketplaceHTTP

typealias Client = any TestClientProtocol

/// Runs `body` against the real router over fresh services on their own SQLite file. Rate
/// limits are off (every test client shares one address); CrossCuttingTests checks them.
func withApp(_ body: @escaping @Sendable (Client, TestServices) async throws -> Void) async throws {
    let test = try await TestServices()
    defer { test.close() }
    let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
    try await app.test(.router) { client in try await body(client, test) }
}

extension TestClientProtocol {
    /// Sends JSON as a client would and returns the status and the decoded body.
    /// `headers` are added after the others (`X-API-Key`, a second credential).
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
              idempotencyKey: String? = nil, headers extra: [(String, String)] = []) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        for (name, value) in extra { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        headers[.contentType] = "application/json"
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            (response.status, try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])
        }
    }

    /// Registers a user and returns an access token for a test-mode session.
    func session(_ email: String, role: String = "agent") async throws -> String {
        _ = try await send(.post, "/v1/auth/register", json: #"{"email":"\#(email)","password":"correct horse","full_name":"A","role":"\#(role)"}"#)
        let (_, body) = try await send(.post, "/v1/auth/login", json: #"{"email":"\#(email)","password":"correct horse"}"#)
        guard let token = (body["data"] as? [String: Any])?["access_token"] as? String else { throw TestSupportError.noToken(email) }
        return token
    }
}

extension TestClientProtocol {
    /// A wallet as the API shows it: available and frozen in minor units, and its ledger account.
    func wallet(_ token: String, asset: String = "USD") async throws -> (available: Int, frozen: Int, account: Int64) {
        let (_, body) = try await send(.get, "/v1/wallet", token: token)
        let wallet = try #require((body["data"] as? [[String: Any]])?.first { $0["asset"] as? String == asset })
        return (try #require((wallet["available"] as? [String: Any])?["amount_minor"] as? Int),
                try #require((wallet["frozen"] as? [String: Any])?["amount_minor"] as? Int),
                try #require(wallet["account_id"] as? Int64))
    }

    /// The wallet endpoint equals the ledger's own account to the cent, and the ledger verifies clean.
    func expectWalletMatchesLedger(_ token: String, _ test: TestServices, asset: String = "USD",
                                   sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let wallet = try await wallet(token, asset: asset)
        let account = try #require(try test.ledger.account(AccountID(wallet.account)), sourceLocation: sourceLocation)
        #expect(Int64(wallet.available) == account.balance.available(for: .liability), sourceLocation: sourceLocation)
        #expect(try test.ledger.verify().isClean, sourceLocation: sourceLocation)
    }

    /// Posts a task and returns its id.
    func createTask(_ token: String, _ json: String) async throws -> String {
        let (status, body) = try await send(.post, "/v1/tasks", token: token, json: json)
        guard let id = data(body)["id"] as? String else { throw TestSupportError.unexpected("create task: \(status) \(body)") }
        return id
    }

    /// The caller's user id.
    func userID(_ token: String) async throws -> String {
        let (_, body) = try await send(.get, "/v1/auth/me", token: token)
        guard let id = (data(body)["user"] as? [String: Any])?["id"] as? String else { throw TestSupportError.unexpected("me: \(body)") }
        return id
    }
}

/// The `data` of a success envelope.
func data(_ body: [String: Any]) -> [String: Any] { body["data"] as? [String: Any] ?? [:] }

/// The `error.code` and `error.field` of an error envelope.
func errorCode(_ body: [String: Any]) -> String? { (body["error"] as? [String: Any])?["code"] as? String }
func errorField(_ body: [String: Any]) -> String? { (body["error"] as? [String: Any])?["field"] as? String }
func errorMessage(_ body: [String: Any]) -> String? { (body["error"] as? [String: Any])?["message"] as? String }

enum TestSupportError: Error {
    case unexpected(String)
    case noToken(String)
}

/// Pays a Checkout Session at the fake Stripe and delivers Stripe's signed event to the webhook,
/// as Stripe does once the payer has paid.
func payCheckout(_ session: String, _ fake: FakeStripe, _ clock: ManualClock, _ client: any TestClientProtocol,
                 sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let event = fake.delivery(of: try fake.pay(session), timestamp: clock.now / 1_000_000)
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    headers[HTTPField.Name("Stripe-Signature")!] = event.header
    let delivered = try await client.execute(uri: "/v1/connectors/stripe/webhook", method: .post, headers: headers,
                                             body: ByteBuffer(bytes: event.payload)) { $0.status }
    #expect(delivered == .ok, sourceLocation: sourceLocation)
}

extension TestServices {
    /// The server's whole router in test mode without rate limits: /v1 and every dialect's mount.
    var serverRouter: Router<APIContext> {
        buildRouter(services: services, mode: "test", rateLimits: .unlimited, mounts: serverMounts(services: services, mode: "test", rateLimits: .unlimited))
    }
}
