/// Lower-case hex, the way Stripe writes signatures (no prefix) and Ethereum writes bytes (0x).
/// The one hex codec of the connectors and the marketplace.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        if prefix { out += [UInt8(ascii: "0"), UInt8(ascii: "x")] }
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes of `text` (with or without 0x; upper or lower case); nil for an odd length or a non-hex digit.
    public static func decode(_ text: String) -> [UInt8]? {
        var digits = Array(text.utf8)
        if digits.count >= 2, digits[0] == UInt8(ascii: "0"), digits[1] == UInt8(ascii: "x") || digits[1] == UInt8(ascii: "X") {
            digits.removeFirst(2)
        }
        guard digits.count.isMultiple(of: 2) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// The value of one hex digit (either case), or nil.
    public static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
