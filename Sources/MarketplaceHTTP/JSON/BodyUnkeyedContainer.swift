/// An array of the body, read element by element.
struct BodyUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let decoder: BodyDecoder
    private(set) var currentIndex = 0

    init(elements: [JSONValue], decoder: BodyDecoder) {
        self.elements = elements
        self.decoder = decoder
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func decodeNil() throws -> Bool {
        guard elements[safe: currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try BodySingleValueContainer(decoder: try next(type)).decode(type)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try next(type).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try next([JSONValue].self).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let element = try next(JSONValue.self)
        currentIndex += 1
        return element
    }

    /// The decoder of the current element; past the end, the array is too short.
    private func next(_ type: Any.Type) throws -> BodyDecoder {
        guard let element = elements[safe: currentIndex] else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "\(decoder.field) has too few elements"))
        }
        return decoder.child(element, at: IndexKey(currentIndex))
    }
}

extension Array {
    /// The element at `index`, or nil past either end.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
