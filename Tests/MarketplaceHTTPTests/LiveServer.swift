import LoopbackServer
import MarketplaceHTTP

/// `buildApplication` itself on a loopback port the system picks, for as long as `body` runs:
/// the server configuration (connection limits included) exactly as `marketplace serve` uses
/// it; stopped gracefully afterwards.
enum LiveServer {
    static func run(_ configuration: ServerConfiguration, services: Services, _ body: @Sendable (_ port: Int) async throws -> Void) async throws {
        var loopback = configuration
        loopback.host = "127.0.0.1"
        loopback.port = 0
        let configured = loopback
        try await LoopbackServer.run(application: { onServerRunning in
            buildApplication(configured, services: services, onServerRunning: onServerRunning)
        }) { baseURL in
            guard let port = Int(baseURL.split(separator: ":").last ?? "") else { throw LoopbackServer.Failure.didNotStart }
            try await body(port)
        }
    }
}
