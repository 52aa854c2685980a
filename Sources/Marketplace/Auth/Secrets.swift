import Crypto

/// Random secrets and their stored form. Secrets carry 256 random bits, so a SHA-256 of
/// them is enough to store (a slow hash protects low-entropy passwords, not these).
enum Secrets {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `prefix` followed by 43 base62 characters (just over 256 bits) from the system CSPRNG.
    static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let body = (0..<43).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return prefix + String(decoding: body, as: UTF8.self)
    }

    /// An id with a readable prefix, e.g. `usr_…`, `key_…`.
    static func id(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let body = (0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return prefix + "_" + String(decoding: body, as: UTF8.self)
    }

    static func hash(_ secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(secret.utf8)))
    }
}
