/// What the platform tells agents about the server they reach: which mode it serves and its
/// request limits. `marketplace serve` passes its own; `marketplace mcp` (stdio, no HTTP limits)
/// passes the key's mode and no limits.
public struct PlatformFacts: Sendable, Hashable {
    /// "test" or "live".
    public let mode: String
    /// Requests per minute by class of endpoint ("auth", "write", "read"); empty without limits.
    public let rateLimitsPerMinute: [String: Int]

    public init(mode: String, rateLimitsPerMinute: [String: Int]) {
        self.mode = mode
        self.rateLimitsPerMinute = rateLimitsPerMinute
    }
}
