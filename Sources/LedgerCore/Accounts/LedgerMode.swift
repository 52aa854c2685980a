/// Test or live: which money an account holds. Test-mode rehearsals and real money never share
/// an account, and no transfer joins the two (`verify` reports one as a fault).
///
/// The mode is written in the account's code, so the ledger needs nothing else to check it: a
/// code with a `test` segment is a test-mode account ("wallet:user:test:u1:USD",
/// "clearing:stripe:test:USD", "escrow:task:test:t1", "clearing:test:USD" of the test-mode
/// connector); every other code is live. Owner ids are generated, never the word `test`.
public enum LedgerMode: String, Sendable, Hashable, CaseIterable, Codable {
    case test, live

    /// The segment that marks a test-mode code.
    public static let testSegment = "test"

    /// The mode an account code is in.
    public init(code: String) {
        self = code.split(separator: ":", omittingEmptySubsequences: false).contains { $0 == Self.testSegment } ? .test : .live
    }

    /// A platform account of the chart in this mode: live accounts are the chart's own; a
    /// test-mode one carries `test` before its asset ("expense:gas:ETH" -> "expense:gas:test:ETH").
    /// A code already in test mode (the test-mode connector's) is returned as it is.
    public func platform(_ account: NewAccount) -> NewAccount {
        guard self == .test, LedgerMode(code: account.code) == .live else { return account }
        var parts = account.code.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        parts.insert(Self.testSegment, at: parts.count - 1)
        var copy = account
        copy.code = parts.joined(separator: ":")
        copy.ownerID = Self.testSegment
        return copy
    }

    /// A template's owner id in this mode: test-mode owners carry the `test` segment in front
    /// ("test:u1"), so the template's code marks the account; live keeps `live` for wallets
    /// (their codes have always named the mode) and nothing for escrow.
    func owner(_ id: String, naming live: Bool) -> String {
        switch self {
        case .test: "\(Self.testSegment):\(id)"
        case .live: live ? "live:\(id)" : id
        }
    }
}
