/// What a login or a refresh answers: a short-lived access token and a single-use refresh token.
public struct Session: Sendable, Hashable, Codable {
    public let accessToken: String
    public let refreshToken: String
    public let tokenType: String
    public let expiresIn: Int64
    public let mode: Mode
    public let user: User
}
