import Marketplace

/// A user on the wire, to that user only: times in ISO 8601 like every other resource, and
/// the code others register with to be counted as this user's referrals.
struct UserView: Encodable, Sendable {
    let id: String
    let email: String
    let fullName: String
    let role: String
    let createdAt: String
    let referralCode: String

    init(_ user: User) {
        id = user.id
        email = user.email
        fullName = user.fullName
        role = user.role.rawValue
        createdAt = Timestamps.format(user.createdAt)
        referralCode = user.referralCode
    }
}

/// A session on the wire.
struct SessionView: Encodable, Sendable {
    let accessToken: String
    let refreshToken: String
    let tokenType: String
    let expiresIn: Int64
    let mode: String
    let user: UserView

    init(_ session: Session) {
        accessToken = session.accessToken
        refreshToken = session.refreshToken
        tokenType = session.tokenType
        expiresIn = session.expiresIn
        mode = session.mode.rawValue
        user = UserView(session.user)
    }
}
