/// Recursive Length Prefix, the encoding of Ethereum transactions (Yellow Paper, appendix B).
public indirect enum RLP: Sendable, Hashable {
    case bytes([UInt8])
    case list([RLP])

    public static func uint(_ value: UInt256) -> RLP { .bytes(value.minimalBytes) }
    public static func uint(_ value: UInt64) -> RLP { .bytes(UInt256(value).minimalBytes) }

    /// The encoding, written into one buffer of the exact size.
    public var encoded: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(encodedLength)
        encode(into: &out)
        return out
    }

    var encodedLength: Int {
        switch self {
        case .bytes(let bytes): return bytes.count == 1 && bytes[0] < 0x80 ? 1 : Self.headerLength(bytes.count) + bytes.count
        case .list(let items):
            let payload = items.reduce(0) { $0 + $1.encodedLength }
            return Self.headerLength(payload) + payload
        }
    }

    func encode(into out: inout [UInt8]) {
        switch self {
        case .bytes(let bytes):
            if bytes.count == 1, bytes[0] < 0x80 { out.append(bytes[0]); return }
            Self.header(0x80, bytes.count, into: &out)
            out.append(contentsOf: bytes)
        case .list(let items):
            Self.header(0xC0, items.reduce(0) { $0 + $1.encodedLength }, into: &out)
            for item in items { item.encode(into: &out) }
        }
    }

    private static func headerLength(_ length: Int) -> Int {
        length <= 55 ? 1 : 1 + (Int.bitWidth - length.leadingZeroBitCount + 7) / 8
    }

    private static func header(_ base: UInt8, _ length: Int, into out: inout [UInt8]) {
        if length <= 55 { out.append(base + UInt8(length)); return }
        let count = (Int.bitWidth - length.leadingZeroBitCount + 7) / 8
        out.append(base + 55 + UInt8(count))
        for index in stride(from: count - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: length >> (8 * index))) }
    }

    public enum DecodeError: Error, Sendable, Equatable {
        case truncated
        case nonCanonical
        case trailingBytes
    }

    /// Decodes exactly one item that fills `input`; refuses non-canonical forms (a single byte
    /// below 0x80 written with a header, long forms for short lengths, leading zeros in lengths).
    public static func decode(_ input: [UInt8]) throws(DecodeError) -> RLP {
        var offset = 0
        let item = try decodeItem(input, &offset)
        guard offset == input.count else { throw .trailingBytes }
        return item
    }

    private static func decodeItem(_ input: [UInt8], _ offset: inout Int) throws(DecodeError) -> RLP {
        guard offset < input.count else { throw .truncated }
        let prefix = input[offset]
        offset += 1
        switch prefix {
        case 0x00...0x7F:
            return .bytes([prefix])
        case 0x80...0xBF:
            let length = try self.length(prefix, base: 0x80, input, &offset)
            guard input.count - offset >= length else { throw .truncated }
            let bytes = Array(input[offset..<offset + length])
            offset += length
            if length == 1, bytes[0] < 0x80 { throw .nonCanonical }
            return .bytes(bytes)
        default:
            let length = try self.length(prefix, base: 0xC0, input, &offset)
            guard input.count - offset >= length else { throw .truncated }
            let end = offset + length
            var items: [RLP] = []
            while offset < end { items.append(try decodeItem(input, &offset)) }
            guard offset == end else { throw .truncated }
            return .list(items)
        }
    }

    private static func length(_ prefix: UInt8, base: UInt8, _ input: [UInt8], _ offset: inout Int) throws(DecodeError) -> Int {
        if prefix - base <= 55 { return Int(prefix - base) }
        let count = Int(prefix - base - 55)
        guard input.count - offset >= count else { throw .truncated }
        let bytes = input[offset..<offset + count]
        offset += count
        guard bytes.first != 0, count <= 4 else { throw .nonCanonical }
        let length = bytes.reduce(0) { $0 << 8 | Int($1) }
        guard length > 55 else { throw .nonCanonical }
        return length
    }
}
