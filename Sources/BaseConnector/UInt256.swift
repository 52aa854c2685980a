/// An unsigned 256-bit integer as 32 big-endian bytes: what ABI words, token amounts, nonces
/// and fees are. Only what encoding needs: parse exactly, compare, add and multiply with
/// overflow refused, and the minimal big-endian bytes RLP wants.
public struct UInt256: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Big-endian, exactly 32 bytes.
    public let bytes: [UInt8]

    public static let zero = UInt256(bytes32: [UInt8](repeating: 0, count: 32))!

    public init?(bytes32: [UInt8]) {
        guard bytes32.count == 32 else { return nil }
        bytes = bytes32
    }

    /// From big-endian bytes of any length up to 32.
    public init?(bigEndian: [UInt8]) {
        let trimmed = bigEndian.drop { $0 == 0 }
        guard trimmed.count <= 32 else { return nil }
        bytes = [UInt8](repeating: 0, count: 32 - trimmed.count) + trimmed
    }

    public init(_ value: UInt64) {
        var out = [UInt8](repeating: 0, count: 32)
        for index in 0..<8 { out[31 - index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        bytes = out
    }

    /// Parses decimal digits exactly (no sign, no separators); nil on anything else or overflow.
    public init?(decimal text: String) {
        guard !text.isEmpty, text.utf8.count <= 78, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        var value = UInt256.zero
        for digit in text.utf8 {
            guard let next = value.multipliedReportingOverflow(by: 10).flatMap({ $0.adding(UInt64(digit - UInt8(ascii: "0"))) }) else { return nil }
            value = next
        }
        self = value
    }

    /// The minimal big-endian bytes (empty for zero), as RLP encodes integers.
    public var minimalBytes: [UInt8] { Array(bytes.drop { $0 == 0 }) }

    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    /// The value when it fits 64 bits.
    public var uint64: UInt64? {
        guard bytes[0..<24].allSatisfy({ $0 == 0 }) else { return nil }
        return bytes[24...].reduce(0) { $0 << 8 | UInt64($1) }
    }

    public func adding(_ other: UInt64) -> UInt256? { adding(UInt256(other)) }

    public func adding(_ other: UInt256) -> UInt256? {
        var out = [UInt8](repeating: 0, count: 32)
        var carry: UInt16 = 0
        for index in stride(from: 31, through: 0, by: -1) {
            let sum = UInt16(bytes[index]) + UInt16(other.bytes[index]) + carry
            out[index] = UInt8(truncatingIfNeeded: sum)
            carry = sum >> 8
        }
        return carry == 0 ? UInt256(bytes32: out) : nil
    }

    /// Multiplies by a small factor; nil on overflow.
    public func multipliedReportingOverflow(by factor: UInt32) -> UInt256? {
        var out = [UInt8](repeating: 0, count: 32)
        var carry: UInt64 = 0
        for index in stride(from: 31, through: 0, by: -1) {
            let product = UInt64(bytes[index]) * UInt64(factor) + carry
            out[index] = UInt8(truncatingIfNeeded: product)
            carry = product >> 8
        }
        return carry == 0 ? UInt256(bytes32: out) : nil
    }

    public static func < (lhs: UInt256, rhs: UInt256) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// Decimal digits.
    public var description: String {
        var digits: [UInt8] = []
        var words = bytes.map { UInt32($0) }
        while words.contains(where: { $0 != 0 }) {
            var remainder: UInt32 = 0
            for index in words.indices {
                let current = remainder << 8 | words[index]
                words[index] = current / 10
                remainder = current % 10
            }
            digits.append(UInt8(remainder) + UInt8(ascii: "0"))
        }
        return digits.isEmpty ? "0" : String(decoding: digits.reversed(), as: UTF8.self)
    }
}
