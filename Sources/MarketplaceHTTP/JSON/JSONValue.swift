/// A JSON value as `StrictJSONParser` read it: object members keep their order and numbers
/// keep their exact text, so that money and large numbers never pass through a Double.
indirect enum JSONValue: Sendable, Equatable {
    case object([Member])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// One `"key": value` of an object.
    struct Member: Sendable, Equatable {
        let key: String
        let value: JSONValue
    }

    /// What the value is, for messages ("title must be a string, not a number").
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
