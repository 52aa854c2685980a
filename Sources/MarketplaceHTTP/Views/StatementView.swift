public import LedgerCore

/// A page of an account's statement on the wire.
public struct StatementView: Codable, Sendable, Hashable {
    public struct Entry: Codable, Sendable, Hashable {
        public let side: String
        public let transfer: TransferView
    }

    public let account: AccountView
    public let entries: [Entry]
    public let hasMore: Bool
    public let nextCursor: String?

    public init(_ page: StatementPage) {
        account = AccountView(page.account)
        entries = page.entries.map { Entry(side: $0.isDebit ? "debit" : "credit", transfer: TransferView($0.transfer)) }
        hasMore = page.hasMore
        nextCursor = page.nextCursor?.description
    }
}
