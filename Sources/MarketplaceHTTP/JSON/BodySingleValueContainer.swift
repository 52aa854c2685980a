import Foundation
import Marketplace

/// One value of the body. Primitives are read here and nowhere else: strings free of control
/// characters, booleans only as `true`/`false`, integers only as whole-number text that fits,
/// floating point only for Double and Float fields and only when finite.
struct BodySingleValueContainer: SingleValueDecodingContainer {
    let decoder: BodyDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self { return try text() as! T }
        if T.self == Bool.self { return try bool() as! T }
        if let integer = T.self as? any FixedWidthInteger.Type { return try whole(integer) as! T }
        if T.self == Double.self { return try floating(Double.self) as! T }
        if T.self == Float.self { return try floating(Float.self) as! T }
        if T.self == Decimal.self { return try decimal() as! T }
        return try T(from: decoder)
    }

    private func text() throws -> String {
        guard case .string(let text) = decoder.value else { throw decoder.mismatch(String.self, expected: "a string") }
        if let refusal = TextRule.refusal(of: text, field: decoder.field) { throw decoder.corrupted(refusal) }
        return text
    }

    private func bool() throws -> Bool {
        guard case .bool(let flag) = decoder.value else { throw decoder.mismatch(Bool.self, expected: "true or false") }
        return flag
    }

    private func whole<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard case .number(let text) = decoder.value, !text.contains(where: { ".eE".contains($0) }) else {
            throw decoder.mismatch(type, expected: "a whole number")
        }
        guard let value = I(text) else { throw decoder.corrupted("\(decoder.field) is out of range (\(I.min) to \(I.max))") }
        return value
    }

    private func floating<F: BinaryFloatingPoint & LosslessStringConvertible>(_ type: F.Type) throws -> F {
        guard case .number(let text) = decoder.value else { throw decoder.mismatch(type, expected: "a number") }
        guard let value = F(text), value.isFinite else { throw decoder.corrupted("\(decoder.field) is out of range") }
        return value
    }

    private func decimal() throws -> Decimal {
        guard case .number(let text) = decoder.value else { throw decoder.mismatch(Decimal.self, expected: "a number") }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value.isFinite else {
            throw decoder.corrupted("\(decoder.field) is out of range")
        }
        return value
    }
}
