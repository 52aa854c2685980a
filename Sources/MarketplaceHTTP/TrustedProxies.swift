import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reverse proxies whose X-Forwarded-For is believed (MARKETPLACE_TRUSTED_PROXIES: IP
/// addresses and CIDR ranges, comma-separated). Empty by default: then the socket's peer is
/// the client, whatever the header says.
public struct TrustedProxies: Sendable, Hashable {
    /// One address or range, as the bytes of its network and the length of its prefix.
    struct Range: Sendable, Hashable {
        let network: [UInt8]
        let prefixBits: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            var bits = prefixBits
            for (mine, theirs) in zip(network, address) where bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if mine & mask != theirs & mask { return false }
                bits -= 8
            }
            return true
        }
    }

    /// Why a setting is not a list of addresses and ranges.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notAnAddress(String)
        case prefixOutOfRange(String)

        public var description: String {
            switch self {
            case .notAnAddress(let entry): "\"\(entry)\" is not an IP address or CIDR range"
            case .prefixOutOfRange(let entry): "\"\(entry)\" has a prefix length beyond its address"
            }
        }
    }

    /// At most this many X-Forwarded-For entries are read; a longer chain is not believed.
    public static let forwardedHopsMax = 16
    /// No proxy is trusted (the default).
    public static let none = TrustedProxies(ranges: [])

    let ranges: [Range]

    init(ranges: [Range]) { self.ranges = ranges }

    /// Parses "10.0.0.1, 10.0.0.0/8, fd00::/8"; an empty text trusts nobody.
    public init(parsing text: String) throws(ParseError) {
        var ranges: [Range] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            ranges.append(try Self.range(entry))
        }
        self.ranges = ranges
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// True when `address` (text) is one of the trusted proxies.
    public func trusts(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client behind `peer`: `peer` itself unless it is trusted; else, walking
    /// X-Forwarded-For from the right, the first address that is not a trusted proxy (or the
    /// left-most, when all are). An entry that is no address, or a chain past
    /// `forwardedHopsMax`, stops the walk at the last trusted hop.
    public func client(peer: String, forwardedFor: [String]) -> String {
        guard trusts(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        guard hops.count <= Self.forwardedHopsMax else { return peer }
        var client = peer
        for hop in hops.reversed() {
            guard let bytes = Self.bytes(of: hop) else { return client }
            client = Self.text(of: bytes)
            if !ranges.contains(where: { $0.contains(bytes) }) { return client }
        }
        return client
    }

    static func range(_ entry: String) throws(ParseError) -> Range {
        let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let network = bytes(of: parts[0]) else { throw .notAnAddress(entry) }
        guard parts.count == 2 else { return Range(network: network, prefixBits: network.count * 8) }
        guard let bits = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { throw .notAnAddress(entry) }
        guard (0...network.count * 8).contains(bits) else { throw .prefixOutOfRange(entry) }
        return Range(network: network, prefixBits: bits)
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text; an IPv4-mapped IPv6 address
    /// (::ffff:a.b.c.d) is its IPv4 address. Nil for anything else.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] { return Array(bytes.suffix(4)) }
        return bytes
    }

    /// The canonical text of 4 or 16 address bytes.
    static func text(of bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard written != nil else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
