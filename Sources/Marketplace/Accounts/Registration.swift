import Foundation

/// What a new user sends, checked field by field before anything is written.
public struct Registration: Sendable, Hashable, Codable {
    public var email: String
    public var password: String
    public var fullName: String
    public var role: String
    /// Another user's referral code: the new user is recorded as their referral.
    public var referralCode: String?

    public static let emailLengthMax = 254
    public static let passwordLengthMin = 8
    public static let passwordLengthMax = 72  // bcrypt reads no further
    public static let fullNameLengthMax = 200

    public init(email: String, password: String, fullName: String, role: String, referralCode: String? = nil) {
        self.email = email
        self.password = password
        self.fullName = fullName
        self.role = role
        self.referralCode = referralCode
    }

    /// The normalized email and role, or the first field at fault.
    func validated() throws(MarketplaceError) -> (email: String, role: UserRole) {
        let email = try Self.normalizedEmail(self.email)
        try Self.check(password: password)
        _ = try Self.name(fullName, field: "full_name")
        guard let role = UserRole(rawValue: role) else {
            throw .validation(field: "role", message: "role must be one of agent, client, human")
        }
        return (email, role)
    }

    /// Refuses a password too short to resist guessing or too long for bcrypt.
    static func check(password: String) throws(MarketplaceError) {
        guard password.utf8.count >= passwordLengthMin else {
            throw .validation(field: "password", message: "password must be at least \(passwordLengthMin) characters")
        }
        guard password.utf8.count <= passwordLengthMax else {
            throw .validation(field: "password", message: "password must be at most \(passwordLengthMax) bytes")
        }
    }

    /// The name trimmed, 1 to `fullNameLengthMax` characters, or a refusal naming `field`.
    static func name(_ text: String, field: String) throws(MarketplaceError) -> String {
        let name = text.trimmingWhitespace
        guard !name.isEmpty, name.count <= fullNameLengthMax else {
            throw .validation(field: field, message: "\(field) must be 1 to \(fullNameLengthMax) characters")
        }
        return name
    }

    /// Lower-cased, trimmed, and shaped like local@domain.tld.
    static func normalizedEmail(_ text: String) throws(MarketplaceError) -> String {
        let email = text.trimmingWhitespace.lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= emailLengthMax, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: { $0.isWhitespace }) else {
            throw .validation(field: "email", message: "email must be an address like name@example.com")
        }
        return email
    }
}

extension String {
    /// Without leading and trailing white space and newlines (Foundation's trimming).
    var trimmingWhitespace: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
