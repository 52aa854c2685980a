/// An amount as JSON sends it, a decimal string ("12.50") or a number (12.50), kept as the
/// exact text the client wrote: a number's digits are taken verbatim from the body, never
/// through a Double or a Decimal. Only plain decimals pass: an optional minus sign, digits, and
/// an optional point followed by digits; `+5`, `1e3`, `.5` and spaces are refused here, naming
/// the field. The domain then parses the text at the asset's scale and checks its range.
public struct ExactAmount: Decodable, Sendable {
    /// The longest amount text accepted, sign and point included.
    static let textLengthMax = 40

    public let text: String

    public init(from decoder: any Decoder) throws {
        let field = FieldPath.render(decoder.codingPath)
        let container = try decoder.singleValueContainer()
        let written: String
        if let body = decoder as? BodyDecoder, case .number(let number) = body.value {
            written = number
        } else if let string = try? container.decode(String.self) {
            written = string
        } else {
            throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath,
                                                                debugDescription: "\(field) must be a decimal string such as \"12.50\""))
        }
        guard Self.isPlainDecimal(written) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "\(field) must be a plain decimal such as \"12.50\": digits and at most one point, no '+', exponent or spaces")
        }
        text = written
    }

    static func isPlainDecimal(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        let parts = digits.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        return text.utf8.count <= textLengthMax && digits.filter({ $0 == UInt8(ascii: ".") }).count <= 1
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
    }
}
