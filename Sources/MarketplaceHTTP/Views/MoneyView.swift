public import LedgerCore

/// An amount on the wire: the exact decimal string, the integer in minor units, the asset.
public struct MoneyView: Codable, Sendable, Hashable {
    public let amount: String
    public let amountMinor: Int64
    public let asset: String

    public init(minor: Int64, asset: Asset) {
        amount = MinorUnits.format(minor, scale: asset.scale)
        amountMinor = minor
        self.asset = asset.code
    }
}
