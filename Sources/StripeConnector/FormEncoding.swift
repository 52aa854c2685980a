import Connectors
/// Stripe's request bodies: `application/x-www-form-urlencoded` with nested keys written in
/// brackets (`line_items[0][price_data][unit_amount]=2750`), in the order given.
public enum FormValue: Sendable, Equatable {
    case string(String)
    case object([(String, FormValue)])
    case list([FormValue])

    public static func == (lhs: FormValue, rhs: FormValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public static func int(_ value: Int64) -> FormValue { .string(String(value)) }

    /// A string-to-string map (metadata), keys sorted so the body is the same on every retry.
    public static func map(_ values: [String: String]) -> FormValue {
        .object(values.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }
}

public enum FormEncoding {
    /// The flattened `key=value` pairs of `fields`, keys with their brackets, nothing escaped.
    public static func pairs(_ fields: [(String, FormValue)]) -> [(String, String)] {
        var out: [(String, String)] = []
        func walk(_ key: String, _ value: FormValue) {
            switch value {
            case .string(let text): out.append((key, text))
            case .object(let members): for (name, member) in members { walk("\(key)[\(name)]", member) }
            case .list(let items): for (index, item) in items.enumerated() { walk("\(key)[\(index)]", item) }
            }
        }
        for (key, value) in fields { walk(key, value) }
        return out
    }

    /// The request body: each key and value percent-encoded (everything but unreserved
    /// characters, brackets included), joined with `=` and `&`.
    public static func body(_ fields: [(String, FormValue)]) -> String {
        pairs(fields).map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes the UTF-8 of `text`, leaving only `A-Z a-z 0-9 - . _ ~`.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Reads a form body back into pairs (`+` is a space); nil when an escape is broken or the
    /// bytes are not UTF-8. Used by the fake and by tests.
    public static func decode(_ body: String) -> [(String, String)]? {
        var out: [(String, String)] = []
        for part in body.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = unescape(halves[0]), let value = unescape(halves.count > 1 ? halves[1] : "") else { return nil }
            out.append((key, value))
        }
        return out
    }

    private static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Hex.value), let low = iterator.next().flatMap(Hex.value) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
