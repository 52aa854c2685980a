/// How the API names a place in a JSON body: `budget.amount`, `deliverables[0].kind`, or
/// `body` for the whole of it. Swift property names become snake_case JSON names here, once.
enum FieldPath {
    /// The name of the whole body.
    static let root = "body"

    /// The JSON name of a coding path, e.g. `[budget, amount]` as `budget.amount`.
    static func render(_ codingPath: [any CodingKey]) -> String {
        let joined = codingPath.reduce("") { path, key in
            key.intValue.map { index(path, $0) } ?? member(path, snakeCase(key.stringValue))
        }
        return joined.isEmpty ? root : joined
    }

    /// The path of a member of the object at `path` ("" is the top level).
    static func member(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The path of an element of the array at `path`.
    static func index(_ path: String, _ index: Int) -> String { "\(path)[\(index)]" }

    /// Set while a dialect that spells its JSON in camelCase (seed 004) reads a body: names
    /// are then the Swift property names as they are.
    @TaskLocal static var camelCaseKeys = false

    /// A Swift property name as the JSON spells it: `callbackUrl` is `callback_url` (as it is
    /// while `camelCaseKeys` is set).
    static func snakeCase(_ name: String) -> String {
        if camelCaseKeys { return name }
        // Property names are ASCII: their bytes are read directly (Character's case properties
        // cost 1.2 % of `bench api`'s CPU, read for every member of every body).
        let utf8 = name.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return name }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count + 4)
            for byte in utf8 {
                if (0x41...0x5A).contains(byte) { bytes.append(UInt8(ascii: "_")); bytes.append(byte + 0x20) } else { bytes.append(byte) }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }

    /// A JSON name as a Swift property name: `callback_url` is `callbackUrl`.
    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard let first = parts.first else { return name }
        return parts.dropFirst().reduce(String(first)) { $0 + $1.prefix(1).uppercased() + $1.dropFirst() }
    }
}
