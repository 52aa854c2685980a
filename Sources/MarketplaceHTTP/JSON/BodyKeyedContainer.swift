/// An object of the body, read by its snake_case keys; each key asked for is recorded.
struct BodyKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [JSONValue.Member]
    let decoder: BodyDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        members.compactMap { member in
            Key(stringValue: FieldPath.camelCase(member.key)).flatMap { FieldPath.snakeCase($0.stringValue) == member.key ? $0 : nil }
        }
    }

    func contains(_ key: Key) -> Bool { value(for: key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = value(for: key) else { throw notFound(key) }
        return value == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = value(for: key) else { throw notFound(key) }
        return try BodySingleValueContainer(decoder: decoder.child(value, at: key)).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        guard let value = value(for: key) else { throw notFound(key) }
        return try decoder.child(value, at: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        guard let value = value(for: key) else { throw notFound(key) }
        return try decoder.child(value, at: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        guard let value = value(for: key) else { throw notFound(key) }
        return decoder.child(value, at: key)
    }

    /// The member named `key` in snake_case, recording that the type asked for it.
    private func value(for key: Key) -> JSONValue? {
        let name = FieldPath.snakeCase(key.stringValue)
        decoder.usage.ask(name, at: decoder.path)
        return members.first { $0.key == name }?.value
    }

    private func notFound(_ key: Key) -> DecodingError {
        .keyNotFound(key, .init(codingPath: codingPath, debugDescription: "\(FieldPath.render(codingPath + [key])) is required"))
    }
}
