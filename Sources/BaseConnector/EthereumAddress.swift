import Connectors

/// A 20-byte account address, written with its EIP-55 mixed-case checksum.
public struct EthereumAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed
        case badChecksum

        public var description: String {
            switch self {
            case .malformed: "an address is 0x followed by 40 hex digits"
            case .badChecksum: "the address's mixed-case checksum (EIP-55) does not match; check for a typo"
            }
        }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.bytes = bytes
    }

    /// Parses `0x` + 40 hex digits. All lower or all upper case is taken as it is; mixed case
    /// must carry a correct EIP-55 checksum.
    public init(_ text: String) throws(ParseError) {
        let digits = Array(text.utf8)
        guard digits.count == 42, digits[0] == UInt8(ascii: "0"), digits[1] == UInt8(ascii: "x"),
              let bytes = Hex.decode(text), bytes.count == 20 else { throw .malformed }
        let body = digits[2...]
        let hasLower = body.contains { (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
        let hasUpper = body.contains { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
        self.bytes = bytes
        if hasLower && hasUpper, checksummed != text { throw .badChecksum }
    }

    /// EIP-55: a hex letter is upper case where the matching nibble of keccak(lower-case hex) is ≥ 8.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefix: false).utf8)
        let hash = Keccak256.hash(lower)
        var out = Array("0x".utf8)
        for (index, digit) in lower.enumerated() {
            let nibble = index.isMultiple(of: 2) ? hash[index / 2] >> 4 : hash[index / 2] & 0xF
            out.append(digit >= UInt8(ascii: "a") && nibble >= 8 ? digit - 32 : digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { checksummed }

    /// The address of an uncompressed public key (64 bytes, or 65 with the 0x04 prefix).
    public init?(publicKey: [UInt8]) {
        let key = publicKey.count == 65 && publicKey[0] == 0x04 ? Array(publicKey.dropFirst()) : publicKey
        guard key.count == 64 else { return nil }
        bytes = Array(Keccak256.hash(key).suffix(20))
    }
}
