/// Why a fee could not be computed. `field` names the input at fault in the API's spelling.
public enum FeePolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The value is outside what the field accepts.
    case invalid(field: String, value: Int64, reason: String)
    /// The result would not fit in a signed 64-bit count of minor units.
    case overflow(field: String)

    /// The input or result at fault.
    public var field: String {
        switch self {
        case .invalid(let field, _, _), .overflow(let field): field
        }
    }

    public var description: String {
        switch self {
        case .invalid(let field, let value, let reason): "\(field) \(value) is invalid: \(reason)"
        case .overflow(let field): "\(field) would overflow"
        }
    }
}
