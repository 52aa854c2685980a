/// Exact decimal parsing and formatting of amounts in an asset's minor unit.
///
/// Money is never a floating-point value here: a decimal string such as "12.30" becomes
/// 1230 cents by integer arithmetic, and anything that would lose precision is refused.
public enum MinorUnits {
    /// The largest scale an asset may have (ETH in wei would be 18).
    public static let scaleMax = 18
    /// The longest decimal string accepted, sign and point included.
    public static let decimalLengthMax = 40

    /// Parses a decimal string ("12", "12.3", "-0.05") to minor units at `scale`.
    ///
    /// Refuses more decimals than the scale, exponents, spaces, empty parts and values
    /// that do not fit in 64 bits; never rounds.
    public static func parse(_ text: String, scale: Int) throws(AmountError) -> Int64 {
        precondition(scale >= 0 && scale <= scaleMax)
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= decimalLengthMax else { throw .malformed(text) }
        var index = 0
        var negative = false
        // A leading '-' only: "+5" is refused wherever an amount enters (API, MCP, command line).
        if utf8[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        var whole: [UInt8] = []
        var fraction: [UInt8] = []
        var seenPoint = false
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw .malformed(text) }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if seenPoint { fraction.append(byte - 48) } else { whole.append(byte - 48) }
            } else {
                throw .malformed(text)
            }
            index += 1
        }
        guard !whole.isEmpty, !(seenPoint && fraction.isEmpty) else { throw .malformed(text) }
        // Trailing zeros carry no precision: "1.500" is fine for a scale of 2.
        while let last = fraction.last, last == 0, fraction.count > scale { fraction.removeLast() }
        guard fraction.count <= scale else {
            throw .tooManyDecimals(text, scale: scale)
        }
        var value: Int64 = 0
        for digit in whole + fraction + Array(repeating: 0, count: scale - fraction.count) {
            value = try multiplyAdd(value, 10, Int64(digit), text: text)
        }
        return negative ? -value : value
    }

    /// Formats minor units as a decimal string with exactly `scale` decimals ("12.30").
    /// 10^scale, the minor units in one whole unit (scale at most 18, so it fits Int64).
    public static func factor(scale: Int) -> Int64 {
        precondition((0...scaleMax).contains(scale), "scale \(scale) is out of range")
        var factor: Int64 = 1
        for _ in 0..<scale { factor *= 10 }
        return factor
    }

    public static func format(_ minor: Int64, scale: Int) -> String {
        precondition(scale >= 0 && scale <= scaleMax)
        let magnitude = minor.magnitude
        let digits = String(magnitude)
        let sign = minor < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -scale)
        return sign + padded[..<point] + "." + padded[point...]
    }

    /// Adds two amounts, refusing overflow instead of wrapping.
    public static func add(_ lhs: Int64, _ rhs: Int64) throws(AmountError) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard !overflow else { throw .overflow }
        return sum
    }

    /// Subtracts two amounts, refusing overflow instead of wrapping.
    public static func subtract(_ lhs: Int64, _ rhs: Int64) throws(AmountError) -> Int64 {
        let (difference, overflow) = lhs.subtractingReportingOverflow(rhs)
        guard !overflow else { throw .overflow }
        return difference
    }

    private static func multiplyAdd(_ value: Int64, _ factor: Int64, _ addend: Int64, text: String) throws(AmountError) -> Int64 {
        let (product, overflowMultiply) = value.multipliedReportingOverflow(by: factor)
        let (sum, overflowAdd) = product.addingReportingOverflow(addend)
        guard !overflowMultiply, !overflowAdd else { throw .outOfRange(text) }
        return sum
    }
}

/// Why an amount could not be read or computed.
public enum AmountError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a plain decimal number (exponents, spaces, several points, empty parts).
    case malformed(String)
    /// More decimal places than the asset's minor unit has.
    case tooManyDecimals(String, scale: Int)
    /// Does not fit in a signed 64-bit count of minor units.
    case outOfRange(String)
    /// A sum or difference left the 64-bit range.
    case overflow

    public var description: String {
        switch self {
        case .malformed(let text): "'\(text)' is not a decimal number"
        case .tooManyDecimals(let text, let scale): "'\(text)' has more than \(scale) decimal places"
        case .outOfRange(let text): "'\(text)' is out of range"
        case .overflow: "amount arithmetic overflowed"
        }
    }
}
