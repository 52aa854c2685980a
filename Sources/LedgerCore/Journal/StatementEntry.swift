/// One line of an account's statement: a journal row that touched the account.
public struct StatementEntry: Sendable, Hashable, Codable {
    public let commitSeq: Int64
    public let transfer: Transfer
    /// True when the account is the transfer's debit side.
    public let isDebit: Bool
}

/// Where a statement page ends; pass it back to read the next page. Opaque to callers.
public struct StatementCursor: Sendable, Hashable, Codable, CustomStringConvertible {
    let commitSeq: Int64
    let transferSeq: Int64

    /// Reads a cursor produced by `description`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let commit = Int64(parts[0]), let seq = Int64(parts[1]), commit > 0, seq > 0 else { return nil }
        commitSeq = commit
        transferSeq = seq
    }

    init(commitSeq: Int64, transferSeq: Int64) {
        self.commitSeq = commitSeq
        self.transferSeq = transferSeq
    }

    public var description: String { "\(commitSeq).\(transferSeq)" }
}

/// A page of a statement, oldest first.
public struct StatementPage: Sendable, Hashable {
    public let account: Account
    public let entries: [StatementEntry]
    /// Set when more entries follow.
    public let nextCursor: StatementCursor?

    public var hasMore: Bool { nextCursor != nil }
}
