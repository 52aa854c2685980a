public import Marketplace

/// Who the tools run for: the principal of an API key, or someone without one, who may use the
/// public tools only (seed 000's tools without "Auth Required", seed 002's `create_task`):
/// published tasks, categories, pricing and platform facts, and an anonymous post answered
/// with its task token. Everything else answers UNAUTHORIZED.
public enum ToolCaller: Sendable, Hashable {
    case principal(Principal)
    /// No key: the server's mode, and the address anonymous posts are counted by.
    case anonymous(mode: Mode, clientAddress: String)

    /// The key's principal; nil without a key.
    public var principal: Principal? {
        if case .principal(let principal) = self { return principal }
        return nil
    }

    /// The mode the caller's reads and writes are in.
    public var mode: Mode {
        switch self {
        case .principal(let principal): principal.mode
        case .anonymous(let mode, _): mode
        }
    }
}
