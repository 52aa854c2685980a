import BaseConnector

/// The node's whole state behind its lock: blocks, the world after the latest one, the pool,
/// the clock and the faults tests inject. Blocks are never empty: block 0 is genesis.
struct FakeChain: Sendable {
    static let poolTransactionsMax = 4_096
    /// The one tip the fake's market pays; `eth_maxPriorityFeePerGas` suggests it.
    static let suggestedTipWei: UInt64 = 1_000_000

    let network: BaseNetwork
    let l1FeeWei: UInt64
    var world = World()
    var blocks: [Block]
    var pool: [PooledTransaction] = []
    var nowSeconds: Int64
    /// The base fee of the next block.
    var baseFeeWei: UInt64
    var safe: UInt64 = 0
    var finalized: UInt64 = 0
    var reorgGeneration: UInt64 = 0
    var externalTransfers: UInt64 = 0
    var sentTransactions: [[UInt8]] = []
    var requestLog: [String] = []
    var sendRefusals: (remaining: Int, message: String) = (0, "")
    var requestFailures = 0
    var stallSeconds: Int64 = 0
    var logsBlockRangeMax: UInt64 = 10_000
    var logsResultsMax = 10_000
    /// Receipts lack op-geth's L1 fee fields (as a node or proxy that is not op-geth answers);
    /// the fee is still charged.
    var omitL1FeeInReceipts = false

    init(network: BaseNetwork, startSeconds: Int64, baseFeeWei: UInt64, l1FeeWei: UInt64) {
        self.network = network
        self.l1FeeWei = l1FeeWei
        self.baseFeeWei = baseFeeWei
        nowSeconds = startSeconds
        blocks = [Block(number: 0, parentHash: [UInt8](repeating: 0, count: 32), timestamp: startSeconds, baseFeeWei: baseFeeWei,
                        transactions: [], generation: 0)]
    }

    var latest: UInt64 { UInt64(blocks.count - 1) }

    func block(_ number: UInt64) -> Block? { number <= latest ? blocks[Int(number)] : nil }

    func block(hash: [UInt8]) -> Block? { blocks.first { $0.hash == hash } }

    func mined(_ hash: [UInt8]) -> (block: Block, index: Int)? {
        for block in blocks.reversed() {
            if let index = block.transactions.firstIndex(where: { $0.transaction.hash == hash }) { return (block, index) }
        }
        return nil
    }

    func pooled(_ hash: [UInt8]) -> PooledTransaction? { pool.first { $0.hash == hash } }

    /// The world as it stood after block `number`: the latest one with later blocks undone.
    func world(at number: UInt64) -> World {
        var world = self.world
        for block in blocks.dropFirst(Int(number) + 1).reversed() {
            for transaction in block.transactions.reversed() {
                for change in transaction.changes.reversed() { world.undo(change) }
            }
        }
        return world
    }

    /// The nonce the sender's next transaction takes: mined ones plus pooled ones without a gap.
    func pendingNonce(of account: EthereumAddress) -> UInt64 {
        var nonce = world.nonce(of: account)
        while pool.contains(where: { $0.from == account && $0.nonce == nonce }) { nonce += 1 }
        return nonce
    }

    mutating func addExternalTransfer(from: EthereumAddress, to: EthereumAddress, amount: UInt64) -> [UInt8] {
        addExternalCall(from: from, data: ABI.transfer(to: to, value: UInt256(amount)), ahead: false)
    }

    /// A synthetic transaction from `from` calling USDC with `data`; `ahead` puts it at the front
    /// of the pool, as a sender paying a higher tip is mined first.
    mutating func addExternalCall(from: EthereumAddress, data: [UInt8], ahead: Bool) -> [UInt8] {
        externalTransfers += 1
        let hash = Keccak256.hash(Array("FakeBaseNode external transfer".utf8) + UInt256(externalTransfers).bytes + from.bytes + data)
        let entry = PooledTransaction(hash: hash, from: from, to: network.usdc, value: .zero, data: data, gas: FakeUSDC.gasRequired(for: data),
                                      origin: .external)
        if ahead { pool.insert(entry, at: 0) } else { pool.append(entry) }
        return hash
    }

    // MARK: - Mining

    /// Takes pooled transactions in arrival order, each sender's in nonce order (a gap or a fee
    /// cap under the base fee holds back that sender's later ones), until none is includable.
    mutating func mineBlock() {
        let parent = blocks[blocks.count - 1]
        let timestamp = nowSeconds
        precondition(timestamp >= parent.timestamp, "block timestamps never decrease")
        var included: [MinedTransaction] = []
        var gasUsed: UInt64 = 0
        while let index = pool.firstIndex(where: { isIncludable($0, blockGasUsed: gasUsed) }) {
            let mined = execute(pool.remove(at: index), timestamp: timestamp, blockGasUsed: gasUsed)
            gasUsed = mined.cumulativeGasUsed
            included.append(mined)
        }
        // A transaction whose nonce was taken can never be mined; geth drops it the same way.
        let nonces = world.nonces
        pool.removeAll { entry in entry.nonce.map { $0 < nonces[entry.from, default: 0] } ?? false }
        blocks.append(Block(number: parent.number + 1, parentHash: parent.hash, timestamp: timestamp, baseFeeWei: baseFeeWei,
                            transactions: included, generation: reorgGeneration))
    }

    /// The sender must afford the whole gas limit at the fee cap, the value and the L1 fee, as
    /// op-geth checks when it buys gas.
    func isIncludable(_ entry: PooledTransaction, blockGasUsed: UInt64) -> Bool {
        guard blockGasUsed + entry.gas <= FakeGas.blockLimit else { return false }
        guard let nonce = entry.nonce else { return true }
        let cost = UInt128(entry.gas) * UInt128(entry.maxFeePerGas) + UInt128(entry.value.uint64 ?? .max) + UInt128(l1FeeWei)
        return nonce == world.nonce(of: entry.from) && entry.maxFeePerGas >= baseFeeWei && cost <= UInt128(world.ethBalance(of: entry.from))
    }

    /// A revert or too small a gas limit still takes the nonce and the fee, as on chain.
    mutating func execute(_ entry: PooledTransaction, timestamp: Int64, blockGasUsed: UInt64) -> MinedTransaction {
        let call = Call(from: entry.from, to: entry.to, value: entry.value, data: entry.data)
        let required = gasRequired(call)
        let gasUsed = min(required, entry.gas)
        var changes: [StateChange] = []
        var price = baseFeeWei
        if entry.nonce != nil {
            let tipped = UInt128(baseFeeWei) + UInt128(entry.maxPriorityFeePerGas)
            price = UInt64(min(UInt128(entry.maxFeePerGas), tipped))
            changes = [.nonce(entry.from), .payFee(entry.from, wei: gasUsed * price + l1FeeWei)]
        }
        for change in changes { world.apply(change) }
        var status: UInt8 = 0
        var logs: [LogEntry] = []
        if entry.gas >= required, case .returned(_, let callChanges, let callLogs) = run(call, on: world, timestamp: timestamp) {
            for change in callChanges { world.apply(change) }
            changes += callChanges
            logs = callLogs
            status = 1
        }
        return MinedTransaction(transaction: entry, status: status, gasUsed: gasUsed, cumulativeGasUsed: blockGasUsed + gasUsed,
                                effectiveGasPrice: price, l1FeeWei: entry.nonce == nil ? 0 : l1FeeWei, logs: logs, changes: changes)
    }

    func gasRequired(_ call: Call) -> UInt64 {
        call.to == network.usdc ? FakeUSDC.gasRequired(for: call.data) : FakeGas.plainTransfer
    }

    /// Runs a call against `world` without changing it. Accounts other than USDC have no code:
    /// a call to them only moves its value.
    func run(_ call: Call, on world: World, timestamp: Int64) -> CallOutcome {
        guard call.to == network.usdc else {
            guard !call.value.isZero else { return .returned([], changes: [], logs: []) }
            guard let wei = call.value.uint64, wei <= world.ethBalance(of: call.from) else { return .reverted(reason: nil) }
            return .returned([], changes: [.moveETH(from: call.from, to: call.to, wei: wei)], logs: [])
        }
        // USDC's functions are not payable.
        guard call.value.isZero else { return .reverted(reason: nil) }
        return FakeUSDC(network: network).call(from: call.from, data: call.data, world: world, timestamp: timestamp)
    }

    // MARK: - Faults

    /// Removes every block above `safe`, undoing its changes; with `requeue` its transactions
    /// go back to the front of the pool, as a node re-injects a dropped chain's transactions.
    mutating func reorgUnsafeBlocks(requeue: Bool) {
        guard latest > safe else { return }
        var removed: [PooledTransaction] = []
        while latest > safe {
            let block = blocks.removeLast()
            for transaction in block.transactions.reversed() {
                for change in transaction.changes.reversed() { world.undo(change) }
            }
            removed = block.transactions.map(\.transaction) + removed
        }
        reorgGeneration += 1
        if requeue { pool = removed + pool }
    }
}
