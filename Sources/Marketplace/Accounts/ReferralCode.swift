/// A user's referral code: 12 characters of Crockford's base32 (digits and capitals without
/// I, L, O, U), 60 bits from the system CSPRNG, so codes are not guessed from one another.
/// Read back case-insensitively, with the look-alikes Crockford maps (O to 0, I and L to 1).
enum ReferralCode {
    static let length = 12
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let body = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(decoding: body, as: UTF8.self)
    }

    /// The code as stored, or a refusal naming `referral_code` when it cannot be one.
    static func normalized(_ text: String) throws(MarketplaceError) -> String {
        let code = String(text.trimmingWhitespace.uppercased().map { character -> Character in
            switch character {
            case "O": "0"
            case "I", "L": "1"
            default: character
            }
        })
        guard code.utf8.count == length, code.utf8.allSatisfy(alphabet.contains) else {
            throw .validation(field: "referral_code", message: "referral_code must be a code of \(length) letters and digits, e.g. 7K3QX9M2T8RB")
        }
        return code
    }
}
