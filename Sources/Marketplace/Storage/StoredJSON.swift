import Foundation

/// The JSON kept in the database (an operation's batch, a task's spec, a connector call's
/// request): JSONEncoder's default keys, which JSONDecoder reads back, written by CompactJSON.
enum StoredJSON {
    static func string(_ value: some Encodable) throws -> String {
        try CompactJSON.storage.string(value)
    }
}

/// A JSON string literal (quotes and escapes) as JSONEncoder writes it, slashes unescaped: for
/// the few places that write JSON whose key order is their own (a report's sections).
struct JSONQuoter {
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    func write(_ text: String, to output: inout [UInt8]) {
        // Encoding a String cannot fail; an empty literal would only stand for a broken Foundation.
        output += (try? encoder.encode(text)).map(Array.init) ?? Array("\"\"".utf8)
    }
}
