import Connectors

/// The hot wallet's chain transactions: each one signed for a connector call, stored with its
/// raw bytes before broadcast, and where it stands; beside them the wallet's next nonce, so a
/// restart never signs two transactions with one nonce.
protocol ChainTransactionStore {
    /// Stores a signed transaction of call `call`, in state signed.
    func insert(_ transaction: SignedChainTransaction, call: Int64, nowMicros: Int64) throws -> ChainTransactionRecord
    /// A call's transactions still in play (not abandoned), oldest first.
    func live(call: Int64) throws -> [ChainTransactionRecord]
    /// Moves each of `ids` to `state`; the first move to sent records when it was sent.
    func mark(_ ids: [Int64], _ state: ChainTransactionRecord.State, nowMicros: Int64) throws
    /// Whether the hot wallet signed the transaction `hash`.
    func contains(hash: String) throws -> Bool
    /// The nonce after the highest one of a transaction still meant to be sent (signed or sent); 0 when none is.
    func nonceAfterUnsettled() throws -> Int64

    /// Whether a next nonce is stored for `address`.
    func hasNonce(_ address: String) throws -> Bool
    /// Takes `address`'s next nonce (the stored one moves on by one); nil when none is stored.
    func takeNonce(_ address: String) throws -> UInt64?
    /// Stores `next` as `address`'s next nonce.
    func setNextNonce(_ address: String, _ next: Int64) throws
    /// The hashes of every chain transaction the hot wallet signed, oldest first.
    func allHashes() throws -> [String]
}
