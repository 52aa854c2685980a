import Crypto
import Foundation

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

    /// An id with a readable prefix, e.g. `usr_…`, `tsk_…`: 9 base62 digits of the time in
    /// microseconds, then 11 random ones (about 65 bits, from two draws of the system CSPRNG).
    /// The alphabet is in ASCII order, so ids sort by creation time: each table's key index
    /// grows at its end, where one commit's inserts share pages, instead of at random places.
    /// Ids name things; they are never the secret that grants access (tokens and keys are).
    static func id(_ prefix: String, nowMicros: Int64 = Int64(Date().timeIntervalSince1970 * 1_000_000)) -> String {
        var body = [UInt8](repeating: 0, count: 20)
        var time = UInt64(max(0, nowMicros))
        for index in stride(from: 8, through: 0, by: -1) {
            body[index] = alphabet[Int(time % 62)]
            time /= 62
        }
        var generator = SystemRandomNumberGenerator()
        var random = (generator.next(), generator.next())
        for index in 9..<20 {
            if index == 15 { random.0 = random.1 }
            body[index] = alphabet[Int(random.0 % 62)]
            random.0 /= 62
        }
        return prefix + "_" + String(decoding: body, as: UTF8.self)
    }

    static func hash(_ secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(secret.utf8)))
    }
}
