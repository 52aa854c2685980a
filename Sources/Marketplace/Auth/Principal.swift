/// Who is calling and what they may do, resolved once per request from its credentials.
public struct Principal: Sendable, Hashable {
    /// How the caller proved who they are.
    public enum Credential: Sendable, Hashable {
        case session
        case apiKey(id: String)
        /// A `tt_` token from anonymous posting: it manages only its one task.
        case taskToken(taskID: String)
    }

    public let userID: String
    public let mode: Mode
    public let scopes: Set<Scope>
    public let credential: Credential
    /// The user's role: agents and clients post tasks, humans do them.
    public let role: UserRole
    /// Granted from the command line; admins resolve disputes, verify workers and read the ledger.
    public let isAdmin: Bool

    public init(userID: String, mode: Mode, scopes: Set<Scope>, credential: Credential, role: UserRole = .agent, isAdmin: Bool = false) {
        self.userID = userID
        self.mode = mode
        // finance:read is for admins only, whatever a key or session claims.
        self.scopes = isAdmin ? scopes : scopes.subtracting([.financeRead])
        self.credential = credential
        self.role = role
        self.isAdmin = isAdmin
    }

    /// The task's owner, for what the marketplace does on the owner's standing orders (a mock
    /// operator accepted once funded, a score's auto-approval or auto-rejection).
    static func owner(of task: MarketTask) -> Principal {
        Principal(userID: task.ownerID, mode: task.mode, scopes: Set(Scope.allCases), credential: .session, role: .agent)
    }

    /// Refuses the call unless the caller holds `scope`.
    public func require(_ scope: Scope) throws(MarketplaceError) {
        guard scopes.contains(scope) else { throw .forbidden("this key lacks the \(scope.rawValue) scope") }
    }

    /// Refuses the call unless the caller's role posts tasks (agent or client).
    public func requirePoster() throws(MarketplaceError) {
        guard role != .human else { throw .forbidden("only agents and clients post and fund tasks; this account is a human") }
    }

    /// Refuses the call unless the caller's role does tasks (human).
    public func requireWorker() throws(MarketplaceError) {
        guard role == .human else { throw .forbidden("only humans apply to and submit work for tasks; this account is \(role.rawValue == "agent" ? "an" : "a") \(role.rawValue)") }
    }

    /// Refuses the call unless the caller is an admin.
    public func requireAdmin() throws(MarketplaceError) {
        guard isAdmin else { throw .forbidden("only an admin may do this") }
    }

    /// Refuses the call unless the caller is a logged-in person (keys cannot manage keys).
    public func requireSession() throws(MarketplaceError) {
        guard credential == .session else { throw .forbidden("API keys are managed from a logged-in session, not with a key") }
    }
}
