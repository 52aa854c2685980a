/// JSON as the fake writes it, members in the order given (Stripe's objects are written
/// the way its API documents them, independently of the client's decoders).
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case object([Member])
    case array([JSONValue])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    public static func map(_ values: [String: String]) -> JSONValue {
        .object(values.sorted { $0.key < $1.key }.map { Member($0.key, .string($0.value)) })
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out, indent: 0)
        return out
    }

    /// Stripe sends events pretty-printed, two spaces per level.
    private func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .string(let text): Self.writeString(text, into: &out)
        case .int(let value): out += Array(String(value).utf8)
        case .bool(let value): out += Array((value ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        case .array(let items):
            if items.isEmpty { out += Array("[]".utf8); return }
            out += Array("[\n".utf8)
            for (index, item) in items.enumerated() {
                out += Array(repeating: UInt8(ascii: " "), count: indent + 2)
                item.write(into: &out, indent: indent + 2)
                out += Array((index == items.count - 1 ? "\n" : ",\n").utf8)
            }
            out += Array(repeating: UInt8(ascii: " "), count: indent) + [UInt8(ascii: "]")]
        case .object(let members):
            if members.isEmpty { out += Array("{}".utf8); return }
            out += Array("{\n".utf8)
            for (index, member) in members.enumerated() {
                out += Array(repeating: UInt8(ascii: " "), count: indent + 2)
                Self.writeString(member.key, into: &out)
                out += Array(": ".utf8)
                member.value.write(into: &out, indent: indent + 2)
                out += Array((index == members.count - 1 ? "\n" : ",\n").utf8)
            }
            out += Array(repeating: UInt8(ascii: " "), count: indent) + [UInt8(ascii: "}")]
        }
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += Array("\\\"".utf8)
            case "\\": out += Array("\\\\".utf8)
            case "\n": out += Array("\\n".utf8)
            case "\r": out += Array("\\r".utf8)
            case "\t": out += Array("\\t".utf8)
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
