/// The four running totals of an account, in the asset's minor units (TigerBeetle's model).
public struct AccountBalance: Sendable, Hashable, Codable {
    public var debitsPending: Int64
    public var debitsPosted: Int64
    public var creditsPending: Int64
    public var creditsPosted: Int64

    public init(debitsPending: Int64 = 0, debitsPosted: Int64 = 0, creditsPending: Int64 = 0, creditsPosted: Int64 = 0) {
        self.debitsPending = debitsPending
        self.debitsPosted = debitsPosted
        self.creditsPending = creditsPending
        self.creditsPosted = creditsPosted
    }

    public static let zero = AccountBalance()

    /// Posted balance on the account's normal side (credits minus debits for a liability).
    public func posted(for type: AccountType) -> Int64 {
        type.isDebitNormal ? debitsPosted &- creditsPosted : creditsPosted &- debitsPosted
    }

    /// Posted balance minus pending outflows: what the owner can still move.
    public func available(for type: AccountType) -> Int64 {
        type.isDebitNormal ? posted(for: type) &- creditsPending : posted(for: type) &- debitsPending
    }

    /// Pending outflows on the account's normal side (the API calls escrow plus these "frozen").
    public func pendingOutflows(for type: AccountType) -> Int64 {
        type.isDebitNormal ? creditsPending : debitsPending
    }
}
