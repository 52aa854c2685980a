import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Serves a `FakeBaseNode` on loopback HTTP (a port the system picks) for as long as `body` runs.
/// Every path answers JSON-RPC over POST, as node providers do.
public enum FakeBaseServer {
    static let requestBytesMax = 1 << 20

    public static func run<T: Sendable>(_ node: FakeBaseNode, _ body: @Sendable (_ url: String) async throws -> T) async throws -> T {
        let router = Router()
        router.add(middleware: Responder(node: node))
        let port = Mutex<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } })
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var bound: Int?
            for _ in 0..<500 {
                bound = port.withLock { $0 }
                if bound != nil { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            guard let bound else { throw FakeBaseServerError.didNotStart }
            let result = try await body("http://127.0.0.1:\(bound)")
            group.cancelAll()
            return result
        }
    }

    enum FakeBaseServerError: Error { case didNotStart }

    struct Responder: RouterMiddleware {
        typealias Context = BasicRequestContext
        let node: FakeBaseNode

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            guard request.method == .post else { return Response(status: .methodNotAllowed) }
            let body = try await request.body.collect(upTo: FakeBaseServer.requestBytesMax)
            let (status, bytes) = node.respond(to: Array(buffer: body))
            let contentType = status == 200 ? "application/json" : "text/plain; charset=utf-8"
            return Response(status: .init(code: status), headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
