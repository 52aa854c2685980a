public import Foundation
public import Marketplace

/// The one JSON style of the API and the CLI: snake_case keys, sorted, no floating point.
public enum JSONOutput {
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The API's answers in this style, compact: the same bytes as `encoder(pretty: false)`
    /// (checked in tests) from the hand-written encoder `bench api` measured cheaper.
    public static let compact = CompactJSON(snakeCaseKeys: true, sortedKeys: true)

    /// Pretty JSON text, for the CLI.
    public static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder(pretty: true).encode(value), as: UTF8.self)
    }
}
