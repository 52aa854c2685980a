import BaseConnector
import Connectors
import Foundation

/// A JSON-RPC error object, answered in an HTTP 200 body as geth does.
struct JSONRPCError: Error {
    let code: Int
    let message: String
    var data: String?

    static let parse = JSONRPCError(code: -32700, message: "parse error")
    static let invalidRequest = JSONRPCError(code: -32600, message: "invalid request")

    static func invalidParams(_ message: String) -> JSONRPCError { JSONRPCError(code: -32602, message: message) }

    /// -32000, geth's code for a refusal by the node itself (pool rules, missing state).
    static func server(_ message: String) -> JSONRPCError { JSONRPCError(code: -32000, message: message) }

    /// geth's revert error: code 3 and the ABI-encoded `Error(string)` as data when the contract
    /// gave a reason; a bare -32000 "execution reverted" when it gave none.
    static func reverted(_ reason: String?) -> JSONRPCError {
        guard let reason else { return .server("execution reverted") }
        let text = Array(reason.utf8)
        let padded = text + [UInt8](repeating: 0, count: (32 - text.count % 32) % 32)
        let data = [0x08, 0xc3, 0x79, 0xa0] + UInt256(32).bytes + UInt256(UInt64(text.count)).bytes + padded
        return JSONRPCError(code: 3, message: "execution reverted: \(reason)", data: Hex.encode(data))
    }

    var json: [String: Any] {
        var object: [String: Any] = ["code": code, "message": message]
        if let data { object["data"] = data }
        return object
    }
}

/// A block parameter: a tag or a number. "pending" is the latest block except for nonces,
/// where it counts the pool.
enum BlockParameter {
    case latest, pending, safe, finalized, earliest
    case number(UInt64)
}

/// One JSON value read the way geth reads its arguments: quantities as 0x-hex without leading
/// zeros, data as 0x-hex of even length. `name` opens every error ("invalid argument 0", then
/// "invalid argument 0: to" for a field), so a client's bad encoding is named exactly.
struct JSONArgument {
    let value: Any?
    let name: String

    init(_ params: [Any], _ index: Int) {
        self.init(value: index < params.count ? params[index] : nil, name: "invalid argument \(index)")
    }

    init(value: Any?, name: String) {
        self.value = value is NSNull ? nil : value
        self.name = name
    }

    var isAbsent: Bool { value == nil }

    func field(_ key: String) -> JSONArgument { JSONArgument(value: (value as? [String: Any])?[key], name: "\(name): \(key)") }

    func fail(_ reason: String) -> JSONRPCError { .invalidParams("\(name): \(reason)") }

    func string() throws(JSONRPCError) -> String {
        guard let value else { throw fail("missing value") }
        guard let text = value as? String else { throw fail("expected a string") }
        return text
    }

    func object() throws(JSONRPCError) -> [String: Any] {
        guard let value else { throw fail("missing value") }
        guard let object = value as? [String: Any] else { throw fail("expected an object") }
        return object
    }

    func bool() -> Bool { (value as? Bool) ?? false }

    func quantity() throws(JSONRPCError) -> UInt64 {
        let text = try string()
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { throw fail("hex string without 0x prefix") }
        let digits = text.dropFirst(2)
        guard !digits.isEmpty else { throw fail("hex string \"0x\"") }
        guard digits == "0" || !digits.hasPrefix("0") else { throw fail("hex number with leading zero digits") }
        guard digits.count <= 16 else { throw fail("hex number > 64 bits") }
        guard let number = UInt64(digits, radix: 16) else { throw fail("invalid hex string") }
        return number
    }

    /// geth's `HexOrDecimal64`, which `eth_feeHistory` takes for its block count.
    func hexOrDecimal() throws(JSONRPCError) -> UInt64 {
        if let number = value as? Int, number >= 0 { return UInt64(number) }
        if let text = value as? String, let number = UInt64(text) { return number }
        return try quantity()
    }

    func data() throws(JSONRPCError) -> [UInt8] {
        let text = try string()
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { throw fail("hex string without 0x prefix") }
        guard text.count.isMultiple(of: 2) else { throw fail("hex string of odd length") }
        guard let bytes = Hex.decode(text) else { throw fail("invalid hex string") }
        return bytes
    }

    /// Any letter case, as geth takes addresses (it checks no EIP-55 checksum).
    func address() throws(JSONRPCError) -> EthereumAddress {
        let bytes = try data()
        guard let address = EthereumAddress(bytes: bytes) else { throw fail("hex string has length \(bytes.count * 2), want 40 for common.Address") }
        return address
    }

    func hash() throws(JSONRPCError) -> [UInt8] {
        let bytes = try data()
        guard bytes.count == 32 else { throw fail("hex string has length \(bytes.count * 2), want 64 for common.Hash") }
        return bytes
    }

    func block(default fallback: BlockParameter = .latest) throws(JSONRPCError) -> BlockParameter {
        guard !isAbsent else { return fallback }
        switch try string() {
        case "latest": return .latest
        case "pending": return .pending
        case "safe": return .safe
        case "finalized": return .finalized
        case "earliest": return .earliest
        default: return .number(try quantity())
        }
    }
}

/// How values are written on the wire: quantities as 0x-hex without leading zeros, bytes and
/// addresses as lower-case 0x-hex (geth writes addresses without the checksum).
enum Wire {
    static func quantity(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    static func quantity(_ value: UInt256) -> String {
        let digits = Hex.encode(value.minimalBytes, prefix: false).drop { $0 == "0" }
        return digits.isEmpty ? "0x0" : "0x" + digits
    }

    static func data(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    static func address(_ address: EthereumAddress) -> String { Hex.encode(address.bytes) }
}

extension UInt256 {
    /// self × factor with the 32-bit multiply the type offers; nil on overflow.
    func multiplied(by factor: UInt64) -> UInt256? {
        guard let low = multipliedReportingOverflow(by: UInt32(truncatingIfNeeded: factor)),
              let high = multipliedReportingOverflow(by: UInt32(factor >> 32))?
                  .multipliedReportingOverflow(by: 1 << 16)?.multipliedReportingOverflow(by: 1 << 16)
        else { return nil }
        return high.adding(low)
    }
}
