/// What an API key may do. A session (a person logged in) may do everything its user may.
public enum Scope: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case tasksRead = "tasks:read"
    case tasksWrite = "tasks:write"
    case walletRead = "wallet:read"
    case walletWrite = "wallet:write"
    case messagesRead = "messages:read"
    case messagesWrite = "messages:write"
    case webhooks
    case financeRead = "finance:read"

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Parses scope names, naming the first unknown one.
    static func parse(_ names: [String]) throws(MarketplaceError) -> Set<Scope> {
        var scopes: Set<Scope> = []
        for name in names {
            guard let scope = Scope(rawValue: name) else {
                throw .validation(field: "scopes", message: "unknown scope '\(name)'; known: \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw .validation(field: "scopes", message: "a key needs at least one scope") }
        return scopes
    }
}
