import HTTPTypes
import Hummingbird
import NIOCore
import LoopbackServer

/// Serves a `FakeBaseNode` on loopback HTTP (a port the system picks) for as long as `body` runs.
/// Every path answers JSON-RPC over POST, as node providers do.
public enum FakeBaseServer {
    static let requestBytesMax = 1 << 20

    public static func run<T: Sendable>(_ node: FakeBaseNode, _ body: @Sendable (_ url: String) async throws -> T) async throws -> T {
        try await LoopbackServer.run(Responder(node: node), body)
    }

    /// The URL of a node that was served and stopped: its loopback port now refuses connections,
    /// as a node that is down does (nothing listens; the connect fails at once).
    public static func refusingURL() async throws -> String {
        try await run(FakeBaseNode()) { url in url }
    }

    struct Responder: RouterMiddleware {
        typealias Context = BasicRequestContext
        let node: FakeBaseNode

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            guard request.method == .post else { return Response(status: .methodNotAllowed) }
            let body = try await request.body.collect(upTo: FakeBaseServer.requestBytesMax)
            let stall = node.stallSeconds
            if stall > 0 { try await Task.sleep(for: .seconds(stall)) }
            let (status, bytes) = node.respond(to: Array(buffer: body))
            let contentType = status == 200 ? "application/json" : "text/plain; charset=utf-8"
            return Response(status: .init(code: status), headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
