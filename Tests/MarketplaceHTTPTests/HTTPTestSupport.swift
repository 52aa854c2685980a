import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import MarketplaceHTTP

typealias Client = any TestClientProtocol

/// Runs `body` against the real router over fresh services on their own SQLite file.
func withApp(_ body: @escaping @Sendable (Client, TestServices) async throws -> Void) async throws {
    let test = try await TestServices()
    defer { test.close() }
    let app = Application(router: buildRouter(services: test.services, mode: "test"))
    try await app.test(.router) { client in try await body(client, test) }
}

extension TestClientProtocol {
    /// Sends JSON as a client would and returns the status and the decoded body.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
              idempotencyKey: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
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

enum TestSupportError: Error {
    case noToken(String)
}
