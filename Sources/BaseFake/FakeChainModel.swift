import BaseConnector

/// The fixed gas each kind of call uses. The fake runs no EVM, so it charges round figures
/// close to what these calls cost on Base.
enum FakeGas {
    static let plainTransfer: UInt64 = 21_000
    static let usdcTransfer: UInt64 = 50_000
    static let transferWithAuthorization: UInt64 = 80_000
    static let otherUSDCCall: UInt64 = 30_000
    static let blockLimit: UInt64 = 30_000_000
}

/// A payer's EIP-3009 nonce, as USDC's `authorizationState` keys it.
struct AuthorizationKey: Hashable, Sendable {
    let authorizer: EthereumAddress
    let nonce: [UInt8]
}

/// One reversible change a mined transaction made. A reorg undoes a block's changes in reverse
/// order, so the blocks' effects vanish exactly while test set-up made between blocks
/// (`mintUSDC`, `setETHBalance`) stays, like a genesis allocation.
enum StateChange: Sendable {
    case nonce(EthereumAddress)
    /// Gas and L1 fee, paid to the fee vaults (which the fake does not model).
    case payFee(EthereumAddress, wei: UInt64)
    case moveETH(from: EthereumAddress, to: EthereumAddress, wei: UInt64)
    case moveUSDC(from: EthereumAddress, to: EthereumAddress, amount: UInt64)
    case useAuthorization(AuthorizationKey)
}

/// Balances, account nonces and used authorizations: everything a block changes.
struct World: Sendable {
    var usdc: [EthereumAddress: UInt64] = [:]
    var eth: [EthereumAddress: UInt64] = [:]
    var nonces: [EthereumAddress: UInt64] = [:]
    var usedAuthorizations: Set<AuthorizationKey> = []
    /// Accounts USDC's blacklister froze: set up outside blocks, so a reorg keeps them.
    var blacklisted: Set<EthereumAddress> = []

    func usdcBalance(of account: EthereumAddress) -> UInt64 { usdc[account, default: 0] }
    func ethBalance(of account: EthereumAddress) -> UInt64 { eth[account, default: 0] }
    func nonce(of account: EthereumAddress) -> UInt64 { nonces[account, default: 0] }

    /// Traps on underflow: the miner checked every debit against the balance first.
    mutating func apply(_ change: StateChange) {
        switch change {
        case .nonce(let account): nonces[account, default: 0] += 1
        case .payFee(let account, let wei): eth[account, default: 0] -= wei
        case .moveETH(let from, let to, let wei):
            eth[from, default: 0] -= wei
            eth[to, default: 0] += wei
        case .moveUSDC(let from, let to, let amount):
            usdc[from, default: 0] -= amount
            usdc[to, default: 0] += amount
        case .useAuthorization(let key): precondition(usedAuthorizations.insert(key).inserted, "an authorization was used twice")
        }
    }

    mutating func undo(_ change: StateChange) {
        switch change {
        case .nonce(let account): nonces[account, default: 0] -= 1
        case .payFee(let account, let wei): eth[account, default: 0] += wei
        case .moveETH(let from, let to, let wei):
            // `setETHBalance` may have lowered the recipient since; take back no more than it holds.
            eth[to, default: 0] -= min(wei, eth[to, default: 0])
            eth[from, default: 0] += wei
        case .moveUSDC(let from, let to, let amount):
            // USDC only grows outside blocks and later blocks are undone first, so this cannot underflow.
            usdc[to, default: 0] -= amount
            usdc[from, default: 0] += amount
        case .useAuthorization(let key): precondition(usedAuthorizations.remove(key) != nil, "undoing an authorization never used")
        }
    }
}

/// An event a call emitted, before a block places it.
struct LogEntry: Sendable {
    let address: EthereumAddress
    let topics: [[UInt8]]
    let data: [UInt8]
}

/// A message call: what a transaction or an `eth_call` asks of an account.
struct Call: Sendable {
    let from: EthereumAddress
    let to: EthereumAddress
    let value: UInt256
    let data: [UInt8]
}

/// What a call did: its return data with the changes and logs to keep, or a revert (with
/// USDC's reason when the contract gives one).
enum CallOutcome: Sendable {
    case returned([UInt8], changes: [StateChange], logs: [LogEntry])
    case reverted(reason: String?)
}

/// A transaction in the pool, and (inside a block) the one that was mined.
struct PooledTransaction: Sendable {
    /// A signed type-2 transaction sent over RPC, or a synthetic outside transfer that pays no
    /// gas and has no nonce: only its USDC movement matters to the marketplace.
    enum Origin: Sendable {
        case signed(EIP1559Transaction, RecoverableSignature, raw: [UInt8])
        case external
    }

    let hash: [UInt8]
    let from: EthereumAddress
    let to: EthereumAddress
    let value: UInt256
    let data: [UInt8]
    let gas: UInt64
    let origin: Origin

    var nonce: UInt64? {
        guard case .signed(let transaction, _, _) = origin else { return nil }
        return transaction.nonce
    }

    /// Fees are held saturated at 2^64−1 wei: a larger one could never be paid from a 64-bit balance.
    var maxFeePerGas: UInt64 {
        guard case .signed(let transaction, _, _) = origin else { return 0 }
        return transaction.maxFeePerGas.uint64 ?? .max
    }

    var maxPriorityFeePerGas: UInt64 {
        guard case .signed(let transaction, _, _) = origin else { return 0 }
        return transaction.maxPriorityFeePerGas.uint64 ?? .max
    }
}

/// A transaction as mined, with its receipt's figures and the changes a reorg undoes.
struct MinedTransaction: Sendable {
    let transaction: PooledTransaction
    let status: UInt8
    let gasUsed: UInt64
    let cumulativeGasUsed: UInt64
    let effectiveGasPrice: UInt64
    let l1FeeWei: UInt64
    let logs: [LogEntry]
    let changes: [StateChange]
}

struct Block: Sendable {
    let number: UInt64
    let hash: [UInt8]
    let parentHash: [UInt8]
    let timestamp: Int64
    let baseFeeWei: UInt64
    let transactions: [MinedTransaction]

    /// The hash covers the reorg generation so a block mined again at the same height differs.
    init(number: UInt64, parentHash: [UInt8], timestamp: Int64, baseFeeWei: UInt64, transactions: [MinedTransaction], generation: UInt64) {
        self.number = number
        self.parentHash = parentHash
        self.timestamp = timestamp
        self.baseFeeWei = baseFeeWei
        self.transactions = transactions
        hash = Keccak256.hash(RLP.list([.uint(number), .bytes(parentHash), .uint(UInt64(timestamp)),
                                        .list(transactions.map { .bytes($0.transaction.hash) }), .uint(generation)]).encoded)
    }

    var gasUsed: UInt64 { transactions.last?.cumulativeGasUsed ?? 0 }
}
