import Foundation

/// The task tokens of anonymous posting: one row per `tt_` token (stored by its hash) with
/// the task it manages, the task's hidden owner and the client address that posted it.
protocol TaskTokenStore {
    func insert(tokenHash: Data, taskID: String, userID: String, clientAddress: String, nowMicros: Int64) throws
    /// The task a token manages, its hidden owner and the task's mode (nil when the mode is
    /// unknown); nil for an unknown token.
    func holder(ofTokenHash tokenHash: Data) throws -> (taskID: String, userID: String, mode: Mode?)?
    /// How many of the address's anonymous tasks are still published and have no funding.
    func unfundedCount(clientAddress: String) throws -> Int
}
