import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where webhooks may be sent: http(s) URLs whose host resolves only to public addresses.
/// Loopback, private (RFC 1918, unique-local), link-local (cloud metadata lives there),
/// carrier-grade NAT, unspecified and multicast addresses are refused unless the server
/// allows private targets (tests, local rehearsal). Checked when an endpoint is saved and
/// again before each delivery, so a name that later resolves inward is still refused.
enum WebhookURLPolicy {
    static let lengthMax = 2_000

    static func check(_ text: String, field: String, allowPrivate: Bool) throws(MarketplaceError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= lengthMax, let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw .validation(field: field, message: "\(field) must be an http(s) URL of at most \(lengthMax) characters")
        }
        guard url.user == nil, url.password == nil else { throw .validation(field: field, message: "\(field) must not carry credentials") }
        if allowPrivate { return trimmed }
        let addresses = resolve(host)
        guard !addresses.isEmpty else { throw .validation(field: field, message: "\(field): the host \(host) does not resolve") }
        if let inward = addresses.first(where: isPrivate) {
            throw .validation(field: field, message: "\(field): \(host) resolves to \(describe(inward)), a private, loopback or link-local address")
        }
        return trimmed
    }

    /// The host's addresses (IPv4 as 4 bytes, IPv6 as 16), literal or resolved.
    static func resolve(_ host: String) -> [[UInt8]] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET, let raw = entry.pointee.ai_addr {
                raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var value = address.pointee.sin_addr
                    addresses.append(withUnsafeBytes(of: &value) { Array($0) })
                }
            } else if entry.pointee.ai_family == AF_INET6, let raw = entry.pointee.ai_addr {
                raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var value = address.pointee.sin6_addr
                    addresses.append(withUnsafeBytes(of: &value) { Array($0) })
                }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    static func isPrivate(_ address: [UInt8]) -> Bool {
        if address.count == 4 {
            let (a, b) = (address[0], address[1])
            return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)
                || (a == 100 && (64...127).contains(b)) || a >= 224
        }
        guard address.count == 16 else { return true }
        if address.allSatisfy({ $0 == 0 }) || address == [UInt8](repeating: 0, count: 15) + [1] { return true }  // :: and ::1
        if address[0] == 0xfe && address[1] & 0xc0 == 0x80 { return true }  // fe80::/10 link-local
        if address[0] & 0xfe == 0xfc { return true }  // fc00::/7 unique-local
        if address[0] == 0xff { return true }  // multicast
        if address.prefix(10).allSatisfy({ $0 == 0 }) && address[10] == 0xff && address[11] == 0xff { return isPrivate(Array(address.suffix(4))) }
        return false
    }

    static func describe(_ address: [UInt8]) -> String {
        address.count == 4 ? address.map(String.init).joined(separator: ".") : "an IPv6 address"
    }
}
