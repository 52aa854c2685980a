import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import MCP
import Marketplace
import MarketplaceHTTP
import MarketplaceServer
import Testing
@testable import MarketplaceMCP

/// The real services on a fresh SQLite file (cheap bcrypt), the MCP tools over them, and the
/// REST router they share, so a test can act through either and compare.
struct Harness: Sendable {
    let services: Services
    let ledger: Ledger
    let store: MarketplaceStore
    let path: String
    let tools: MarketplaceTools

    static let allScopes = ["tasks:read", "tasks:write", "wallet:read", "wallet:write", "messages:read", "messages:write"]

    init(card: CardPayments? = nil, chain: ChainPayments? = nil, clock: ManualClock? = nil) async throws {
        let clock = clock?.ledgerClock ?? .system
        path = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-\(UUID().uuidString).sqlite").path
        ledger = try Ledger(path: path, clock: clock)
        store = try MarketplaceStore(ledger: ledger)
        services = Services.assemble(ledger: ledger, store: store, tokens: try await TokenIssuer(secret: Array(repeating: 7, count: 32)),
                                     ServiceSettings(clock: clock, card: card, chain: chain, bcryptCost: 4))
        tools = MarketplaceTools(tasks: services.tasks, settlement: services.settlement, work: services.work, messages: services.messages,
                                 platform: PlatformFacts(mode: "test", rateLimitsPerMinute: [:]))
    }

    func close() {
        store.close()
        ledger.close()
    }

    /// A registered user and one API key of theirs: the key's principal (what MCP calls run
    /// as), its secret, and a session token for REST.
    struct Caller: Sendable {
        let userID: String
        let key: String
        let keyID: String
        let principal: Principal
        let session: String
    }

    /// Registers `email` unless it exists, and makes it a key with `scopes` in `mode`.
    func caller(_ email: String, role: String = "agent", scopes: [String] = allScopes, mode: Mode = .test) async throws -> Caller {
        let auth = services.auth
        if try auth.isEmailAvailable(email) {
            _ = try await auth.register(Registration(email: email, password: "correct horse", fullName: "Caller", role: role))
        }
        let session = try await auth.login(email: email, password: "correct horse", mode: mode)
        let owner = try await auth.authenticate(bearer: session.accessToken)
        let created = try await services.keys.create(for: owner, name: "mcp \(scopes.count)", scopes: scopes, mode: mode.rawValue)
        return Caller(userID: owner.userID, key: created.secret, keyID: created.key.id, principal: try await auth.authenticate(bearer: created.secret), session: session.accessToken)
    }

    /// Runs a tool in process, as the transports do, and reads its answer.
    func call(_ name: String, _ arguments: [String: Value] = [:], as caller: Caller) async throws -> ToolAnswer {
        try ToolAnswer(try await tools.call(name, arguments: arguments, by: caller.principal))
    }

    /// The REST API over the same services, for comparing answers and acting as a human does.
    func withREST(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(services: services, mode: "test", rateLimits: .unlimited,
                                                  mounts: serverMounts(services: services, mode: "test", rateLimits: .unlimited)))
        try await app.test(.router) { client in try await body(client) }
    }

    /// Every table except stored idempotent responses: equal before and after means nothing changed.
    func snapshot() throws -> String {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'idempotent_requests' ORDER BY name")
            return try tables.map { table in
                "\(table):" + (try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description).joined(separator: ";"))
            }.joined(separator: "\n")
        }
    }

    /// An account's available balance in minor units, by chart code (nil when it was never opened).
    func available(_ code: String) throws -> Int64? {
        guard let account = try ledger.account(code: code) else { return nil }
        return account.balance.available(for: account.type)
    }

    func walletCode(_ userID: String, mode: Mode = .test, asset: Asset = .usd) -> String {
        ChartOfAccounts.standard.wallet(user: userID, mode: mode.ledger, asset: asset).code
    }

    func escrowCode(_ taskID: String, mode: Mode = .test, asset: Asset = .usd) -> String {
        ChartOfAccounts.standard.escrow(task: taskID, mode: mode.ledger, asset: asset).code
    }
}

/// A tool's answer as a client reads it: the JSON text of its one content item.
struct ToolAnswer: @unchecked Sendable {
    let isError: Bool
    /// The parsed JSON object (a dictionary of plain JSON values: read once, never mutated).
    let json: [String: Any]
    let text: String

    init(_ result: CallTool.Result) throws {
        try self.init(content: result.content, isError: result.isError)
        #expect(result.structuredContent != nil, "a tool answer carries structured content")
    }

    init(content: [Tool.Content], isError: Bool?) throws {
        guard case .text(let text, _, _)? = content.first, content.count == 1 else { throw AnswerError.notOneText }
        self.isError = isError ?? false
        self.text = text
        json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    enum AnswerError: Error { case notOneText }

    /// REST's error code, or nil for a success.
    var code: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var field: String? { (json["error"] as? [String: Any])?["field"] as? String }
    var message: String? { (json["error"] as? [String: Any])?["message"] as? String }

    subscript(_ key: String) -> Any? { json[key] }

    /// A nested value by dotted path ("funding.escrow.amount").
    func value(_ path: String) -> Any? {
        var current: Any? = json
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return current
    }

    func string(_ path: String) -> String? { value(path) as? String }
}

extension TestClientProtocol {
    /// Sends JSON as a client would; returns the status and the decoded body.
    @discardableResult
    func send(_ method: HTTPTypes.HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
              idempotencyKey: String? = nil) async throws -> (status: HTTPTypes.HTTPResponse.Status, body: [String: Any]) {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        headers[.contentType] = "application/json"
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            (response.status, try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])
        }
    }
}

/// REST's `data` of a success envelope.
func restData(_ body: [String: Any]) -> Any? { body["data"] }

/// REST's error detail (code, field, message) of an error envelope.
func restError(_ body: [String: Any]) -> [String: Any] { body["error"] as? [String: Any] ?? [:] }

/// True when two JSON values parsed by JSONSerialization are equal: the same canonical text.
func sameJSON(_ left: Any?, _ right: Any?) -> Bool {
    guard let left, let right else { return left == nil && right == nil }
    func canonical(_ value: Any) -> Data? { try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) }
    guard let leftText = canonical(left) else { return false }
    return leftText == canonical(right)
}
