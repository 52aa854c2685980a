import Connectors
import CSecp256k1

/// A recoverable ECDSA signature over secp256k1: r, s (low-s), and the recovery id 0 or 1.
/// Where it is written decides v: a type-2 transaction carries y_parity (0/1), an EIP-155
/// legacy one chainId × 2 + 35 + id, and USDC's transferWithAuthorization v = 27 + id.
public struct RecoverableSignature: Sendable, Hashable {
    public let r: [UInt8]
    public let s: [UInt8]
    /// 0 or 1.
    public let recoveryID: UInt8

    /// Ethereum's "v" for messages and EIP-3009: 27 or 28.
    public var v: UInt8 { 27 + recoveryID }

    /// r ‖ s ‖ v (65 bytes), as wallets and x402 send signatures.
    public var bytes65: [UInt8] { r + s + [v] }

    public init(r: [UInt8], s: [UInt8], recoveryID: UInt8) {
        self.r = r
        self.s = s
        self.recoveryID = recoveryID
    }

    public enum ParseError: Error, Sendable, Equatable { case length, v, highS }

    /// Reads r ‖ s ‖ v with v ∈ {27, 28} (or 0/1) and s in the lower half of the order.
    public init(bytes65 bytes: [UInt8]) throws(ParseError) {
        guard bytes.count == 65 else { throw .length }
        let v = bytes[64]
        guard v == 27 || v == 28 || v == 0 || v == 1 else { throw .v }
        r = Array(bytes[0..<32])
        s = Array(bytes[32..<64])
        recoveryID = v >= 27 ? v - 27 : v
        guard !Secp256k1.isHighS(s) else { throw .highS }
    }
}

/// The system libsecp256k1: keys, RFC 6979 recoverable signing (low-s), recovery.
public enum Secp256k1 {
    public enum Failure: Error, Sendable, Equatable {
        case invalidPrivateKey
        case invalidSignature
        case invalidHash
    }

    /// One context for the process: libsecp256k1 contexts are safe to share once created.
    nonisolated(unsafe) static let context: OpaquePointer = {
        let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
        return context
    }()

    /// secp256k1's order n / 2, for the low-s rule.
    static let halfOrder: [UInt8] = Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")!

    static func isHighS(_ s: [UInt8]) -> Bool { halfOrder.lexicographicallyPrecedes(s) }

    /// The uncompressed public key (65 bytes, 0x04 ‖ x ‖ y) of a 32-byte private key.
    public static func publicKey(of privateKey: [UInt8]) throws(Failure) -> [UInt8] {
        guard privateKey.count == 32, secp256k1_ec_seckey_verify(context, privateKey) == 1 else { throw .invalidPrivateKey }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context, &key, privateKey) == 1 else { throw .invalidPrivateKey }
        return serialize(&key)
    }

    public static func address(of privateKey: [UInt8]) throws(Failure) -> EthereumAddress {
        EthereumAddress(publicKey: try publicKey(of: privateKey))!
    }

    /// Signs a 32-byte hash with RFC 6979 deterministic nonces; libsecp256k1 always returns low s.
    public static func sign(hash: [UInt8], privateKey: [UInt8]) throws(Failure) -> RecoverableSignature {
        guard hash.count == 32 else { throw .invalidHash }
        guard privateKey.count == 32 else { throw .invalidPrivateKey }
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(context, &signature, hash, privateKey, secp256k1_nonce_function_rfc6979, nil) == 1 else {
            throw .invalidPrivateKey
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var id: Int32 = 0
        secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &id, &signature)
        return RecoverableSignature(r: Array(compact[0..<32]), s: Array(compact[32..<64]), recoveryID: UInt8(id))
    }

    /// The signer's uncompressed public key; refuses high s (Ethereum's rule since Homestead).
    public static func recover(hash: [UInt8], signature: RecoverableSignature) throws(Failure) -> [UInt8] {
        guard hash.count == 32 else { throw .invalidHash }
        guard signature.r.count == 32, signature.s.count == 32, signature.recoveryID <= 1, !isHighS(signature.s) else { throw .invalidSignature }
        var parsed = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &parsed, signature.r + signature.s, Int32(signature.recoveryID)) == 1 else {
            throw .invalidSignature
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &key, &parsed, hash) == 1 else { throw .invalidSignature }
        return serialize(&key)
    }

    public static func recoverAddress(hash: [UInt8], signature: RecoverableSignature) throws(Failure) -> EthereumAddress {
        EthereumAddress(publicKey: try recover(hash: hash, signature: signature))!
    }

    private static func serialize(_ key: inout secp256k1_pubkey) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 65)
        var length = 65
        secp256k1_ec_pubkey_serialize(context, &out, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
        return out
    }
}
