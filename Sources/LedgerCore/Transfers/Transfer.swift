/// A journal row: one movement of `amountMinor` of one asset from a debit to a credit account.
public struct Transfer: Sendable, Hashable, Codable {
    /// Position in the journal and its hash chain, from 1 without gaps.
    public let seq: Int64
    public let id: TransferID
    public let debitAccountID: AccountID
    public let creditAccountID: AccountID
    public let amountMinor: Int64
    public let assetID: Int64
    public let flags: TransferFlags
    /// The pending transfer a post or void resolves.
    public let pendingID: TransferID?
    /// The transfer a reversal compensates.
    public let reversesID: TransferID?
    public let timeoutSeconds: Int64
    public let code: Int64
    /// Microseconds since 1970, assigned by the ledger at commit; never decreases along `seq`.
    public let timestamp: Int64
    public let metadata: String?
    /// SHA-256 of the previous row's hash and this row's canonical form.
    public let hash: JournalHash

    public init(seq: Int64, id: TransferID, debitAccountID: AccountID, creditAccountID: AccountID, amountMinor: Int64, assetID: Int64, flags: TransferFlags, pendingID: TransferID?, reversesID: TransferID?, timeoutSeconds: Int64, code: Int64, timestamp: Int64, metadata: String?, hash: JournalHash) {
        self.seq = seq
        self.id = id
        self.debitAccountID = debitAccountID
        self.creditAccountID = creditAccountID
        self.amountMinor = amountMinor
        self.assetID = assetID
        self.flags = flags
        self.pendingID = pendingID
        self.reversesID = reversesID
        self.timeoutSeconds = timeoutSeconds
        self.code = code
        self.timestamp = timestamp
        self.metadata = metadata
        self.hash = hash
    }

    /// When a pending transfer lapses, in microseconds since 1970; nil when it never does.
    public var expiresAt: Int64? {
        guard flags.contains(.pending), timeoutSeconds > 0 else { return nil }
        return timestamp &+ timeoutSeconds &* 1_000_000
    }
}
