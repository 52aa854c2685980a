public import Hummingbird
public import Logging
public import NIOCore
import ServiceLifecycle
import Synchronization

/// Test support: serves one middleware on loopback HTTP (a port the system picks) for as long
/// as `body` runs, then stops gracefully: requests in flight (a child process's last poll, say)
/// finish before the server goes. The fakes of outside services (Stripe, a Base node) sit behind it
/// so the real clients reach them over a real socket; so does `marketplace simulate`'s own API.
public enum LoopbackServer {
    public enum Failure: Error { case didNotStart }

    public static func run<T: Sendable>(_ responder: some RouterMiddleware<BasicRequestContext>,
                                        _ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.add(middleware: responder)
        return try await run(router: router, body)
    }

    /// Serves a whole router the same way (the marketplace's own API, for `marketplace
    /// simulate`); `logger` is the server's (Hummingbird's default when nil).
    public static func run<Builder: HTTPResponderBuilder, T: Sendable>(router: Builder, logger: Logger? = nil,
                                                                     _ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T
    where Builder.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        try await run(application: { onServerRunning in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: onServerRunning, logger: logger)
        }, body)
    }

    /// Serves an application the caller builds around `onServerRunning` (to be called once it
    /// listens), bound by the caller to 127.0.0.1 port 0: the marketplace's own
    /// `buildApplication`, say, with its server and connection limits exactly as `serve` has them.
    public static func run<App: ApplicationProtocol, T: Sendable>(application: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> App,
                                                                _ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        let port = Mutex<Int?>(nil)
        let app = application { channel in port.withLock { $0 = channel.localAddress?.port } }
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "loopback")))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var bound: Int?
            for _ in 0..<500 {
                bound = port.withLock { $0 }
                if bound != nil { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            guard let bound else { throw Failure.didNotStart }
            let result: T
            do { result = try await body("http://127.0.0.1:\(bound)") } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }
}
