import Connectors
import Crypto
import Foundation

/// Verifies Stripe-Signature headers: `t=<unix seconds>` and one or more `v1=<hex>` (any
/// `v0` and unknown schemes ignored), each v1 an HMAC-SHA256 under an endpoint secret of
/// `"<t>." + the raw body bytes`. Several secrets verify at once while one is rotated out; a
/// timestamp older than `toleranceSeconds` is refused; signatures compare in constant time.
public struct StripeWebhookVerifier: Sendable {
    public static let defaultToleranceSeconds: Int64 = 300

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missingHeader
        case malformedHeader
        case noSignature
        case stale(ageSeconds: Int64)
        case mismatch

        public var description: String {
            switch self {
            case .missingHeader: "no Stripe-Signature header"
            case .malformedHeader: "the Stripe-Signature header has no readable t= timestamp"
            case .noSignature: "the Stripe-Signature header has no v1 signature"
            case .stale(let age): "the signature is \(age) s old (more than the tolerance)"
            case .mismatch: "no v1 signature matches the body under any endpoint secret"
            }
        }
    }

    private let keys: [SymmetricKey]
    public let toleranceSeconds: Int64

    /// `secrets`: the endpoint secrets (`whsec_…`), used as they are, bytes of their text.
    public init(secrets: [String], toleranceSeconds: Int64 = defaultToleranceSeconds) {
        keys = secrets.map { SymmetricKey(data: Array($0.utf8)) }
        self.toleranceSeconds = toleranceSeconds
    }

    public func verify(payload: [UInt8], header: String?, nowSeconds: Int64) throws(Failure) {
        guard let header, !header.isEmpty else { throw .missingHeader }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for element in header.split(separator: ",") {
            let parts = element.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "t": timestamp = Int64(parts[1])
            case "v1": signatures.append(Array(parts[1].utf8))
            default: continue
            }
        }
        guard let timestamp else { throw .malformedHeader }
        guard !signatures.isEmpty else { throw .noSignature }
        // The expected signatures as lower-case hex text, compared as text: Stripe writes lower
        // case, and its own libraries accept nothing else.
        var matched = false
        for key in keys {
            let expected = Array(Self.signature(payload: payload, timestamp: timestamp, key: key).utf8)
            for signature in signatures where Self.constantTimeEqual(signature, expected) { matched = true }
        }
        guard matched else { throw .mismatch }
        let age = nowSeconds - timestamp
        guard age <= toleranceSeconds else { throw .stale(ageSeconds: age) }
    }

    /// A header signing `payload` at `timestamp` with `secret`, as Stripe writes it.
    public static func header(payload: [UInt8], secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(signature(payload: payload, timestamp: timestamp, key: SymmetricKey(data: Array(secret.utf8))))"
    }

    /// HMAC-SHA256 of "<t>." ‖ payload, in lower-case hex.
    static func signature(payload: [UInt8], timestamp: Int64, key: SymmetricKey) -> String {
        var signed = Array("\(timestamp).".utf8)
        signed.append(contentsOf: payload)
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: signed, using: key), prefix: false)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
