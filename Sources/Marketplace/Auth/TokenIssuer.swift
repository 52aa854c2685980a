import Foundation
import Crypto
import JWTKit
import Synchronization

/// Signs and checks short-lived access tokens (JWT, HS256).
public struct TokenIssuer: Sendable {
    /// How long an access token lives.
    public static let accessTokenSeconds: Int64 = 15 * 60
    /// The shortest signing secret accepted, in bytes.
    public static let secretBytesMin = 32

    private let keys: JWTKeyCollection
    private let verified = VerifiedTokens()

    /// Uses `secret` (at least 32 bytes) as the HMAC key.
    public init(secret: [UInt8]) async throws(MarketplaceError) {
        guard secret.count >= Self.secretBytesMin else {
            throw .validation(field: "jwt_secret", message: "the signing secret needs at least \(Self.secretBytesMin) bytes")
        }
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: SymmetricKey(data: secret)), digestAlgorithm: .sha256)
    }

    /// A fresh random secret, for a server started without one (tokens die with the process).
    public static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A token for `userID` in `mode`, valid from now (wall clock, as JWT verification reads it).
    func accessToken(userID: String, mode: Mode, role: UserRole, isAdmin: Bool) async throws(MarketplaceError) -> String {
        let now = Date()
        let payload = AccessClaims(sub: .init(value: userID), mode: mode.rawValue, role: role.rawValue, admin: isAdmin, iat: .init(value: now),
                                   exp: .init(value: now.addingTimeInterval(TimeInterval(Self.accessTokenSeconds))))
        do {
            return try await keys.sign(payload)
        } catch {
            throw .internalError("cannot sign a token")
        }
    }

    /// The user, mode, role and admin flag of a valid, unexpired token. The role and flag are
    /// those at login (a token lives 15 minutes); nil in a token signed before they were added.
    /// A token already verified is recognised by its exact text (same bytes, same signature)
    /// until its expiry, without parsing or hashing it again.
    func verify(_ token: String) async throws(MarketplaceError) -> (userID: String, mode: Mode, role: UserRole?, isAdmin: Bool?) {
        let now = Date()
        if let known = verified.claims(of: token, at: now) { return known }
        do {
            let claims = try await keys.verify(token, as: AccessClaims.self)
            guard let mode = Mode(rawValue: claims.mode) else { throw MarketplaceError.unauthorized("bad token") }
            let result = (userID: claims.sub.value, mode: mode, role: claims.role.flatMap(UserRole.init), isAdmin: claims.admin)
            verified.remember(token, result, until: claims.exp.value)
            return result
        } catch {
            throw .unauthorized("the access token is invalid or expired")
        }
    }
}

/// Tokens that passed verification, each with its expiry; bounded (emptied when full, so a
/// flood of distinct tokens costs verifications, never memory).
final class VerifiedTokens: Sendable {
    typealias Claims = (userID: String, mode: Mode, role: UserRole?, isAdmin: Bool?)
    static let entriesMax = 10_000
    private let entries = Mutex<[String: (claims: Claims, expires: Date)]>([:])

    func claims(of token: String, at now: Date) -> Claims? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expires > now else {
                entries[token] = nil
                return nil
            }
            return entry.claims
        }
    }

    func remember(_ token: String, _ claims: Claims, until expires: Date) {
        entries.withLock { entries in
            if entries.count >= Self.entriesMax { entries.removeAll(keepingCapacity: true) }
            entries[token] = (claims, expires)
        }
    }
}

/// The claims of an access token.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var mode: String
    var role: String?
    var admin: Bool?
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
