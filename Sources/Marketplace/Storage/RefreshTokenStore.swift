import Foundation

/// The refresh tokens of sessions: each stored by its hash, with its user, mode and expiry,
/// and marked used when it is traded for a new session.
protocol RefreshTokenStore {
    func insert(tokenHash: Data, userID: String, mode: Mode, expiresAtMicros: Int64) throws
    /// Marks the token used when it is unused and unexpired at `nowMicros`, and answers whose it
    /// is and its mode (nil when the mode is unknown); nil for a token that cannot be used.
    func claim(tokenHash: Data, nowMicros: Int64) throws -> (userID: String, mode: Mode?)?
}
