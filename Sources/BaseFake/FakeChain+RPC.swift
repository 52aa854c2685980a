import BaseConnector
import Foundation

/// The JSON-RPC 2.0 envelope (single calls and batches) and the methods a Base node answers,
/// each refusing bad input with geth's code and message.
extension FakeChain {
    static let batchRequestsMax = 1_000
    static let feeHistoryBlocksMax: UInt64 = 1_024
    static let topicPositionsMax = 4

    /// One HTTP body in, its status and body out. An injected failure answers 503 without
    /// reading the body, as an overloaded provider's gateway does.
    mutating func respond(to body: [UInt8]) -> (status: Int, body: [UInt8]) {
        if requestFailures > 0 {
            requestFailures -= 1
            return (503, Array("service unavailable\n".utf8))
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(body)) else { return (200, Self.encode(Self.reply(id: NSNull(), .parse))) }
        guard let batch = parsed as? [Any] else { return (200, Self.encode(answer(parsed))) }
        guard !batch.isEmpty else { return (200, Self.encode(Self.reply(id: NSNull(), JSONRPCError(code: -32600, message: "empty batch")))) }
        guard batch.count <= Self.batchRequestsMax else {
            return (200, Self.encode(Self.reply(id: NSNull(), JSONRPCError(code: -32600, message: "batch too large"))))
        }
        var replies: [Any] = []
        for request in batch { replies.append(answer(request)) }
        return (200, Self.encode(replies))
    }

    mutating func answer(_ request: Any) -> [String: Any] {
        guard let object = request as? [String: Any], let method = object["method"] as? String else {
            return Self.reply(id: NSNull(), .invalidRequest)
        }
        let id = object["id"] ?? NSNull()
        requestLog.append(method)
        let params: [Any]
        switch object["params"] {
        case nil, is NSNull: params = []
        case let array as [Any]: params = array
        default: return Self.reply(id: id, .invalidParams("non-array args"))
        }
        do {
            return ["jsonrpc": "2.0", "id": id, "result": try call(method, params)]
        } catch {
            return Self.reply(id: id, error)
        }
    }

    static func reply(id: Any, _ error: JSONRPCError) -> [String: Any] { ["jsonrpc": "2.0", "id": id, "error": error.json] }

    static func encode(_ object: Any) -> [UInt8] {
        // Every value is a string, number, bool, null, array or object built here: writing cannot fail.
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            preconditionFailure("a JSON-RPC reply held a value JSON cannot write")
        }
        return Array(data)
    }

    mutating func call(_ method: String, _ params: [Any]) throws(JSONRPCError) -> Any {
        func argument(_ index: Int) -> JSONArgument { JSONArgument(params, index) }
        switch method {
        case "eth_chainId": return Wire.quantity(network.chainID)
        case "net_version": return String(network.chainID)
        case "eth_blockNumber": return Wire.quantity(latest)
        case "eth_gasPrice": return Wire.quantity(baseFeeWei + Self.suggestedTipWei)
        case "eth_maxPriorityFeePerGas": return Wire.quantity(Self.suggestedTipWei)
        case "eth_getBlockByNumber":
            let full = argument(1).bool()
            return block(resolve(try argument(0).block())).map { blockJSON($0, full: full) } ?? NSNull()
        case "eth_getBlockByHash":
            let full = argument(1).bool()
            return block(hash: try argument(0).hash()).map { blockJSON($0, full: full) } ?? NSNull()
        case "eth_getTransactionCount": return Wire.quantity(try transactionCount(argument(0).address(), at: argument(1).block()))
        case "eth_getBalance": return Wire.quantity(world(at: try existing(argument(1).block())).ethBalance(of: try argument(0).address()))
        case "eth_feeHistory": return try feeHistory(count: argument(0), newest: argument(1), percentiles: argument(2))
        case "eth_estimateGas": return Wire.quantity(try simulate(argument(0), at: argument(1).block()).gas)
        case "eth_call": return Wire.data(try simulate(argument(0), at: argument(1).block()).output)
        case "eth_sendRawTransaction": return Wire.data(try send(argument(0).data()))
        case "eth_getTransactionByHash": return transactionJSON(try argument(0).hash()) ?? NSNull()
        case "eth_getTransactionReceipt": return mined(try argument(0).hash()).map { receiptJSON($0.block, index: $0.index) } ?? NSNull()
        case "eth_getLogs": return try logs(argument(0))
        default: throw JSONRPCError(code: -32601, message: "the method \(method) does not exist/is not available")
        }
    }

    func resolve(_ tag: BlockParameter) -> UInt64 {
        switch tag {
        case .latest, .pending: latest
        case .safe: safe
        case .finalized: finalized
        case .earliest: 0
        case .number(let number): number
        }
    }

    /// A block whose state the node holds; geth answers "header not found" past the head.
    func existing(_ tag: BlockParameter) throws(JSONRPCError) -> UInt64 {
        let number = resolve(tag)
        guard number <= latest else { throw .server("header not found") }
        return number
    }

    func transactionCount(_ account: EthereumAddress, at tag: BlockParameter) throws(JSONRPCError) -> UInt64 {
        if case .pending = tag { return pendingNonce(of: account) }
        return world(at: try existing(tag)).nonce(of: account)
    }

    // MARK: - Sending

    /// Admits a signed type-2 transaction to the pool with geth's checks and messages; a
    /// transaction already mined is refused as "nonce too low", as geth refuses it (its pool
    /// no longer holds it).
    mutating func send(_ raw: [UInt8]) throws(JSONRPCError) -> [UInt8] {
        if sendRefusals.remaining > 0 {
            sendRefusals.remaining -= 1
            throw .server(sendRefusals.message)
        }
        let decoded: (transaction: EIP1559Transaction, signature: RecoverableSignature, from: EthereumAddress)
        do { decoded = try EIP1559Transaction.decode(raw) } catch {
            switch error {
            case .notType2: throw .invalidParams("transaction type not supported")
            case .malformed: throw .invalidParams("rlp: malformed type-2 transaction")
            case .signature: throw .invalidParams("invalid transaction v, r, s values")
            }
        }
        let (transaction, from) = (decoded.transaction, decoded.from)
        guard transaction.chainID == network.chainID else { throw .server("invalid chain id for signer") }
        guard let to = transaction.to else { throw .server("contract creation is not supported by this fake node") }
        let next = world.nonce(of: from)
        guard transaction.nonce >= next else { throw .server("nonce too low: next nonce \(next), tx nonce \(transaction.nonce)") }
        let hash = Keccak256.hash(raw)
        guard pooled(hash) == nil else { throw .server("already known") }
        guard transaction.gas >= FakeGas.plainTransfer else {
            throw .server("intrinsic gas too low: have \(transaction.gas), want \(FakeGas.plainTransfer)")
        }
        guard transaction.gas <= FakeGas.blockLimit else { throw .server("exceeds block gas limit") }
        guard transaction.maxPriorityFeePerGas <= transaction.maxFeePerGas else {
            throw .server("max priority fee per gas higher than max fee per gas")
        }
        let entry = PooledTransaction(hash: hash, from: from, to: to, value: transaction.value, data: transaction.data, gas: transaction.gas,
                                      origin: .signed(transaction, decoded.signature, raw: raw))
        let replaced = pool.firstIndex { $0.from == from && $0.nonce == transaction.nonce }
        if let replaced, !Self.outbids(entry, pool[replaced]) { throw .server("replacement transaction underpriced") }
        try requireFunds(for: transaction, from: from)
        if let replaced {
            pool[replaced] = entry
        } else {
            guard pool.count < Self.poolTransactionsMax else { throw .server("txpool is full") }
            pool.append(entry)
        }
        sentTransactions.append(raw)
        return hash
    }

    /// geth's price bump: both fee caps strictly higher and at least 110% of the pooled ones.
    static func outbids(_ new: PooledTransaction, _ old: PooledTransaction) -> Bool {
        func bumped(_ new: UInt64, _ old: UInt64) -> Bool { new > old && UInt128(new) >= UInt128(old) * 110 / 100 }
        return bumped(new.maxFeePerGas, old.maxFeePerGas) && bumped(new.maxPriorityFeePerGas, old.maxPriorityFeePerGas)
    }

    /// op-geth counts the L1 fee into the cost it checks against the balance.
    func requireFunds(for transaction: EIP1559Transaction, from: EthereumAddress) throws(JSONRPCError) {
        let have = world.ethBalance(of: from)
        let want = transaction.maxFeePerGas.multiplied(by: transaction.gas)?.adding(transaction.value)?.adding(l1FeeWei)
        guard let want, want <= UInt256(have) else {
            throw .server("insufficient funds for gas * price + value: have \(have) want \(want?.description ?? "more than 2^256")")
        }
    }

    // MARK: - Simulation

    /// `eth_call` and `eth_estimateGas`: the call against the state after the block, at that
    /// block's timestamp (geth's "latest" context). A call without `from` comes from the zero address.
    func simulate(_ argument: JSONArgument, at tag: BlockParameter) throws(JSONRPCError) -> (output: [UInt8], gas: UInt64) {
        _ = try argument.object()
        let number = try existing(tag)
        let (from, to, value) = (argument.field("from"), argument.field("to"), argument.field("value"))
        let input = argument.field("input").isAbsent ? argument.field("data") : argument.field("input")
        guard !to.isAbsent else { throw .server("contract creation is not supported by this fake node") }
        let call = try Call(from: from.isAbsent ? FakeUSDC.zeroAddress : from.address(), to: to.address(),
                            value: value.isAbsent ? .zero : UInt256(value.quantity()), data: input.isAbsent ? [] : input.data())
        let state = world(at: number)
        guard call.value <= UInt256(state.ethBalance(of: call.from)) else { throw .server("insufficient funds for transfer") }
        switch run(call, on: state, timestamp: blocks[Int(number)].timestamp) {
        case .returned(let output, _, _): return (output, gasRequired(call))
        case .reverted(let reason): throw .reverted(reason)
        }
    }

    // MARK: - Fees

    /// Every block's reward at every percentile is the one tip the fake's market pays.
    func feeHistory(count: JSONArgument, newest: JSONArgument, percentiles: JSONArgument) throws(JSONRPCError) -> [String: Any] {
        let requested = try count.hexOrDecimal()
        let newestNumber = resolve(try newest.block())
        guard newestNumber <= latest else { throw .server("request beyond head block: requested \(newestNumber), head \(latest)") }
        let rewardPercentiles = try Self.percentiles(percentiles)
        let blockCount = min(requested, Self.feeHistoryBlocksMax, newestNumber + 1)
        guard blockCount > 0 else { return ["oldestBlock": "0x0", "baseFeePerGas": [String](), "gasUsedRatio": [Double]()] }
        let oldest = newestNumber + 1 - blockCount
        let range = blocks[Int(oldest)...Int(newestNumber)]
        let nextBaseFee = newestNumber == latest ? baseFeeWei : blocks[Int(newestNumber) + 1].baseFeeWei
        var history: [String: Any] = [
            "oldestBlock": Wire.quantity(oldest),
            "baseFeePerGas": range.map { Wire.quantity($0.baseFeeWei) } + [Wire.quantity(nextBaseFee)],
            "gasUsedRatio": range.map { Double($0.gasUsed) / Double(FakeGas.blockLimit) },
        ]
        if !rewardPercentiles.isEmpty {
            history["reward"] = range.map { _ in rewardPercentiles.map { _ in Wire.quantity(Self.suggestedTipWei) } }
        }
        return history
    }

    static func percentiles(_ argument: JSONArgument) throws(JSONRPCError) -> [Double] {
        guard let value = argument.value else { return [] }
        guard let list = value as? [Any] else { throw argument.fail("expected an array of percentiles") }
        var out: [Double] = []
        for item in list {
            guard let percentile = item as? Double, (0...100).contains(percentile), percentile >= (out.last ?? 0) else {
                throw argument.fail("invalid reward percentile")
            }
            out.append(percentile)
        }
        return out
    }

    // MARK: - Logs

    /// geth's filter: a block range (or one `blockHash`), addresses OR-ed, and topics by position
    /// where null matches anything and a list matches any of its entries. Past `logsBlockRangeMax` blocks or
    /// `logsResultsMax` results (10,000 each unless a test sets them) the query is refused with -32005, the code hosted providers use for it.
    func logs(_ filter: JSONArgument) throws(JSONRPCError) -> [Any] {
        _ = try filter.object()
        let (first, last) = try logRange(filter)
        let addresses = try Self.addressFilter(filter.field("address"))
        let topics = try Self.topicFilter(filter.field("topics"))
        var found: [Any] = []
        guard first <= latest else { return found }
        for block in blocks[Int(first)...Int(min(last, latest))] {
            for placed in placedLogs(in: block) where Self.matches(placed.log, addresses: addresses, topics: topics) {
                guard found.count < logsResultsMax else { throw JSONRPCError(code: -32005, message: "query returned more than \(logsResultsMax) results") }
                found.append(logJSON(placed, in: block))
            }
        }
        return found
    }

    func logRange(_ filter: JSONArgument) throws(JSONRPCError) -> (first: UInt64, last: UInt64) {
        let blockHash = filter.field("blockHash")
        if !blockHash.isAbsent {
            guard let block = block(hash: try blockHash.hash()) else { throw .server("unknown block") }
            return (block.number, block.number)
        }
        let first = resolve(try filter.field("fromBlock").block())
        let last = resolve(try filter.field("toBlock").block())
        guard first <= last else { throw .invalidParams("invalid block range params") }
        guard last - first < logsBlockRangeMax else { throw JSONRPCError(code: -32005, message: "query exceeds max block range \(logsBlockRangeMax)") }
        return (first, last)
    }

    static func addressFilter(_ argument: JSONArgument) throws(JSONRPCError) -> Set<EthereumAddress> {
        guard let value = argument.value else { return [] }
        guard let list = value as? [Any] else { return [try argument.address()] }
        var addresses = Set<EthereumAddress>()
        for item in list { addresses.insert(try JSONArgument(value: item, name: argument.name).address()) }
        return addresses
    }

    /// One entry per position: nil matches any topic.
    static func topicFilter(_ argument: JSONArgument) throws(JSONRPCError) -> [Set<[UInt8]>?] {
        guard let value = argument.value else { return [] }
        guard let positions = value as? [Any] else { throw argument.fail("expected an array of topics") }
        guard positions.count <= topicPositionsMax else { throw argument.fail("exceed max topics") }
        var filter: [Set<[UInt8]>?] = []
        for position in positions {
            let entry = JSONArgument(value: position, name: argument.name)
            guard let choices = entry.value as? [Any] else {
                filter.append(entry.isAbsent ? nil : [try entry.hash()])
                continue
            }
            var set = Set<[UInt8]>()
            for choice in choices { set.insert(try JSONArgument(value: choice, name: argument.name).hash()) }
            filter.append(set.isEmpty ? nil : set)
        }
        return filter
    }

    static func matches(_ log: LogEntry, addresses: Set<EthereumAddress>, topics: [Set<[UInt8]>?]) -> Bool {
        guard addresses.isEmpty || addresses.contains(log.address), topics.count <= log.topics.count else { return false }
        return zip(topics, log.topics).allSatisfy { choices, topic in choices?.contains(topic) ?? true }
    }
}
