/// What the settlement service asks of a chain where the platform holds a stablecoin (USDC on
/// Base): sign and broadcast transfers from the hot wallet, read receipts and the chain's
/// heads, find incoming transfers, and check an EIP-3009 authorization before settling it.
///
/// Nonces, stored raw transactions, retries and the confirmation policy are the settlement
/// service's: it persists them with the ledger intent they serve. The connector signs what it
/// is told and reports what the node says; it writes nothing.
public protocol StablecoinChain: Sendable {
    /// The connector's name in the chart of accounts (`clearing:base:USDC`).
    var name: String { get }
    /// The network's name as x402 writes it in v1 (`base`, `base-sepolia`).
    var network: String { get }
    var chainID: UInt64 { get }
    /// The token contract, EIP-55 checksummed.
    var asset: String { get }
    /// The token's EIP-712 domain name and version (x402's `extra`).
    var assetDomain: (name: String, version: String) { get }
    /// The hot wallet: it pays out, receives deposits and authorizations, and pays gas.
    var hotWallet: String { get }

    /// Refuses to go on when the node serves another chain than the configured one.
    func checkChain() async throws(ConnectorError)

    /// An address in EIP-55 form; `.refused` naming `field` for a malformed one or a bad checksum.
    func normalize(address: String, field: String) throws(ConnectorError) -> String

    /// The hot wallet's next nonce, counting its transactions in the node's pool.
    func pendingNonce() async throws(ConnectorError) -> UInt64

    /// Fees for a new transaction: maxFee = 2 × the latest base fee + the suggested tip.
    func suggestedFees() async throws(ConnectorError) -> ChainFees

    /// Signs a token transfer from the hot wallet (nothing is sent).
    func signTransfer(to: String, amountMinor: Int64, nonce: UInt64, fees: ChainFees) throws(ConnectorError) -> SignedChainTransaction

    /// Signs a transferWithAuthorization carrying the payer's signature, sent by the hot wallet.
    func signSettlement(of authorization: ChainAuthorization, nonce: UInt64, fees: ChainFees) throws(ConnectorError) -> SignedChainTransaction

    /// Sends signed bytes to the node.
    func broadcast(_ transaction: SignedChainTransaction) async throws(ConnectorError) -> BroadcastOutcome

    /// A mined transaction's outcome; nil while pending, unknown, or reorganized away.
    func receipt(of hash: String) async throws(ConnectorError) -> ChainReceipt?

    /// True when the node still knows the transaction (pending or mined).
    func knows(_ hash: String) async throws(ConnectorError) -> Bool

    /// The chain's latest, safe and finalized blocks.
    func heads() async throws(ConnectorError) -> ChainHeads

    /// Block `number` as the node has it now (its hash spots a reorg); nil past the head.
    func block(_ number: UInt64) async throws(ConnectorError) -> ChainBlock?

    /// Token transfers into `to` mined in blocks `from...through`, oldest first.
    func incomingTransfers(to: String, from: UInt64, through: UInt64) async throws(ConnectorError) -> [ChainTransfer]
    /// The token's transfers out of `sender` in the block range, oldest first (for reconciliation).
    func outgoingTransfers(from sender: String, from: UInt64, through: UInt64) async throws(ConnectorError) -> [ChainTransfer]

    /// True once the token marked the authorization's (payer, nonce) used, by whoever sent it.
    func authorizationUsed(_ authorization: ChainAuthorization) async throws(ConnectorError) -> Bool

    /// The token Transfer that carried out `authorization` in blocks `from...through`, whoever
    /// sent the transaction (its AuthorizationUsed event and the Transfer after it); nil when
    /// no such use is there. The caller checks the Transfer's recipient and amount.
    func authorizationTransfer(of authorization: ChainAuthorization, from: UInt64, through: UInt64) async throws(ConnectorError) -> ChainTransfer?

    /// Reads an authorization's fields; `.refused` naming the field at fault.
    func parseAuthorization(_ fields: AuthorizationFields) throws(ConnectorError) -> ChainAuthorization

    /// Checks an authorization against the chain as x402's "exact" scheme does: the signature
    /// recovers to `from`, the nonce is unused, the payer holds the value, and the transfer
    /// succeeds in simulation. Throws `.refused` with a code naming what failed.
    func verify(_ authorization: ChainAuthorization) async throws(ConnectorError)
}

/// EIP-1559 fees in wei.
public struct ChainFees: Sendable, Hashable, Codable {
    public var maxFeePerGas: UInt64
    public var maxPriorityFeePerGas: UInt64

    public init(maxFeePerGas: UInt64, maxPriorityFeePerGas: UInt64) {
        self.maxFeePerGas = maxFeePerGas
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
    }

    /// Both fees raised by at least `percent` (rounded up), for a replacement with the same
    /// nonce; never below `floor` (fresh fees when the chain got dearer).
    public func bumped(byPercent percent: UInt64, floor: ChainFees) -> ChainFees {
        func raise(_ fee: UInt64) -> UInt64 {
            let (scaled, overflow) = fee.multipliedReportingOverflow(by: 100 + percent)
            return overflow ? UInt64.max : (scaled + 99) / 100
        }
        let tip = max(raise(maxPriorityFeePerGas), floor.maxPriorityFeePerGas)
        return ChainFees(maxFeePerGas: max(raise(maxFeePerGas), floor.maxFeePerGas, tip), maxPriorityFeePerGas: tip)
    }
}

/// Signed bytes and their hash, both 0x-hex, kept before broadcast so they can be sent again.
public struct SignedChainTransaction: Sendable, Hashable {
    public var hash: String
    public var raw: String
    public var nonce: UInt64
    public var fees: ChainFees

    public init(hash: String, raw: String, nonce: UInt64, fees: ChainFees) {
        self.hash = hash
        self.raw = raw
        self.nonce = nonce
        self.fees = fees
    }
}

public enum BroadcastOutcome: Sendable, Equatable {
    /// The node took it (or already had it).
    case sent
    /// The nonce is spent: by this very transaction if a receipt exists, else by another one.
    case nonceTooLow
    /// The node refused it for another reason (underpriced, no funds for gas, malformed).
    case refused(String)
}

public struct ChainReceipt: Sendable, Hashable {
    public var hash: String
    public var succeeded: Bool
    public var blockNumber: UInt64
    public var blockHash: String
    /// Execution gas × effective price plus the OP-stack L1 data fee, in wei.
    public var feeWei: UInt64
    /// True when the chain charges an L1 fee but the receipt did not say it: `feeWei` is then
    /// the execution gas only, and the fee actually paid is more.
    public var l1FeeUnreported: Bool

    public init(hash: String, succeeded: Bool, blockNumber: UInt64, blockHash: String, feeWei: UInt64, l1FeeUnreported: Bool = false) {
        self.hash = hash
        self.succeeded = succeeded
        self.blockNumber = blockNumber
        self.blockHash = blockHash
        self.feeWei = feeWei
        self.l1FeeUnreported = l1FeeUnreported
    }
}

public struct ChainHeads: Sendable, Hashable {
    public var latest: UInt64
    public var latestTimestamp: Int64
    /// Blocks at or below it are in a batch posted to L1.
    public var safe: UInt64
    public var finalized: UInt64

    public init(latest: UInt64, latestTimestamp: Int64, safe: UInt64, finalized: UInt64) {
        self.latest = latest
        self.latestTimestamp = latestTimestamp
        self.safe = safe
        self.finalized = finalized
    }
}

public struct ChainBlock: Sendable, Hashable {
    public var number: UInt64
    public var hash: String
    public var timestamp: Int64

    public init(number: UInt64, hash: String, timestamp: Int64) {
        self.number = number
        self.hash = hash
        self.timestamp = timestamp
    }
}

/// One token Transfer log into one of the platform's addresses.
public struct ChainTransfer: Sendable, Hashable {
    public var transactionHash: String
    public var logIndex: UInt64
    public var blockNumber: UInt64
    public var blockHash: String
    public var from: String
    public var to: String
    public var amountMinor: Int64

    public init(transactionHash: String, logIndex: UInt64, blockNumber: UInt64, blockHash: String, from: String, to: String, amountMinor: Int64) {
        self.transactionHash = transactionHash
        self.logIndex = logIndex
        self.blockNumber = blockNumber
        self.blockHash = blockHash
        self.from = from
        self.to = to
        self.amountMinor = amountMinor
    }
}

/// An EIP-3009 authorization as a client sends it (x402's payload): every field text.
public struct AuthorizationFields: Sendable, Hashable, Codable {
    public var from: String
    public var to: String
    public var value: String
    public var validAfter: String
    public var validBefore: String
    public var nonce: String
    public var signature: String

    public init(from: String, to: String, value: String, validAfter: String, validBefore: String, nonce: String, signature: String) {
        self.from = from
        self.to = to
        self.value = value
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.nonce = nonce
        self.signature = signature
    }
}

/// A read authorization: addresses checksummed, the value in the token's minor units, the
/// window in Unix seconds, the nonce and signature as 0x-hex.
public struct ChainAuthorization: Sendable, Hashable, Codable {
    public var from: String
    public var to: String
    public var amountMinor: Int64
    public var validAfter: Int64
    public var validBefore: Int64
    public var nonce: String
    public var signature: String

    public init(from: String, to: String, amountMinor: Int64, validAfter: Int64, validBefore: Int64, nonce: String, signature: String) {
        self.from = from
        self.to = to
        self.amountMinor = amountMinor
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.nonce = nonce
        self.signature = signature
    }
}
