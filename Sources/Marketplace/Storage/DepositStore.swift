import Connectors

/// USDC deposits: the addresses agents registered to pay from, the Transfer logs into the hot
/// wallet seen on chain (seen, then credited or unmatched), and the named cursors of the blocks
/// the watcher has read.
protocol DepositStore {
    /// Who registered `address` in `mode`; nil when nobody did.
    func addressOwner(_ address: String, mode: Mode) throws -> String?
    /// Registers `address` for `userID`, unless it is registered already.
    func register(_ address: String, mode: Mode, userID: String, nowMicros: Int64) throws
    /// The addresses `userID` registered in `mode`, oldest first.
    func addresses(userID: String, mode: Mode) throws -> [String]

    /// The last block the cursor `name` has read; nil before it starts.
    func cursor(_ name: String) throws -> UInt64?
    /// Starts the cursor `name` at `block`, unless it has started.
    func startCursor(_ name: String, at block: UInt64) throws
    /// Moves the cursor `name` on to `block` (never back).
    func advanceCursor(_ name: String, to block: Int64) throws

    /// The seen (not yet credited) deposits in blocks from `block` on, as (transaction hash, log index).
    func seenKeys(fromBlock block: UInt64) throws -> [(hash: String, logIndex: Int64)]
    /// Forgets a seen deposit (a reorg removed its log).
    func forgetSeen(hash: String, logIndex: Int64) throws
    /// Records a Transfer as seen, owned by `userID` (nil: no registered address sent it); one
    /// seen before only moves to its new block.
    func recordSeen(_ transfer: ChainTransfer, userID: String?, mode: Mode, nowMicros: Int64) throws
    /// The seen deposits, in chain order.
    func seen() throws -> [SeenDeposit]
    /// Marks a seen deposit unmatched (no registered address sent it).
    func markUnmatched(hash: String, logIndex: Int64) throws
    /// Marks a seen deposit credited; false when it was not seen (credited already).
    func markCredited(hash: String, logIndex: Int64, nowMicros: Int64) throws -> Bool
}
