/// A sorted set of account ids packed as LEB128 varints of their gaps: how a wide commit
/// records which accounts it touched in one blob instead of one index row per account.
enum AccountSet {
    static func encode(_ ids: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count + 8)
        var previous: Int64 = 0
        for id in ids.sorted() {
            precondition(id > previous, "account ids must be positive and distinct")
            var gap = UInt64(id - previous)
            previous = id
            while gap >= 0x80 {
                bytes.append(UInt8(gap & 0x7f) | 0x80)
                gap >>= 7
            }
            bytes.append(UInt8(gap))
        }
        return bytes
    }

    /// True when the packed set holds `target`; stops as soon as it passes it.
    static func contains(_ bytes: [UInt8], _ target: Int64) -> Bool {
        var current: Int64 = 0
        var gap: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            gap |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 != 0 {
                shift += 7
                continue
            }
            current += Int64(gap)
            if current == target { return true }
            if current > target { return false }
            gap = 0
            shift = 0
        }
        return false
    }
}
