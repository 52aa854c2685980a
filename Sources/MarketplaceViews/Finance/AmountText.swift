public import LedgerCore

/// Money as a finance person reads it: exact, with the asset's decimals and thousands grouped
/// by commas ("-1,234,567.89"). The digits are the ledger's own, never through a Double.
public enum AmountText {
    /// `minor` at `scale` with its thousands grouped.
    public static func grouped(_ minor: Int64, scale: Int) -> String {
        grouped(MinorUnits.format(minor, scale: scale))
    }

    /// An exact decimal string with its thousands grouped; "" stays "".
    public static func grouped(_ decimal: String) -> String {
        guard !decimal.isEmpty else { return "" }
        let negative = decimal.hasPrefix("-")
        let body = negative ? decimal.dropFirst() : Substring(decimal)
        let whole = body.prefix { $0 != "." }
        let fraction = body.dropFirst(whole.count)
        var text = ""
        for (index, digit) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (negative ? "-" : "") + text + fraction
    }
}
