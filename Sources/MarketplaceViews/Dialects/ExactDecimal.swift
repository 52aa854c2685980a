public import Foundation
public import LedgerCore

/// An amount for the dialects that answer money as a JSON number: a Decimal parsed from the
/// exact decimal text of its minor units, so no binary rounding ever reaches the client.
public enum ExactDecimal {
    public static func of(_ minor: Int64, _ asset: Asset) -> Decimal {
        Decimal(string: MinorUnits.format(minor, scale: asset.scale), locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }
}
