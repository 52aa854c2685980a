/// A family of accounts with one account per owner (a user's wallet, a task's escrow).
///
/// The code holds `{<ownerKind>}` where the owner's id goes and, optionally, `{asset}`
/// where the asset's code goes: "wallet:user:{user}:{asset}".
public struct ChartTemplate: Sendable, Hashable {
    /// The code with its placeholders.
    public let code: String
    public let role: AccountRole
    /// Who owns each account ("user", "task"); also the name of the owner's placeholder.
    public let ownerKind: String
    public let type: AccountType
    /// The assets an account of this family may hold.
    public let assets: [Asset]
    public let flags: AccountFlags
    /// One line saying what each account carries.
    public let description: String

    /// The placeholder replaced by the asset's code.
    public static let assetPlaceholder = "{asset}"

    /// The placeholder replaced by the owner's id.
    public var ownerPlaceholder: String { "{\(ownerKind)}" }

    /// The account for `owner` in `asset`.
    ///
    /// - Precondition: `owner` is not empty and `asset` is one of `assets`.
    public func account(owner: String, asset: Asset) -> NewAccount {
        precondition(!owner.isEmpty, "\(role.rawValue) owner id is empty")
        precondition(assets.contains(asset), "\(role.rawValue) accounts do not hold \(asset.code)")
        // The owner's id goes in last, so text inside it is never taken for a placeholder.
        let code = code.replacing(Self.assetPlaceholder, with: asset.code).replacing(ownerPlaceholder, with: owner)
        return NewAccount(code: code, type: type, asset: asset, flags: flags, ownerKind: ownerKind, ownerID: owner)
    }
}
