/// Why a chart of accounts could not be loaded. `code` names the entry at fault.
public enum ChartError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON of the expected shape.
    case malformed(String)
    case unsupportedVersion(Int)
    case unknownAsset(code: String, asset: String)
    case unknownFlag(code: String, flag: String)
    case unknownRole(code: String, role: String)
    case unknownType(code: String, type: String)
    /// The entry's type is not the one its role requires.
    case typeMismatch(code: String, role: AccountRole, type: AccountType)
    /// Empty, too long, or a template used as a platform account (or the reverse).
    case codeInvalid(code: String)
    case duplicateCode(code: String)
    /// A second platform account with the same role, connector and asset.
    case duplicateRole(code: String)
    case connectorMissing(code: String)
    case placeholderMissing(code: String, placeholder: String)
    case flagsConflict(code: String)
    /// A role the platform cannot run without is absent.
    case roleMissing(AccountRole)

    public var description: String {
        switch self {
        case .malformed(let reason): "chart of accounts is malformed: \(reason)"
        case .unsupportedVersion(let version): "chart of accounts version \(version) is not supported"
        case .unknownAsset(let code, let asset): "\(code): unknown asset '\(asset)'"
        case .unknownFlag(let code, let flag): "\(code): unknown flag '\(flag)'"
        case .unknownRole(let code, let role): "\(code): unknown role '\(role)'"
        case .unknownType(let code, let type): "\(code): unknown account type '\(type)'"
        case .typeMismatch(let code, let role, let type): "\(code): a \(role.rawValue) account must be \(role.accountType.rawValue), not \(type.rawValue)"
        case .codeInvalid(let code): "'\(code)' is not a valid code for its entry"
        case .duplicateCode(let code): "\(code) appears twice"
        case .duplicateRole(let code): "\(code) repeats the role, connector and asset of another account"
        case .connectorMissing(let code): "\(code): its role needs a connector"
        case .placeholderMissing(let code, let placeholder): "\(code): template lacks \(placeholder)"
        case .flagsConflict(let code): "\(code): cannot constrain both debits and credits"
        case .roleMissing(let role): "chart of accounts has no \(role.rawValue) entry"
        }
    }
}
