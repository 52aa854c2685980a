/// The id a creation's answer names, read from its JSON bytes without building the answer:
/// `data.id` (a string, or a whole number), else the `id` of the `task`, `key` or `user` that
/// `data` wraps. Everything else is skipped by a scan that only tracks strings and nesting,
/// which is all `LocationMiddleware` needs on every 201: a full parse of the answer cost 1.3 %
/// of `bench api`'s CPU through JSONSerialization, and still 1.2 % through JSONDecoder.
/// Malformed JSON reads as no id.
struct CreatedID {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var scanner = CreatedID(bytes: bytes)
        return scanner.created()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func created() -> String? {
        guard enterObject() else { return nil }
        while let key = nextKey() {
            guard matches(key, "data") else {
                guard skipValue() else { return nil }
                continue
            }
            return dataID()
        }
        return nil
    }

    /// Inside `data`: its own id, else the first wrapped object's.
    private mutating func dataID() -> String? {
        guard enterObject() else { return nil }
        var wrapped: String?
        while let key = nextKey() {
            if matches(key, "id"), let id = scalar() { return id }
            if wrapped == nil, matches(key, "task") || matches(key, "key") || matches(key, "user"), peek(UInt8(ascii: "{")) {
                wrapped = idMember()
                continue
            }
            guard skipValue() else { return wrapped }
        }
        return wrapped
    }

    /// The `id` member of the object at `index`; the whole object is consumed.
    private mutating func idMember() -> String? {
        guard enterObject() else { return nil }
        var found: String?
        while let key = nextKey() {
            if found == nil, matches(key, "id") {
                found = scalar()
                if found != nil { continue }
            }
            guard skipValue() else { return found }
        }
        return found
    }

    // MARK: - Scanning

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private func matches(_ key: Range<Int>, _ name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { name in zip(key, name).allSatisfy { bytes[$0] == $1 } }
    }

    private mutating func enterObject() -> Bool {
        skipSpace()
        guard peek(UInt8(ascii: "{")) else { return false }
        index += 1
        return true
    }

    /// The next member's key, with `index` at its value; nil at the object's end (consumed)
    /// or on malformed input.
    private mutating func nextKey() -> Range<Int>? {
        skipSpace()
        if peek(UInt8(ascii: ",")) { index += 1; skipSpace() }
        if peek(UInt8(ascii: "}")) { index += 1; return nil }
        guard let key = string() else { return nil }
        skipSpace()
        guard peek(UInt8(ascii: ":")) else { return nil }
        index += 1
        skipSpace()
        return key
    }

    /// The bytes between a string's quotes (escapes as they are), or nil.
    private mutating func string() -> Range<Int>? {
        guard peek(UInt8(ascii: "\"")) else { return nil }
        let start = index + 1
        index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            default: index += 1
            }
        }
        return nil
    }

    /// A string without escapes, or a whole number; nil (the value left for skipping) otherwise.
    private mutating func scalar() -> String? {
        guard index < bytes.count else { return nil }
        let start = index
        if peek(UInt8(ascii: "\"")) {
            guard let text = string(), !text.contains(where: { bytes[$0] == UInt8(ascii: "\\") }) else { index = start; return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[text]), as: UTF8.self)
        }
        if peek(UInt8(ascii: "-")) { index += 1 }
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        let digits = bytes[start] == UInt8(ascii: "-") ? start + 1 : start
        guard index > digits, index == bytes.count || !Self.isFraction(bytes[index]) else { index = start; return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private static func isFraction(_ byte: UInt8) -> Bool { byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") }
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
    private static func isDelimiter(_ byte: UInt8) -> Bool { byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") }

    /// Skips one value (string, number, literal, object or array); false if it is malformed.
    private mutating func skipValue() -> Bool {
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default: break
                }
                index += 1
            }
            return false
        default:
            let start = index
            while index < bytes.count, !Self.isDelimiter(bytes[index]), !Self.isSpace(bytes[index]) { index += 1 }
            return index > start
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
    }
}
