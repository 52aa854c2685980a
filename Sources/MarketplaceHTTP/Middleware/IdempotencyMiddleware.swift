import Foundation
import HTTPTypes
import Hummingbird
import Marketplace

/// `Idempotency-Key` on every POST, PUT, PATCH and DELETE: the first request with a key runs
/// and its answer is stored; a replay (same method, path and body) gets the stored answer with
/// `Idempotent-Replayed: true`; the key with another request is 409. Server errors (5xx) are
/// not stored, so a retry runs again. Routes whose answer carries a secret (sessions, new API
/// keys) never store it: a key there is refused rather than silently ignored.
///
/// Nothing is committed to claim a key. Routes answer through `KeyedAnswer`, which renders the
/// answer inside the commit of the domain's write, so a keyed write is one durable commit and a
/// crash leaves its key absent or answered; any other answer is stored in a commit right after.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let store: IdempotencyStore
    /// The routes: a method a path does not serve is left to the router's 405, key or not.
    let routes: RouteTable

    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    static let methods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    /// Writes whose answer holds a secret that must never be stored or shown twice: sessions,
    /// new API keys (an agent's registration makes one), webhook signing secrets, and the task
    /// token of RequestHuman's anonymous post, in /v1 and in the dialects.
    static let secretWrites: Set<String> = [
        "POST /v1/keys", "POST /v1/agents/register", "POST /v1/auth/register", "POST /v1/auth/login", "POST /v1/auth/refresh",
        "POST /v1/webhooks", "POST /v1/webhooks/callback-secret",
        "POST /compat/humanops/api/v1/agents/register", "POST /compat/gohirehumans/auth/login",
        "POST /compat/humans2ai/api/v1/public/auth/register", "POST /compat/humans2ai/api/v1/public/auth/login",
        "POST /compat/humans2ai/api/v1/public/auth/refresh", "POST /compat/humans2ai/api/v1/api-keys", "POST /compat/humans2ai/api/v1/webhooks",
        "POST /compat/requesthuman/api/tasks",
    ]

    /// Whether the request's answer may hold a secret: a route of `secretWrites`, anything under
    /// /v1/auth/, an MCP transport (a tool may answer a task token or a key), and an anonymous
    /// post's task token.
    static func carriesSecret(_ request: Request, _ context: APIContext) -> Bool {
        let path = request.uri.path
        return secretWrites.contains("\(request.method.rawValue) \(path)") || path.hasPrefix("/v1/auth/") || path.hasSuffix("/mcp")
            || (request.method == .post && path == "/v1/tasks" && context.principal == nil)
    }

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard Self.methods.contains(request.method), let key = request.headers[Self.header],
              routes.serves(request.method.rawValue, at: request.uri.path) else { return try await next(request, context) }
        guard !Self.carriesSecret(request, context) else {
            throw APIError.validation("this route answers with a secret, which is never stored; send it without Idempotency-Key", field: "idempotency_key")
        }
        var request = request
        let body = try await RequestBody.collect(&request)
        let scope = context.principal.map { "\($0.userID):\($0.mode.rawValue)" } ?? "anonymous:\(context.clientAddress)"
        let fingerprint = IdempotencyStore.fingerprint(method: request.method.rawValue, path: request.uri.description, body: body.readableBytesView)
        switch try api({ try store.claim(scope: scope, key: key, fingerprint: fingerprint) }) {
        case .replay(let answer):
            return Self.response(answer, replayed: true)
        case .mismatch:
            throw APIError(.conflict, code: "CONFLICT", message: "this Idempotency-Key was used with a different request", field: "idempotency_key")
        case .inFlight:
            throw APIError(.conflict, code: "CONFLICT", message: "a request with this Idempotency-Key is still in progress; retry shortly",
                           field: "idempotency_key")
        case .proceed(let keyed):
            return try await run(keyed, request, context: context, next: next)
        }
    }

    /// Runs the request under its key; stores its answer unless its effect's commit already did.
    private func run(_ keyed: KeyedRequest, _ request: Request, context: APIContext,
                     next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await KeyedRequest.$current.withValue(keyed) { try await next(request, context) }
        } catch let error as APIError where error.status.code < 500 {
            response = try error.response(from: request, context: context)
        } catch {
            store.end(keyed)  // nothing is stored: a retry runs again
            throw error
        }
        keyed.close()
        let collected = CollectingWriter.Sink()
        do {
            try await response.body.write(CollectingWriter(sink: collected))
        } catch {
            store.end(keyed)
            throw error
        }
        let answer = KeyedRequest.Answer(status: response.status.code, contentType: response.headers[.contentType],
                                         body: Data(collected.buffer.readableBytesView))
        if response.status.code >= 500 || keyed.committedAnswer == answer {
            store.end(keyed)  // a server error is not stored; an answer that landed with its effect is stored already
        } else {
            try await apiAsync { try await store.finish(keyed, with: answer) }
        }
        return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: collected.buffer))
    }

    /// A stored answer as a response.
    static func response(_ answer: KeyedRequest.Answer, replayed: Bool) -> Response {
        var headers = HTTPFields()
        if let contentType = answer.contentType { headers[.contentType] = contentType }
        if replayed { headers[replayedHeader] = "true" }
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// Gathers a response body in memory (API responses are small JSON documents). The bytes go
/// to a sink object, since the body writes through a copy of the writer.
struct CollectingWriter: ResponseBodyWriter {
    final class Sink: @unchecked Sendable {
        // Written by one body writer, then read once it has finished: never shared concurrently.
        var buffer = ByteBuffer()
    }

    let sink: Sink

    mutating func write(_ part: ByteBuffer) async throws {
        var part = part
        sink.buffer.writeBuffer(&part)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
