import Testing
@testable import Marketplace

struct RegistrationTests {
    @Test(arguments: [
        ("Ada@Example.COM", "ada@example.com"), ("  bob@mail.example.org ", "bob@mail.example.org"),
    ])
    func emailsAreNormalized(text: String, expected: String) throws {
        #expect(try Registration.normalizedEmail(text) == expected)
    }

    @Test(arguments: ["", "ada", "ada@", "@example.com", "ada@example", "ada@.com", "ada@example.", "a b@example.com", "a@b@example.com"])
    func malformedEmailsAreRefused(text: String) {
        #expect(throws: MarketplaceError.validation(field: "email", message: "email must be an address like name@example.com")) {
            try Registration.normalizedEmail(text)
        }
    }

    @Test(arguments: [
        (Registration(email: "a@example.com", password: "1234567", fullName: "A", role: "agent"), "password"),
        (Registration(email: "a@example.com", password: String(repeating: "p", count: 73), fullName: "A", role: "agent"), "password"),
        (Registration(email: "a@example.com", password: "12345678", fullName: " ", role: "agent"), "full_name"),
        (Registration(email: "a@example.com", password: "12345678", fullName: String(repeating: "n", count: 201), role: "agent"), "full_name"),
        (Registration(email: "a@example.com", password: "12345678", fullName: "A", role: "admin"), "role"),
        (Registration(email: "nope", password: "12345678", fullName: "A", role: "agent"), "email"),
    ])
    func eachBadFieldIsNamed(registration: Registration, field: String) {
        #expect(throws: MarketplaceError.self) { try registration.validated() }
        do {
            _ = try registration.validated()
        } catch {
            #expect(error.field == field)
        }
    }

    @Test func aGoodRegistrationPasses() throws {
        let (email, role) = try Registration(email: "A@Example.com", password: "12345678", fullName: " Ada ", role: "human").validated()
        #expect(email == "a@example.com")
        #expect(role == .human)
    }
}

struct SecretsTests {
    @Test func secretsAreLongRandomAndPrefixed() {
        let secrets = (0..<200).map { _ in Secrets.make(prefix: "sk_test_") }
        #expect(Set(secrets).count == 200)
        #expect(secrets.allSatisfy { $0.hasPrefix("sk_test_") && $0.count == 51 })
        #expect(secrets.allSatisfy { $0.dropFirst(8).allSatisfy { $0.isLetter || $0.isNumber } })
    }

    @Test func theStoredFormIsSHA256() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        let hex = Secrets.hash("abc").map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func scopesParseAndRefuseUnknownNames() throws {
        #expect(try Scope.parse(["tasks:read", "finance:read", "tasks:read"]) == [.tasksRead, .financeRead])
        #expect(throws: MarketplaceError.self) { try Scope.parse(["tasks:read", "root"]) }
        #expect(throws: MarketplaceError.self) { try Scope.parse([]) }
    }

    @Test func redactionKeepsOnlyThePrefixAndLastFour() {
        #expect(KeyService.redact("sk_live_abcdefghWXYZ") == "sk_live_…WXYZ")
    }
}
