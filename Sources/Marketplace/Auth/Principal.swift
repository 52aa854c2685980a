/// Who is calling and what they may do, resolved once per request from its credentials.
public struct Principal: Sendable, Hashable {
    /// How the caller proved who they are.
    public enum Credential: Sendable, Hashable {
        case session
        case apiKey(id: String)
    }

    public let userID: String
    public let mode: Mode
    public let scopes: Set<Scope>
    public let credential: Credential

    /// Refuses the call unless the caller holds `scope`.
    public func require(_ scope: Scope) throws(MarketplaceError) {
        guard scopes.contains(scope) else { throw .forbidden("this key lacks the \(scope.rawValue) scope") }
    }

    /// Refuses the call unless the caller is a logged-in person (keys cannot manage keys).
    public func requireSession() throws(MarketplaceError) {
        guard credential == .session else { throw .forbidden("API keys are managed from a logged-in session, not with a key") }
    }
}
