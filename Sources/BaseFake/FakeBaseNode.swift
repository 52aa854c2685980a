public import BaseConnector
import Synchronization

/// A Base (OP-stack) node for tests, speaking Ethereum JSON-RPC 2.0: a pool that admits signed
/// EIP-1559 transactions with geth's checks and messages, blocks mined when the test says so,
/// USDC's `transfer` and `transferWithAuthorization` with the contract's revert reasons, receipts
/// with op-geth's L1 fee, logs, safe and finalized heads, and the faults a payment client must
/// survive (dropped transactions, reorgs of unsafe blocks, refused sends, HTTP 503s).
///
/// `respond(to:)` answers one HTTP body; `FakeBaseServer` puts the node on loopback HTTP.
public final class FakeBaseNode: Sendable {
    public let network: BaseNetwork
    let chain: Mutex<FakeChain>

    /// `startSeconds` is genesis's timestamp; `baseFeePerGas` applies until `setBaseFee`;
    /// `l1FeeWei` is charged once per signed transaction on top of its L2 gas.
    public init(network: BaseNetwork = .baseSepolia, startSeconds: Int64 = 1_790_000_000, baseFeePerGas: UInt64 = 1_000_000,
                l1FeeWei: UInt64 = 30_000_000_000) {
        precondition(startSeconds >= 0, "block timestamps are unsigned")
        self.network = network
        chain = Mutex(FakeChain(network: network, startSeconds: startSeconds, baseFeeWei: baseFeePerGas, l1FeeWei: l1FeeWei))
    }

    /// From now on receipts carry no `l1Fee` (nor the other L1 fields), as from a node that is
    /// not op-geth; the L1 fee is still charged to the sender.
    public func omitL1FeeInReceipts(_ omit: Bool = true) { chain.withLock { $0.omitL1FeeInReceipts = omit } }

    // MARK: - Balances (test set-up: outside any block, so a reorg keeps them)

    /// USDC base units (6 decimals).
    public func mintUSDC(to account: EthereumAddress, amount: UInt64) { chain.withLock { $0.world.usdc[account, default: 0] += amount } }

    public func usdcBalance(of account: EthereumAddress) -> UInt64 { chain.withLock { $0.world.usdcBalance(of: account) } }

    public func setETHBalance(of account: EthereumAddress, wei: UInt64) { chain.withLock { $0.world.eth[account] = wei } }

    public func ethBalance(of account: EthereumAddress) -> UInt64 { chain.withLock { $0.world.ethBalance(of: account) } }

    /// USDC's blacklister freezes `account`: from now on a transfer from or to it reverts with
    /// "Blacklistable: account is blacklisted", as FiatToken's `notBlacklisted` modifiers do.
    public func blacklistUSDC(_ account: EthereumAddress) { chain.withLock { _ = $0.world.blacklisted.insert(account) } }

    public func authorizationUsed(authorizer: EthereumAddress, nonce: [UInt8]) -> Bool {
        chain.withLock { $0.world.usedAuthorizations.contains(AuthorizationKey(authorizer: authorizer, nonce: nonce)) }
    }

    /// An agent paying `to` from its own wallet: a pooled transaction with a synthetic hash that
    /// the next `mine()` executes as USDC `transfer`, Transfer log included. The payer needs the
    /// USDC (mint it first) but no ETH: its gas and nonce are not modelled. Returns the hash.
    @discardableResult
    public func externalTransfer(from: EthereumAddress, to: EthereumAddress, amount: UInt64) -> [UInt8] {
        chain.withLock { $0.addExternalTransfer(from: from, to: to, amount: amount) }
    }

    /// A third party submitting an agent's signed EIP-3009 authorization to USDC itself (anyone
    /// may: the contract checks the payer's signature, not the sender). The transaction is
    /// pooled ahead of every other, as a front-runner's higher tip gets it mined first; the next
    /// `mine()` executes it with USDC's checks, AuthorizationUsed and Transfer logs included.
    /// The sender's gas and nonce are not modelled. Returns the hash.
    @discardableResult
    public func submitAuthorization(_ authorization: TransferAuthorization, signature: RecoverableSignature, from sender: EthereumAddress) -> [UInt8] {
        chain.withLock { $0.addExternalCall(from: sender, data: ABI.transferWithAuthorization(authorization, signature: signature), ahead: true) }
    }

    // MARK: - Time and blocks

    /// The clock the next block takes as its timestamp (never earlier than its parent's).
    public var nowSeconds: Int64 { chain.withLock { $0.nowSeconds } }

    public func advanceClock(seconds: Int64) {
        precondition(seconds >= 0, "the clock only moves forward")
        chain.withLock { $0.nowSeconds += seconds }
    }

    /// Mines `blocks` blocks at the current clock; returns the new latest block number.
    @discardableResult
    public func mine(blocks: Int = 1) -> UInt64 {
        precondition(blocks >= 0, "a negative number of blocks")
        return chain.withLock { chain in
            for _ in 0..<blocks { chain.mineBlock() }
            return chain.latest
        }
    }

    /// The latest block's L1 batch is posted: safe = latest.
    public func markSafe() { chain.withLock { $0.safe = $0.latest } }

    /// The safe head's L1 batch is final: finalized = safe.
    public func markFinalized() { chain.withLock { $0.finalized = $0.safe } }

    public var latestBlock: UInt64 { chain.withLock { $0.latest } }
    public var safeBlock: UInt64 { chain.withLock { $0.safe } }
    public var finalizedBlock: UInt64 { chain.withLock { $0.finalized } }

    /// The base fee of blocks mined from now on (and of `eth_gasPrice`'s answer).
    public func setBaseFee(wei: UInt64) { chain.withLock { $0.baseFeeWei = wei } }

    // MARK: - Faults

    /// Removes a transaction from the pool, as a node that forgot it; false when it is not pooled.
    public func drop(transaction hash: [UInt8]) -> Bool {
        chain.withLock { chain in
            guard let index = chain.pool.firstIndex(where: { $0.hash == hash }) else { return false }
            chain.pool.remove(at: index)
            return true
        }
    }

    /// Removes every block above `safe`, restoring balances, nonces, authorization states and
    /// logs; their transactions go back to the pool with `requeue`, else vanish. Blocks mined
    /// again at those heights get new hashes.
    public func reorgUnsafeBlocks(requeue: Bool) { chain.withLock { $0.reorgUnsafeBlocks(requeue: requeue) } }

    /// The next `count` eth_sendRawTransaction calls answer error -32000 with `message`, admitting nothing.
    public func refuseNextSends(_ count: Int, message: String) {
        precondition(count >= 0, "a negative count")
        chain.withLock { $0.sendRefusals = (count, message) }
    }

    /// The next `count` HTTP requests answer 503 without being read or logged.
    public func failNextRequests(_ count: Int) {
        precondition(count >= 0, "a negative count")
        chain.withLock { $0.requestFailures = count }
    }

    /// eth_getLogs refuses, with -32005 as hosted providers do, a range wider than `blockRange`
    /// blocks or one matching more than `results` logs (10,000 each by default).
    public func limitLogs(blockRange: UInt64, results: Int) {
        precondition(blockRange > 0 && results > 0, "limits above 0")
        chain.withLock { chain in
            chain.logsBlockRangeMax = blockRange
            chain.logsResultsMax = results
        }
    }

    /// From now on every HTTP request is answered only after `seconds` (0 ends it), as a node
    /// that accepts connections but hangs.
    public func stallRequests(seconds: Int64) {
        precondition(seconds >= 0, "a negative stall")
        chain.withLock { $0.stallSeconds = seconds }
    }

    var stallSeconds: Int64 { chain.withLock { $0.stallSeconds } }

    // MARK: - Observation

    /// The raw bytes of every transaction eth_sendRawTransaction admitted, in order.
    public var sentTransactions: [[UInt8]] { chain.withLock { $0.sentTransactions } }

    /// The JSON-RPC method of every call received (each call of a batch), in order.
    public var requestLog: [String] { chain.withLock { $0.requestLog } }

    /// The hashes waiting in the pool, in the order mining considers them.
    public var pooledTransactions: [[UInt8]] { chain.withLock { $0.pool.map(\.hash) } }

    /// 1 or 0 once mined, nil while pooled or unknown.
    public func receiptStatus(_ hash: [UInt8]) -> UInt8? {
        chain.withLock { chain in chain.mined(hash).map { $0.block.transactions[$0.index].status } }
    }

    /// Answers one HTTP request body: the status (200, or 503 for an injected failure) and the body.
    public func respond(to body: [UInt8]) -> (status: Int, body: [UInt8]) { chain.withLock { $0.respond(to: body) } }
}
