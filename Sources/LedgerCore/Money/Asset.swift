/// A currency or token the ledger counts, with the number of decimals in its minor unit.
///
/// The seeded assets match `Ledger/migrations/v0001_ledger.sql`: USD in cents (scale 2),
/// USDC in base units (scale 6) and ETH gas in gwei (scale 9; exact wei go in metadata).
public struct Asset: Sendable, Hashable, Codable {
    /// The asset's row id in the `assets` table.
    public let id: Int64
    /// The asset's code, e.g. "USD".
    public let code: String
    /// Decimal places between the major and the minor unit.
    public let scale: Int

    public init(id: Int64, code: String, scale: Int) {
        precondition(scale >= 0 && scale <= MinorUnits.scaleMax, "asset scale out of range")
        self.id = id
        self.code = code
        self.scale = scale
    }

    public static let usd = Asset(id: 1, code: "USD", scale: 2)
    public static let usdc = Asset(id: 2, code: "USDC", scale: 6)
    public static let eth = Asset(id: 3, code: "ETH", scale: 9)

    /// Every asset the ledger knows, in id order.
    public static let all: [Asset] = [.usd, .usdc, .eth]

    /// The asset with this code, or nil.
    public static func named(_ code: String) -> Asset? {
        all.first { $0.code == code }
    }

    /// The asset with this id, or nil.
    public static func withID(_ id: Int64) -> Asset? {
        all.first { $0.id == id }
    }
}
