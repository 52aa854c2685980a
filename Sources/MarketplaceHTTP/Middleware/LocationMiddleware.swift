import Foundation
import HTTPTypes
import Hummingbird

/// Puts `Location` on every 201 (RFC 9110 §10.2.2): the URL path of what the request created,
/// read from the answer itself, so a replayed answer under an `Idempotency-Key` carries it too.
/// The path is the collection's path and the created id (`data.id`, or the id of the created
/// task, key or user an answer wraps), save where the resource lives elsewhere (`elsewhere`).
struct LocationMiddleware: RouterMiddleware {
    typealias Context = APIContext

    static let header = HTTPField.Name("Location")!

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard response.status == .created, response.headers[Self.header] == nil else { return response }
        let collected = CollectingWriter.Sink()
        try await response.body.write(CollectingWriter(sink: collected))
        var headers = response.headers
        headers[Self.header] = Self.location(of: Data(collected.buffer.readableBytesView), createdAt: request.uri.path)
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: collected.buffer))
    }

    /// The created resource's path, from the answer `body` to a POST at `path`.
    static func location(of body: Data, createdAt path: String) -> String {
        if let fixed = elsewhere(path) { return fixed }
        guard let id = body.withUnsafeBytes({ CreatedID.read($0.bindMemory(to: UInt8.self)) }) else { return path }
        return "\(path.hasSuffix("/") ? String(path.dropLast()) : path)/\(id)"
    }

    /// Creations whose resource is read at another path: a sign-up's user is the caller's
    /// /v1/auth/me, a task's one dispute is /v1/tasks/{task}/dispute, a deposit credits /v1/wallet.
    private static func elsewhere(_ path: String) -> String? {
        switch path {
        case "/v1/auth/register", "/v1/agents/register": return "/v1/auth/me"
        case "/v1/wallet/deposits": return "/v1/wallet"
        default:
            if path.hasPrefix("/v1/tasks/") && path.hasSuffix("/disputes") { return String(path.dropLast()) }
            return nil
        }
    }
}
