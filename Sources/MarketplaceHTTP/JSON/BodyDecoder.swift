import Foundation

/// Decodes a request body's `Decodable` from a `JSONValue`: properties are matched by their
/// snake_case names, numbers are read from their exact text (a Double only for a Double
/// field), text fields refuse control characters, and every key asked for is recorded in
/// `usage` so that the caller can refuse the keys nobody asked for.
struct BodyDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let usage: KeyUsage
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The path of this value as the API names it (`budget.amount`), "" at the top level.
    var path: String { codingPath.isEmpty ? "" : FieldPath.render(codingPath) }
    /// The path for messages: `body` at the top level.
    var field: String { FieldPath.render(codingPath) }

    func child(_ value: JSONValue, at key: any CodingKey) -> BodyDecoder {
        BodyDecoder(value: value, codingPath: codingPath + [key], usage: usage)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch(Key.self, expected: "an object") }
        usage.opened(path)
        return KeyedDecodingContainer(BodyKeyedContainer<Key>(members: members, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self, expected: "an array") }
        return BodyUnkeyedContainer(elements: elements, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { BodySingleValueContainer(decoder: self) }

    /// `field must be <expected>, not <what it is>`.
    func mismatch(_ type: Any.Type, expected: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "\(field) must be \(expected), not \(value.kind)"))
    }

    /// A refusal of a value of the right kind.
    func corrupted(_ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: message))
    }
}

/// The position of an array element in a coding path.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
