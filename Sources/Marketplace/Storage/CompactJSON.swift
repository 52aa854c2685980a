public import Foundation
import Synchronization

/// JSON text from `Encodable` values, byte for byte what Foundation's `JSONEncoder` writes with
/// the matching settings (slashes unescaped; checked in tests), at a fraction of its cost: keys
/// are converted once per distinct name and remembered, values go into a small tree written out
/// in one pass. `storage` is JSONEncoder's default keys, for the JSON kept in the database (an
/// operation's batch, a task's spec), which JSONDecoder reads back; the API's style (snake_case,
/// sorted) is chosen at the edge (`JSONOutput.compact` in MarketplaceViews).
///
/// Written by hand because `bench api` measured it: Foundation's JSONEncoder was 10 % of the
/// whole process's CPU (the API's answers, and the batches and specs the writer thread stores),
/// and this encoder in its place took 4 to 13 % off the CPU per lifecycle (README, Performance).
public struct CompactJSON: Sendable {
    public let snakeCaseKeys: Bool
    public let sortedKeys: Bool

    public static let storage = CompactJSON(snakeCaseKeys: false, sortedKeys: false)

    public init(snakeCaseKeys: Bool, sortedKeys: Bool) {
        self.snakeCaseKeys = snakeCaseKeys
        self.sortedKeys = sortedKeys
    }

    /// The JSON bytes of `value`. Slashes are not escaped; non-finite numbers are refused.
    public func encode(_ value: some Encodable) throws -> [UInt8] {
        let node = try JSONTreeEncoder.node(for: value, snakeCase: snakeCaseKeys)
        var output: [UInt8] = []
        output.reserveCapacity(512)
        try node.write(to: &output, sortedKeys: sortedKeys)
        return output
    }

    /// The JSON text of `value`.
    public func string(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

/// A JSON value under construction. Objects and arrays are classes so that a container handed
/// out by the encoder fills the tree in place.
enum JSONNode {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    /// Written with Float's own shortest form (0.1 stays 0.1, as JSONEncoder writes it).
    case float(Float)
    case number(String)
    case string(String)
    case object(JSONObject)
    case array(JSONArray)
    /// A value an encoder fills later (`superEncoder`, a nested value being encoded).
    case slot(JSONSlot)

    func write(to output: inout [UInt8], sortedKeys: Bool) throws {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .unsigned(let value): output.append(contentsOf: String(value).utf8)
        case .double(let value): try Self.write(number: value, value.isFinite, to: &output)
        case .float(let value): try Self.write(number: value, value.isFinite, to: &output)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .string(let text): Self.write(string: text, to: &output)
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in (sortedKeys ? object.members.sorted(by: { $0.key < $1.key }) : object.members).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.write(string: member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                try member.value.write(to: &output, sortedKeys: sortedKeys)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (index, item) in array.items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try item.write(to: &output, sortedKeys: sortedKeys)
            }
            output.append(UInt8(ascii: "]"))
        case .slot(let slot): try slot.node.write(to: &output, sortedKeys: sortedKeys)
        }
    }

    /// A finite number in its shortest round-tripping form, without a trailing ".0".
    private static func write(number: some CustomStringConvertible, _ isFinite: Bool, to output: inout [UInt8]) throws {
        guard isFinite else {
            throw EncodingError.invalidValue(number, .init(codingPath: [], debugDescription: "\(number) is not a JSON number"))
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        output.append(contentsOf: text.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quote, backslash and control characters escaped, everything else (slashes
    /// and non-ASCII text included) as its UTF-8 bytes.
    static func write(string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// A `[String: Value]`, whose keys are data rather than coding keys.
protocol StringKeyedDictionary {
    func jsonMembers(snakeCase: Bool) throws -> [(key: String, value: JSONNode)]
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    func jsonMembers(snakeCase: Bool) throws -> [(key: String, value: JSONNode)] {
        try map { (key: $0.key, value: try JSONTreeEncoder.node(for: $0.value, snakeCase: snakeCase)) }
    }
}

final class JSONObject {
    var members: [(key: String, value: JSONNode)] = []
}

final class JSONArray {
    var items: [JSONNode] = []
}

final class JSONSlot {
    var node: JSONNode = .null
}

/// The `Encoder` that builds a `JSONNode` tree; one per value that encodes itself.
final class JSONTreeEncoder: Encoder {
    let codingPath: [any CodingKey] = []
    let userInfo: [CodingUserInfoKey: Any] = [:]
    let slot = JSONSlot()
    /// Coding keys in snake_case (JSONEncoder's `.convertToSnakeCase`), or as they are.
    let snakeCase: Bool

    init(snakeCase: Bool) {
        self.snakeCase = snakeCase
    }

    /// The tree of `value`: primitives directly, Foundation's special cases as JSONEncoder
    /// writes them by default, anything else through its own `encode(to:)`.
    static func node<T: Encodable>(for value: T, snakeCase: Bool) throws -> JSONNode {
        switch value {
        case let text as String: return .string(text)
        case let number as Int: return .integer(Int64(number))
        case let number as Int64: return .integer(number)
        case let flag as Bool: return .bool(flag)
        case let number as Double: return .double(number)
        case let url as URL: return .string(url.absoluteString)
        case let date as Date: return .double(date.timeIntervalSinceReferenceDate)
        case let data as Data: return .string(data.base64EncodedString())
        case let decimal as Decimal: return .number(decimal.description)
        case let dictionary as any StringKeyedDictionary:
            // JSONEncoder leaves a dictionary's own keys as they are; only coding keys convert.
            let object = JSONObject()
            object.members = try dictionary.jsonMembers(snakeCase: snakeCase)
            return .object(object)
        default:
            let encoder = JSONTreeEncoder(snakeCase: snakeCase)
            try value.encode(to: encoder)
            return encoder.slot.node
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let object) = slot.node { return KeyedEncodingContainer(KeyedContainer<Key>(object: object, snakeCase: snakeCase)) }
        let object = JSONObject()
        slot.node = .object(object)
        return KeyedEncodingContainer(KeyedContainer<Key>(object: object, snakeCase: snakeCase))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let array) = slot.node { return UnkeyedContainer(array: array, snakeCase: snakeCase) }
        let array = JSONArray()
        slot.node = .array(array)
        return UnkeyedContainer(array: array, snakeCase: snakeCase)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(slot: slot, snakeCase: snakeCase) }

    /// JSONEncoder's `.convertToSnakeCase`, remembered per key: "taskID" → "task_id",
    /// "fundURL" → "fund_url", "availableMinor" → "available_minor".
    static func snakeCase(_ key: String) -> String {
        if let known = snakeCaseKeys.withLock({ $0[key] }) { return known }
        let converted = convertToSnakeCase(key)
        snakeCaseKeys.withLock { keys in
            if keys.count < 4_096 { keys[key] = converted }
        }
        return converted
    }

    private static let snakeCaseKeys = Mutex<[String: String]>([:])

    static func convertToSnakeCase(_ key: String) -> String {
        guard key.contains(where: \.isUppercase) else { return key }
        let characters = Array(key)
        var words: [String] = []
        var start = 0
        var index = 1
        while index < characters.count {
            if characters[index].isUppercase {
                // A run of capitals is one word, except its last letter when a lowercase follows
                // ("fundURLNext" → fund, url, next).
                if !characters[index - 1].isUppercase || (index + 1 < characters.count && characters[index + 1].isLowercase) {
                    words.append(String(characters[start..<index]))
                    start = index
                }
            }
            index += 1
        }
        words.append(String(characters[start...]))
        return words.map { $0.lowercased() }.joined(separator: "_")
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let object: JSONObject
        let snakeCase: Bool
        var codingPath: [any CodingKey] { [] }

        private func name(_ key: String) -> String { snakeCase ? JSONTreeEncoder.snakeCase(key) : key }

        private func add(_ node: JSONNode, _ key: Key) {
            object.members.append((name(key.stringValue), node))
        }

        mutating func encodeNil(forKey key: Key) throws { add(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { add(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { add(.string(value), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { add(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { add(.integer(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { add(.double(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { add(.float(value), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { add(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { add(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { add(.integer(Int64(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { add(.unsigned(UInt64(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { add(.unsigned(UInt64(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { add(.unsigned(UInt64(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { add(.unsigned(UInt64(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { add(.unsigned(value), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { add(try JSONTreeEncoder.node(for: value, snakeCase: snakeCase), key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = JSONObject()
            add(.object(nested), key)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, snakeCase: snakeCase))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = JSONArray()
            add(.array(nested), key)
            return UnkeyedContainer(array: nested, snakeCase: snakeCase)
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

        private func superEncoder(named key: String) -> any Encoder {
            let encoder = JSONTreeEncoder(snakeCase: snakeCase)
            object.members.append((name(key), .slot(encoder.slot)))
            return encoder
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let array: JSONArray
        let snakeCase: Bool
        var codingPath: [any CodingKey] { [] }
        var count: Int { array.items.count }

        mutating func encodeNil() throws { array.items.append(.null) }
        mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
        mutating func encode(_ value: Bool) throws { array.items.append(.bool(value)) }
        mutating func encode(_ value: Int) throws { array.items.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int8) throws { array.items.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int16) throws { array.items.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int32) throws { array.items.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int64) throws { array.items.append(.integer(value)) }
        mutating func encode(_ value: UInt) throws { array.items.append(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt8) throws { array.items.append(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt16) throws { array.items.append(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt32) throws { array.items.append(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt64) throws { array.items.append(.unsigned(value)) }
        mutating func encode(_ value: Float) throws { array.items.append(.float(value)) }
        mutating func encode(_ value: Double) throws { array.items.append(.double(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { array.items.append(try JSONTreeEncoder.node(for: value, snakeCase: snakeCase)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = JSONObject()
            array.items.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, snakeCase: snakeCase))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = JSONArray()
            array.items.append(.array(nested))
            return UnkeyedContainer(array: nested, snakeCase: snakeCase)
        }

        mutating func superEncoder() -> any Encoder {
            let encoder = JSONTreeEncoder(snakeCase: snakeCase)
            array.items.append(.slot(encoder.slot))
            return encoder
        }
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let slot: JSONSlot
        let snakeCase: Bool
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { slot.node = .null }
        mutating func encode(_ value: Bool) throws { slot.node = .bool(value) }
        mutating func encode(_ value: String) throws { slot.node = .string(value) }
        mutating func encode(_ value: Int) throws { slot.node = .integer(Int64(value)) }
        mutating func encode(_ value: Int64) throws { slot.node = .integer(value) }
        mutating func encode(_ value: UInt64) throws { slot.node = .unsigned(value) }
        mutating func encode(_ value: Int8) throws { slot.node = .integer(Int64(value)) }
        mutating func encode(_ value: Int16) throws { slot.node = .integer(Int64(value)) }
        mutating func encode(_ value: Int32) throws { slot.node = .integer(Int64(value)) }
        mutating func encode(_ value: UInt) throws { slot.node = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { slot.node = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { slot.node = .unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { slot.node = .unsigned(UInt64(value)) }
        mutating func encode(_ value: Float) throws { slot.node = .float(value) }
        mutating func encode(_ value: Double) throws { slot.node = .double(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { slot.node = try JSONTreeEncoder.node(for: value, snakeCase: snakeCase) }
    }
}
