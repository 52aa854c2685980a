import ServiceLifecycle

/// One of the server's background loops (sweeper, chain follower, webhook dispatcher) as a
/// ServiceLifecycle service: it runs until the group shuts down gracefully, then its round in
/// progress is cancelled at its next wait and it ends without an error.
struct BackgroundLoop: Service {
    let name: String
    let loop: @Sendable () async throws -> Void

    init(name: String, _ loop: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.loop = loop
    }

    func run() async throws {
        do { try await cancelWhenGracefulShutdown { try await loop() } } catch is CancellationError {
            // Shut down: the loop was waiting for its next round.
        }
    }
}
