import Foundation
import Hummingbird
import HTTPTypes
import Marketplace

/// Resolves the caller once per request from `Authorization: Bearer …` (the scheme in any case)
/// or, for API keys, `X-API-Key: sk_…`. A request without either goes on anonymous; a bad
/// credential stops here with 401. A credential the server would not read is refused by name
/// rather than ignored: two differing credentials, repeated headers, or a header from
/// `unreadCredentialHeaders`. Under RequestHuman's paths, `X-Task-Token` is read as a credential.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let auth: AuthService

    /// The header that carries an API key as an alternative to `Authorization: Bearer`.
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    /// Credential headers other APIs use that this server does not read; a request carrying
    /// one is 400 naming it, so that nobody believes they are authenticated when they are not.
    /// (Proxy-Authorization is not here: it is for a proxy on the way, not for this server.)
    static let unreadCredentialHeaders = ["Api-Key", "X-Auth-Token", "X-Access-Token", "X-Api-Token", "X-Task-Token"].map { HTTPField.Name($0)! }

    /// The task token's header (seed 002: `X-Task-Token: <the create answer's task_token>`).
    static let taskTokenHeader = HTTPField.Name("X-Task-Token")!
    /// Where X-Task-Token is a credential, read like X-API-Key: RequestHuman's paths.
    static let taskTokenPrefixes = ["/compat/requesthuman/"]

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let readsTaskToken = Self.taskTokenPrefixes.contains { path.hasPrefix($0) }
        guard let credential = try Self.credential(in: request.headers, readingTaskToken: readsTaskToken) else { return try await next(request, context) }
        var context = context
        context.principal = try await apiAsync { try await auth.authenticate(bearer: credential) }
        return try await next(request, context)
    }

    /// The one credential the headers carry, or nil when they carry none.
    static func credential(in headers: HTTPFields, readingTaskToken: Bool = false) throws(APIError) -> String? {
        for name in unreadCredentialHeaders where headers[name] != nil && !(readingTaskToken && name == taskTokenHeader) {
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
        guard readingTaskToken, headers[taskTokenHeader] != nil else { return bearer ?? key }
        let tokens = headers[values: taskTokenHeader]
        guard tokens.count == 1, let token = tokens.first.map({ $0.trimmingCharacters(in: .whitespaces) }), !token.isEmpty else {
            throw .validation("send one X-Task-Token header with the task's token", field: "X-Task-Token")
        }
        if let other = bearer ?? key, other != token {
            throw .validation("X-Task-Token and Authorization carry different credentials; send one of them", field: "X-Task-Token")
        }
        return token
    }

    /// The token of `Bearer <token>`; the scheme is case-insensitive (RFC 9110, 11.1). Read as
    /// UTF-8 bytes: Foundation's `trimmingCharacters` went through NSString and cost 3 % of a
    /// lifecycle's CPU in `bench api`.
    private static func bearerToken(_ header: String) throws(APIError) -> String {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer".utf8)
        let refused = APIError(.unauthorized, code: "UNAUTHORIZED", message: "Authorization must be 'Bearer <token>'")
        guard bytes.count > scheme.count, bytes[scheme.count] == UInt8(ascii: " "),
              zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }) else { throw refused }
        let token = trimmed(bytes[(scheme.count + 1)...])
        guard !token.isEmpty, !token.contains(UInt8(ascii: " ")) else { throw refused }
        return String(decoding: token, as: UTF8.self)
    }

    /// `bytes` without the spaces and tabs at either end (the `.whitespaces` a header may carry).
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else { return [] }
        return bytes[first...last]
    }

    private static func apiKey(_ value: String) throws(APIError) -> String {
        let key = String(decoding: trimmed(Array(value.utf8)[...]), as: UTF8.self)
        guard key.hasPrefix(APIKey.testPrefix) || key.hasPrefix(APIKey.livePrefix) else {
            throw .validation("X-API-Key takes an API key (sk_test_… or sk_live_…); send other tokens as Authorization: Bearer", field: "X-API-Key")
        }
        return key
    }
}
