import Foundation
import Hummingbird
import HTTPTypes
import Marketplace

/// Resolves the caller once per request from `Authorization: Bearer …` (the scheme in any case)
/// or, for API keys, `X-API-Key: sk_…`. A request without either goes on anonymous; a bad
/// credential stops here with 401. A credential the server would not read is refused by name
/// rather than ignored: two differing credentials, repeated headers, or a header from
/// `unreadCredentialHeaders`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let auth: AuthService

    /// The header that carries an API key as an alternative to `Authorization: Bearer`.
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    /// Credential headers other APIs use that this server does not read; a request carrying
    /// one is 400 naming it, so that nobody believes they are authenticated when they are not.
    /// (Proxy-Authorization is not here: it is for a proxy on the way, not for this server.)
    static let unreadCredentialHeaders = ["Api-Key", "X-Auth-Token", "X-Access-Token", "X-Api-Token", "X-Task-Token"].map { HTTPField.Name($0)! }

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard let credential = try Self.credential(in: request.headers) else { return try await next(request, context) }
        var context = context
        context.principal = try await apiAsync { try await auth.authenticate(bearer: credential) }
        return try await next(request, context)
    }

    /// The one credential the headers carry, or nil when they carry none.
    static func credential(in headers: HTTPFields) throws(APIError) -> String? {
        for name in unreadCredentialHeaders where headers[name] != nil {
            throw .validation("\(name.rawName) is not read by this server; send Authorization: Bearer <token>, or X-API-Key: <API key>", field: name.rawName)
        }
        let authorizations = headers[values: .authorization]
        let keys = headers[values: apiKeyHeader]
        guard authorizations.count <= 1 else { throw .validation("send one Authorization header", field: "Authorization") }
        guard keys.count <= 1 else { throw .validation("send one X-API-Key header", field: "X-API-Key") }
        let bearer = try authorizations.first.map(bearerToken)
        let key = try keys.first.map(apiKey)
        if let bearer, let key, bearer != key {
            throw .validation("X-API-Key and Authorization carry different credentials; send one of them", field: "X-API-Key")
        }
        return bearer ?? key
    }

    /// The token of `Bearer <token>`; the scheme is case-insensitive (RFC 9110, 11.1).
    private static func bearerToken(_ header: String) throws(APIError) -> String {
        let parts = header.split(separator: " ", maxSplits: 1)
        let token = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard parts.count == 2, parts[0].lowercased() == "bearer", !token.isEmpty, !token.contains(" ") else {
            throw APIError(.unauthorized, code: "UNAUTHORIZED", message: "Authorization must be 'Bearer <token>'")
        }
        return token
    }

    private static func apiKey(_ value: String) throws(APIError) -> String {
        let key = value.trimmingCharacters(in: .whitespaces)
        guard key.hasPrefix(APIKey.testPrefix) || key.hasPrefix(APIKey.livePrefix) else {
            throw .validation("X-API-Key takes an API key (sk_test_… or sk_live_…); send other tokens as Authorization: Bearer", field: "X-API-Key")
        }
        return key
    }
}
