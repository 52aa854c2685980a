public import Connectors
import Foundation

/// USDC on a chain (Base): the connector, which mode's money it moves, when a transaction
/// counts as confirmed, and when a stuck one is replaced.
public struct ChainPayments: Sendable {
    /// The longest a request (a paid funding, an approval's payout) waits on the node, in
    /// seconds: past it the request answers 503 and the chain loop carries on in the background.
    public static let requestNodeSecondsMax: Int64 = 3

    public let chain: any StablecoinChain
    /// Base Sepolia serves test-mode keys, Base live ones: a test key never moves real USDC.
    public var mode: Mode
    public var policy: ConfirmationPolicy
    /// A sent transaction with no receipt after this long is replaced (same nonce, fees +10 %).
    public var replaceAfterSeconds: Int64
    /// x402's maxTimeoutSeconds: how long an agent's authorization must stay valid.
    public var authorizationTimeoutSeconds: Int64
    /// An authorization must stay valid at least this long after it is checked, so the
    /// settlement can be mined in time.
    public var authorizationMarginSeconds: Int64
    /// The block the deposit watcher starts from on a new database (nil: the safe head then).
    public var depositStartBlock: UInt64?
    /// Test hook: stop the process after a transaction is signed and stored, before broadcast.
    public var crashPoint: CardPayments.CrashPoint?

    public init(chain: any StablecoinChain, mode: Mode, policy: ConfirmationPolicy = .init(), replaceAfterSeconds: Int64 = 120,
                authorizationTimeoutSeconds: Int64 = 300, authorizationMarginSeconds: Int64 = 6, depositStartBlock: UInt64? = nil,
                crashPoint: CardPayments.CrashPoint? = nil) {
        self.chain = chain
        self.mode = mode
        self.policy = policy
        self.replaceAfterSeconds = replaceAfterSeconds
        self.authorizationTimeoutSeconds = authorizationTimeoutSeconds
        self.authorizationMarginSeconds = authorizationMarginSeconds
        self.depositStartBlock = depositStartBlock
        self.crashPoint = crashPoint
    }
}

/// When a mined transaction (or a deposit in it) is final enough to move the ledger.
///
/// By default its block must be at or below the chain's safe head: its batch is posted to L1,
/// so only an L1 reorg could undo it. Never a bare block count: Base's blocks come every
/// 200 ms, so a count says little about time or safety. Small amounts may take a fast path:
/// at most `fastPathMaxMinor`, mined at least `fastPathSeconds` ago by the head's clock.
public struct ConfirmationPolicy: Sendable, Hashable {
    /// 0 turns the fast path off (the default: a reorg of unsafe blocks then never credits).
    public var fastPathMaxMinor: Int64
    public var fastPathSeconds: Int64

    public init(fastPathMaxMinor: Int64 = 0, fastPathSeconds: Int64 = 60) {
        self.fastPathMaxMinor = fastPathMaxMinor
        self.fastPathSeconds = fastPathSeconds
    }

    /// Whether money that moved in `block` (mined at `blockTimestamp`) counts. A failure
    /// (`succeeded` false) always waits for the safe head: a reverted settlement that a reorg
    /// undid could still be mined again and succeed.
    public func holds(amountMinor: Int64, block: UInt64, blockTimestamp: Int64, succeeded: Bool, heads: ChainHeads) -> Bool {
        if block <= heads.safe { return true }
        guard succeeded, fastPathMaxMinor > 0, amountMinor <= fastPathMaxMinor, block <= heads.latest else { return false }
        return heads.latestTimestamp - blockTimestamp >= fastPathSeconds
    }
}

/// One transaction the hot wallet signed for a connector call, stored before broadcast.
struct ChainTransactionRecord: Sendable {
    enum State: String, Sendable { case signed, sent, replaced, abandoned }

    var id: Int64
    var callID: Int64
    var nonce: UInt64
    var hash: String
    var raw: String
    var fees: ChainFees
    var state: State
    var createdAt: Int64
    var sentAt: Int64?

    var signed: SignedChainTransaction { SignedChainTransaction(hash: hash, raw: raw, nonce: nonce, fees: fees) }
}

/// The hot wallet's nonce sequence, persisted so a restart never signs two transactions with
/// one nonce, nor skips one.
enum NonceSequence {
    /// Moves the sequence to the node's pending count. Never backwards past a nonce this store
    /// signed and still means to send (a crash between signing and broadcast): that transaction
    /// is sent again with its own nonce.
    static func resync(_ address: String, pendingCount: UInt64, _ stores: Stores) throws {
        let signed = try stores.chainTransactions.nonceAfterUnsettled()
        let next = max(Int64(clamping: pendingCount), signed)
        try stores.chainTransactions.setNextNonce(address, next)
    }
}
