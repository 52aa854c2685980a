import Connectors
import Crypto
import Foundation

/// The hot wallet's private key at rest: sealed with AES-256-GCM under a key-encryption key that
/// lives only in the environment. The sealed form is `v1:` + hex(nonce ‖ ciphertext ‖ tag). The
/// key is never logged and no API returns it.
public struct HotWalletKey: Sendable {
    /// The 32-byte secp256k1 private key.
    let secret: [UInt8]
    public let address: EthereumAddress

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missing(String)
        case malformed(String)
        case wrongKeyEncryptionKey

        public var description: String {
            switch self {
            case .missing(let what): "\(what) is not set"
            case .malformed(let what): "\(what) is malformed"
            case .wrongKeyEncryptionKey: "the sealed key does not open under this key-encryption key"
            }
        }
    }

    public init(privateKey: [UInt8]) throws(Failure) {
        do { address = try Secp256k1.address(of: privateKey) } catch { throw .malformed("the private key") }
        secret = privateKey
    }

    public func sign(hash: [UInt8]) throws(Secp256k1.Failure) -> RecoverableSignature { try Secp256k1.sign(hash: hash, privateKey: secret) }

    public func sign(_ transaction: EIP1559Transaction) throws(Secp256k1.Failure) -> SignedTransaction { try transaction.signed(with: secret) }

    public func sign(_ authorization: TransferAuthorization, on network: BaseNetwork) throws(Secp256k1.Failure) -> RecoverableSignature {
        try authorization.signed(on: network, privateKey: secret)
    }

    /// Seals `privateKey` under `keyEncryptionKey` (32 bytes) with a fresh random nonce.
    public static func seal(privateKey: [UInt8], keyEncryptionKey: [UInt8]) throws(Failure) -> String {
        guard keyEncryptionKey.count == 32 else { throw .malformed("the key-encryption key (32 bytes, 64 hex digits)") }
        _ = try HotWalletKey(privateKey: privateKey)
        do {
            let box = try AES.GCM.seal(privateKey, using: SymmetricKey(data: keyEncryptionKey), authenticating: Array("marketplace hot wallet v1".utf8))
            guard let combined = box.combined else { throw Failure.malformed("the sealed key") }
            return "v1:" + Hex.encode(combined, prefix: false)
        } catch { throw .malformed("the sealed key") }
    }

    public static func open(sealed: String, keyEncryptionKey: [UInt8]) throws(Failure) -> HotWalletKey {
        guard keyEncryptionKey.count == 32 else { throw .malformed("the key-encryption key (32 bytes, 64 hex digits)") }
        let text = sealed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("v1:"), let combined = Hex.decode(String(text.dropFirst(3))), combined.count == 12 + 32 + 16 else {
            throw .malformed("the sealed key (v1:…)")
        }
        let plain: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            plain = Array(try AES.GCM.open(box, using: SymmetricKey(data: keyEncryptionKey), authenticating: Array("marketplace hot wallet v1".utf8)))
        } catch { throw .wrongKeyEncryptionKey }
        return try HotWalletKey(privateKey: plain)
    }

    /// From the environment: BASE_KEY_FILE (the sealed key) with BASE_KEY_ENCRYPTION_KEY (64 hex
    /// digits); or, for local rehearsal only, BASE_PRIVATE_KEY (64 hex digits) in the clear.
    public static func load(environment: [String: String]) throws(Failure) -> HotWalletKey {
        if let path = environment["BASE_KEY_FILE"] {
            guard let kekText = environment["BASE_KEY_ENCRYPTION_KEY"] else { throw .missing("BASE_KEY_ENCRYPTION_KEY") }
            guard let kek = Hex.decode(kekText), kek.count == 32 else { throw .malformed("BASE_KEY_ENCRYPTION_KEY (64 hex digits)") }
            guard let sealed = try? String(contentsOfFile: path, encoding: .utf8) else { throw .missing("the file BASE_KEY_FILE names") }
            return try open(sealed: sealed, keyEncryptionKey: kek)
        }
        guard let text = environment["BASE_PRIVATE_KEY"] else { throw .missing("BASE_KEY_FILE (or BASE_PRIVATE_KEY)") }
        guard let key = Hex.decode(text), key.count == 32 else { throw .malformed("BASE_PRIVATE_KEY (64 hex digits)") }
        return try HotWalletKey(privateKey: key)
    }
}

extension HotWalletKey: CustomStringConvertible, CustomDebugStringConvertible {
    /// Only the address: the key never reaches a log through string interpolation.
    public var description: String { "HotWalletKey(\(address))" }
    public var debugDescription: String { description }
}
