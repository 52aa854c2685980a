/// An RFC 8259 parser that accepts JSON and nothing else. Unlike `JSONSerialization` it refuses
/// duplicate keys (naming them, `location.lat`), trailing commas, comments, leading zeros,
/// bare words, invalid UTF-8, lone surrogates and anything after the value; numbers are kept as
/// their text, so `1e308` is valid JSON here and its field decides whether it fits.
struct StrictJSONParser {
    /// The deepest nesting accepted; it also bounds this parser's recursion.
    static let depthMax = 32

    private let bytes: [UInt8]
    private var index = 0
    /// Where the parser is, as `FieldPath` renders it ("" at the top level).
    private var path = ""

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The value `bytes` holds, or the first reason they are not exactly one JSON value.
    static func parse(_ bytes: [UInt8]) throws(StrictJSONError) -> JSONValue {
        var parser = StrictJSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.syntax("unexpected text after the JSON value") }
        return value
    }

    private mutating func value(depth: Int) throws(StrictJSONError) -> JSONValue {
        guard depth < Self.depthMax else { throw syntax("nested deeper than \(Self.depthMax) levels") }
        guard let byte = peek() else { throw syntax("the body ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: throw syntax("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws(StrictJSONError) -> JSONValue {
        index += 1
        var members: [JSONValue.Member] = []
        var seen = Set<String>()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return .object([]) }
        let parent = path
        defer { path = parent }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw syntax("expected a quoted key") }
            let key = try string()
            let field = FieldPath.member(parent, key)
            guard seen.insert(key).inserted else { throw StrictJSONError(field: field, message: "\(field) appears twice; each key may appear once") }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw syntax("expected ':' after a key") }
            index += 1
            skipWhitespace()
            path = field
            members.append(.init(key: key, value: try value(depth: depth + 1)))
            path = parent
            guard try endOfList(UInt8(ascii: "}")) == false else { return .object(members) }
        }
    }

    private mutating func array(depth: Int) throws(StrictJSONError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return .array([]) }
        let parent = path
        defer { path = parent }
        while true {
            skipWhitespace()
            path = FieldPath.index(parent, elements.count)
            elements.append(try value(depth: depth + 1))
            path = parent
            guard try endOfList(UInt8(ascii: "]")) == false else { return .array(elements) }
        }
    }

    /// After a member or element: true at the closing bracket, false after a comma.
    private mutating func endOfList(_ closing: UInt8) throws(StrictJSONError) -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ",")?: index += 1; return false
        case closing?: index += 1; return true
        default: throw syntax("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
        }
    }

    private mutating func number() throws(StrictJSONError) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), Self.isDigit(next) { throw syntax("a number may not start with 0") }
        } else {
            try digits()
        }
        if peek() == UInt8(ascii: ".") { index += 1; try digits() }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// One or more digits.
    private mutating func digits() throws(StrictJSONError) {
        guard let byte = peek(), Self.isDigit(byte) else { throw syntax("a number needs a digit") }
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }

    private mutating func string() throws(StrictJSONError) -> String {
        index += 1
        var utf8: [UInt8] = []
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw syntax("a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"): try escape(into: &utf8)
            case 0..<0x20: throw syntax("a string holds a raw control character")
            default: utf8.append(byte)
            }
        }
        throw syntax("a string is not closed")
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(StrictJSONError) {
        guard let byte = peek() else { throw syntax("a string is not closed") }
        index += 1
        let simple: [UInt8: UInt8] = [UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
                                      UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09]
        if let plain = simple[byte] { utf8.append(plain); return }
        guard byte == UInt8(ascii: "u") else { throw syntax("unknown escape '\\\(Character(Unicode.Scalar(byte)))'") }
        UTF8.encode(try unicodeEscape()) { utf8.append($0) }
    }

    /// The scalar of `\uXXXX` (the `\u` read), joining a surrogate pair; a lone surrogate is refused.
    private mutating func unicodeEscape() throws(StrictJSONError) -> Unicode.Scalar {
        let unit = try hex4()
        if (0xD800...0xDBFF).contains(unit) {
            guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw syntax("a string holds a lone surrogate")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low), let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) else {
                throw syntax("a string holds a lone surrogate")
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(unit) else { throw syntax("a string holds a lone surrogate") }
        return scalar
    }

    private mutating func hex4() throws(StrictJSONError) -> UInt32 {
        guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy({ $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit }),
              let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw syntax("\\u needs four hex digits")
        }
        index += 4
        return value
    }

    private mutating func literal(_ word: String) throws(StrictJSONError) {
        let expected = Array(word.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw syntax("unexpected word; JSON has only true, false and null")
        }
        index += expected.count
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func syntax(_ reason: String) -> StrictJSONError {
        StrictJSONError(field: FieldPath.root, message: "the body is not valid JSON: \(reason) at byte \(index)")
    }
}
