import Foundation

/// An amount as JSON sends it, a decimal string ("12.50") or a number (12.5), kept as exact
/// decimal text: a number is read through `Decimal` (decimal digits), never through a Double.
struct ExactAmount: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            let decimal = try container.decode(Decimal.self)
            guard decimal.isFinite else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "amount must be a finite number")
            }
            text = decimal.description
        }
    }
}
