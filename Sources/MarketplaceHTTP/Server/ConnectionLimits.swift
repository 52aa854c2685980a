/// How long the server waits on a connection, and how many it holds open. A connection that
/// overstays a timeout is closed; past the cap, new connections wait in the listen backlog
/// until one closes.
public struct ConnectionLimits: Sendable, Hashable {
    /// From accepting a connection to its first request's complete head.
    public static let headerReadSecondsStandard: Int64 = 10
    /// From the end of a response to the complete head of the next request on the same
    /// keep-alive connection.
    public static let idleSecondsStandard: Int64 = 60
    /// From a request's head to the end of its body (the whole body, not each read).
    public static let bodyReadSecondsStandard: Int64 = 30
    /// Connections open at once; under the usual 1024 open files per process.
    public static let connectionsMaxStandard = 512

    public var headerReadTimeout: Duration
    public var idleTimeout: Duration
    public var bodyReadTimeout: Duration
    public var connectionsMax: Int

    public init(headerReadTimeout: Duration, idleTimeout: Duration, bodyReadTimeout: Duration, connectionsMax: Int) {
        precondition(connectionsMax >= 1, "a server holds at least one connection")
        self.headerReadTimeout = headerReadTimeout
        self.idleTimeout = idleTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.connectionsMax = connectionsMax
    }

    /// What `marketplace serve` enforces.
    public static let standard = ConnectionLimits(
        headerReadTimeout: .seconds(headerReadSecondsStandard), idleTimeout: .seconds(idleSecondsStandard),
        bodyReadTimeout: .seconds(bodyReadSecondsStandard), connectionsMax: connectionsMaxStandard)
}
