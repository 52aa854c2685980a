public import AsyncHTTPClient
public import Connectors
import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// Ethereum JSON-RPC 2.0 over HTTP (AsyncHTTPClient), the methods the Base connector needs.
///
/// Transport failures (no connection, a timeout, HTTP 429 or 5xx) are retried with backoff:
/// every method here is safe to repeat, and a repeated eth_sendRawTransaction of the same
/// bytes is "already known", never a second payment. A JSON-RPC error object is an answer,
/// never retried: it comes back as `RPCError.node`.
public struct EthereumRPC: Sendable {
    public struct RetryPolicy: Sendable {
        /// Attempts in all, the first one included.
        public var attempts: Int
        public var initialDelay: Duration
        public var maxDelay: Duration

        public init(attempts: Int, initialDelay: Duration, maxDelay: Duration) {
            self.attempts = attempts
            self.initialDelay = initialDelay
            self.maxDelay = maxDelay
        }

        /// 4 attempts, 0.25 s doubling to 4 s, each wait jittered to 50–100 %.
        public static let standard = RetryPolicy(attempts: 4, initialDelay: .milliseconds(250), maxDelay: .seconds(4))

        func delay(retry: Int) -> Duration {
            var delay = initialDelay
            for _ in 1..<max(retry, 1) where delay < maxDelay { delay *= 2 }
            return min(delay, maxDelay)
        }
    }

    /// How long opening a connection to the node may take, apart from the request itself: a
    /// node that is down fails an attempt here (a refused connect fails at once) and the
    /// backoff applies, instead of each attempt running to `requestTimeoutStandard`.
    public static let connectTimeout: Duration = .seconds(2)
    /// How long one attempt (connect included) may take when the caller gives no timeout.
    public static let requestTimeoutStandard: Duration = .seconds(15)

    /// The client every EthereumRPC uses unless given one: `connectTimeout` to connect, and a
    /// failed connect fails its request at once. (AsyncHTTPClient's pool otherwise retries a
    /// refused connection until the request's deadline, hiding the failure from the backoff.)
    public static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(connectTimeout.components.seconds * 1_000), read: nil)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public let url: String
    private let http: HTTPClient
    private let retry: RetryPolicy
    private let timeout: TimeAmount
    private let logger: Logger

    public init(url: String, http: HTTPClient = EthereumRPC.http, retry: RetryPolicy = .standard, timeout: Duration = EthereumRPC.requestTimeoutStandard,
                logger: Logger = Logger(label: "base-rpc")) {
        self.url = url
        self.http = http
        self.retry = retry
        self.timeout = .milliseconds(timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        self.logger = logger
    }

    // MARK: Methods

    public func chainID() async throws(RPCError) -> UInt64 { try RPCValue.uint64(try await call("eth_chainId", []), "eth_chainId") }

    public func blockNumber() async throws(RPCError) -> UInt64 { try RPCValue.uint64(try await call("eth_blockNumber", []), "eth_blockNumber") }

    /// The block a tag or number names (header fields only); nil when the node has none yet.
    public func block(_ tag: BlockTag) async throws(RPCError) -> BlockHeader? {
        let result = try await call("eth_getBlockByNumber", [tag.parameter, false])
        if result is NSNull { return nil }
        return try BlockHeader(json: result)
    }

    /// The next nonce of `address`, counting its transactions in the pool when `tag` is pending.
    public func transactionCount(_ address: EthereumAddress, _ tag: BlockTag = .pending) async throws(RPCError) -> UInt64 {
        try RPCValue.uint64(try await call("eth_getTransactionCount", [address.checksummed, tag.parameter]), "eth_getTransactionCount")
    }

    public func estimateGas(from: EthereumAddress, to: EthereumAddress, data: [UInt8]) async throws(RPCError) -> UInt64 {
        let request: [String: Any] = ["from": from.checksummed, "to": to.checksummed, "data": Hex.encode(data)]
        return try RPCValue.uint64(try await call("eth_estimateGas", [request]), "eth_estimateGas")
    }

    /// The node's suggested priority fee (tip) per gas, in wei.
    public func maxPriorityFeePerGas() async throws(RPCError) -> UInt256 {
        try RPCValue.uint256(try await call("eth_maxPriorityFeePerGas", []), "eth_maxPriorityFeePerGas")
    }

    /// Base fees and tips of the last `blocks` blocks up to `newest`, tips at `percentiles`.
    public func feeHistory(blocks: Int, newest: BlockTag = .latest, percentiles: [Int]) async throws(RPCError) -> FeeHistory {
        try FeeHistory(json: try await call("eth_feeHistory", [RPCValue.quantity(UInt64(blocks)), newest.parameter, percentiles]))
    }

    /// Broadcasts signed bytes; answers the transaction hash the node reports.
    public func sendRawTransaction(_ raw: [UInt8]) async throws(RPCError) -> [UInt8] {
        try RPCValue.bytes(try await call("eth_sendRawTransaction", [Hex.encode(raw)]), "eth_sendRawTransaction", count: 32)
    }

    /// The receipt of a mined transaction; nil while it is pending or unknown.
    public func transactionReceipt(_ hash: [UInt8]) async throws(RPCError) -> Receipt? {
        let result = try await call("eth_getTransactionReceipt", [Hex.encode(hash)])
        if result is NSNull { return nil }
        return try Receipt(json: result)
    }

    /// True when the node knows the transaction, pending or mined.
    public func knowsTransaction(_ hash: [UInt8]) async throws(RPCError) -> Bool {
        !(try await call("eth_getTransactionByHash", [Hex.encode(hash)]) is NSNull)
    }

    /// Logs of `address` between two blocks (inclusive) whose topics match, position by
    /// position; nil matches anything, several values match any of them.
    public func logs(address: EthereumAddress, fromBlock: UInt64, toBlock: UInt64, topics: [[[UInt8]]?]) async throws(RPCError) -> [Log] {
        let filter: [String: Any] = [
            "address": address.checksummed, "fromBlock": RPCValue.quantity(fromBlock), "toBlock": RPCValue.quantity(toBlock),
            "topics": topics.map { position -> Any in position.map { $0.map { Hex.encode($0) } } ?? NSNull() },
        ]
        let result = try await call("eth_getLogs", [filter])
        guard let items = result as? [Any] else { throw .malformed("eth_getLogs answered no list") }
        var logs: [Log] = []
        for item in items { logs.append(try Log(json: item)) }
        return logs
    }

    /// Runs a call against the state at `tag` without sending a transaction.
    public func call(to: EthereumAddress, data: [UInt8], from: EthereumAddress? = nil, _ tag: BlockTag = .latest) async throws(RPCError) -> [UInt8] {
        var request: [String: Any] = ["to": to.checksummed, "data": Hex.encode(data)]
        if let from { request["from"] = from.checksummed }
        return try RPCValue.bytes(try await call("eth_call", [request, tag.parameter]), "eth_call", count: nil)
    }

    // MARK: Transport

    /// Sends one JSON-RPC request and answers its `result`.
    func call(_ method: String, _ params: [Any]) async throws(RPCError) -> Any {
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": 1, "method": method, "params": params] as [String: Any])
        } catch { throw .malformed("\(method): the request does not encode: \(error)") }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        var attempt = 1
        while true {
            let failure: String
            do {
                let response = try await http.execute(request, timeout: timeout)
                let bytes = Array(buffer: try await response.body.collect(upTo: 32 << 20))
                let status = Int(response.status.code)
                if (200..<300).contains(status) { return try Self.result(of: bytes, method) }
                guard status == 429 || status >= 500 else { throw RPCError.http(status: status, method: method) }
                failure = "HTTP \(status)"
            } catch let error as RPCError {
                throw error
            } catch {
                failure = "\(error)"
            }
            // A cancelled caller (a request past its bound) stops here; the chain loop tries again later.
            guard attempt < retry.attempts, !Task.isCancelled else { throw .unavailable("\(method): \(failure) after \(attempt) attempts") }
            logger.notice("base rpc retry", metadata: ["method": "\(method)", "attempt": "\(attempt)", "reason": "\(failure)"])
            try? await Task.sleep(for: retry.delay(retry: attempt) * Double.random(in: 0.5...1.0))
            attempt += 1
        }
    }

    static func result(of body: [UInt8], _ method: String) throws(RPCError) -> Any {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) as? [String: Any] else {
            throw .malformed("\(method): the answer is not a JSON-RPC object")
        }
        if let error = object["error"] as? [String: Any] {
            let code = (error["code"] as? NSNumber)?.intValue ?? 0
            throw .node(code: code, message: error["message"] as? String ?? "", data: error["data"] as? String)
        }
        guard let result = object["result"] else { throw .malformed("\(method): the answer has neither result nor error") }
        return result
    }
}

/// Why a JSON-RPC call gave no result.
public enum RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The node answered with a JSON-RPC error object (e.g. -32000 "nonce too low", 3 "execution reverted").
    case node(code: Int, message: String, data: String?)
    /// An HTTP status that is no transport failure (4xx other than 429).
    case http(status: Int, method: String)
    /// No answer after the retries.
    case unavailable(String)
    /// An answer this client cannot read.
    case malformed(String)

    public var description: String {
        switch self {
        case .node(let code, let message, _): "node error \(code): \(message)"
        case .http(let status, let method): "\(method): HTTP \(status)"
        case .unavailable(let reason): "unavailable: \(reason)"
        case .malformed(let reason): "malformed answer: \(reason)"
        }
    }

    /// The revert reason of a failed call or estimate (Error(string) in `data`, or the message).
    public var revertReason: String? {
        guard case .node(let code, let message, let data) = self, code == 3 || message.hasPrefix("execution reverted") else { return nil }
        if let data, let bytes = Hex.decode(data), bytes.count >= 68, bytes.prefix(4) == [0x08, 0xc3, 0x79, 0xa0] {
            let length = Int(UInt256(bytes32: Array(bytes[36..<68]))?.uint64 ?? 0)
            if bytes.count >= 68 + length { return String(decoding: bytes[68..<(68 + length)], as: UTF8.self) }
        }
        return message.hasPrefix("execution reverted: ") ? String(message.dropFirst("execution reverted: ".count)) : message
    }

    /// A provider refusing an eth_getLogs range as too wide or too full: -32005 (Infura,
    /// Alchemy, geth-style "limit exceeded"), -32614 (Base's public node), -32602 naming the
    /// range or the results, or HTTP 413. Asking half the range may be answered.
    public var isLogRangeTooLarge: Bool {
        switch self {
        case .node(let code, let message, _):
            if code == -32005 || code == -32614 { return true }
            let text = message.lowercased()
            return code == -32602 && (text.contains("range") || text.contains("results") || text.contains("too many") || text.contains("limit"))
        case .http(let status, _): return status == 413
        default: return false
        }
    }

    /// The node's message, lower-cased, contains `text` (geth's wording: "nonce too low", "already known").
    public func says(_ text: String) -> Bool {
        guard case .node(_, let message, _) = self else { return false }
        return message.lowercased().contains(text)
    }

    /// For a connector caller: indefinite unless the node answered.
    public var connectorError: ConnectorError {
        switch self {
        case .node(let code, let message, _): .refused(status: 0, type: "node_error", code: String(code), message: message, param: nil)
        case .http(let status, let method): .refused(status: status, type: "http_error", code: nil, message: method, param: nil)
        case .unavailable(let reason): .unavailable(reason)
        case .malformed(let reason): .malformedResponse(reason)
        }
    }
}

/// A block by tag or number.
public enum BlockTag: Sendable, Hashable {
    case latest, safe, finalized, pending, earliest
    case number(UInt64)

    var parameter: String {
        switch self {
        case .latest: "latest"
        case .safe: "safe"
        case .finalized: "finalized"
        case .pending: "pending"
        case .earliest: "earliest"
        case .number(let number): RPCValue.quantity(number)
        }
    }
}

public struct BlockHeader: Sendable, Hashable {
    public let number: UInt64
    public let hash: [UInt8]
    public let timestamp: UInt64
    /// In wei; nil before London.
    public let baseFeePerGas: UInt256?

    init(json: Any) throws(RPCError) {
        guard let object = json as? [String: Any] else { throw .malformed("a block is not an object") }
        number = try RPCValue.uint64(object["number"], "block.number")
        hash = try RPCValue.bytes(object["hash"], "block.hash", count: 32)
        timestamp = try RPCValue.uint64(object["timestamp"], "block.timestamp")
        baseFeePerGas = object["baseFeePerGas"] == nil ? nil : try RPCValue.uint256(object["baseFeePerGas"], "block.baseFeePerGas")
    }
}

public struct FeeHistory: Sendable, Hashable {
    public let oldestBlock: UInt64
    /// One more entry than blocks: the last is the next block's base fee.
    public let baseFeePerGas: [UInt256]
    /// Per block, the tip at each asked percentile.
    public let reward: [[UInt256]]

    init(json: Any) throws(RPCError) {
        guard let object = json as? [String: Any], let fees = object["baseFeePerGas"] as? [Any] else { throw .malformed("eth_feeHistory") }
        oldestBlock = try RPCValue.uint64(object["oldestBlock"], "feeHistory.oldestBlock")
        var base: [UInt256] = []
        for fee in fees { base.append(try RPCValue.uint256(fee, "feeHistory.baseFeePerGas")) }
        baseFeePerGas = base
        var rewards: [[UInt256]] = []
        for block in object["reward"] as? [Any] ?? [] {
            var tips: [UInt256] = []
            for tip in block as? [Any] ?? [] { tips.append(try RPCValue.uint256(tip, "feeHistory.reward")) }
            rewards.append(tips)
        }
        reward = rewards
    }
}

/// What a mined transaction did and cost; on Base (OP stack) the L1 data fee is separate.
public struct Receipt: Sendable, Hashable {
    public let transactionHash: [UInt8]
    public let blockNumber: UInt64
    public let blockHash: [UInt8]
    /// True for status 1.
    public let succeeded: Bool
    public let gasUsed: UInt64
    public let effectiveGasPrice: UInt256
    /// The OP-stack L1 data fee in wei (0 when the node reports none).
    public let l1Fee: UInt256
    /// False when the receipt has no `l1Fee` field at all (then `l1Fee` reads 0).
    public let l1FeeReported: Bool
    public let logs: [Log]

    init(json: Any) throws(RPCError) {
        guard let object = json as? [String: Any] else { throw .malformed("a receipt is not an object") }
        transactionHash = try RPCValue.bytes(object["transactionHash"], "receipt.transactionHash", count: 32)
        blockNumber = try RPCValue.uint64(object["blockNumber"], "receipt.blockNumber")
        blockHash = try RPCValue.bytes(object["blockHash"], "receipt.blockHash", count: 32)
        succeeded = try RPCValue.uint64(object["status"], "receipt.status") == 1
        gasUsed = try RPCValue.uint64(object["gasUsed"], "receipt.gasUsed")
        effectiveGasPrice = try RPCValue.uint256(object["effectiveGasPrice"], "receipt.effectiveGasPrice")
        // op-geth adds l1Fee to receipts of transactions that pay for L1 data; others lack it.
        l1FeeReported = object["l1Fee"] != nil && !(object["l1Fee"] is NSNull)
        l1Fee = l1FeeReported ? try RPCValue.uint256(object["l1Fee"], "receipt.l1Fee") : .zero
        var logs: [Log] = []
        for item in object["logs"] as? [Any] ?? [] { logs.append(try Log(json: item)) }
        self.logs = logs
    }

    /// Gas × price plus the L1 data fee, in wei; nil past 2^64 wei (18 ETH), which no transfer costs.
    public var feeWei: UInt64? {
        guard let price = effectiveGasPrice.uint64, let l1 = l1Fee.uint64 else { return nil }
        let (execution, overflow) = price.multipliedReportingOverflow(by: gasUsed)
        guard !overflow else { return nil }
        let (total, overflowTotal) = execution.addingReportingOverflow(l1)
        return overflowTotal ? nil : total
    }
}

public struct Log: Sendable, Hashable {
    public let address: EthereumAddress
    public let topics: [[UInt8]]
    public let data: [UInt8]
    public let blockNumber: UInt64
    public let blockHash: [UInt8]
    public let transactionHash: [UInt8]
    public let logIndex: UInt64
    public let removed: Bool

    init(json: Any) throws(RPCError) {
        guard let object = json as? [String: Any], let topicList = object["topics"] as? [Any] else { throw .malformed("a log is not an object") }
        guard let address = EthereumAddress(bytes: try RPCValue.bytes(object["address"], "log.address", count: 20)) else { throw .malformed("log.address") }
        self.address = address
        var topics: [[UInt8]] = []
        for topic in topicList { topics.append(try RPCValue.bytes(topic, "log.topics", count: 32)) }
        self.topics = topics
        data = try RPCValue.bytes(object["data"], "log.data", count: nil)
        blockNumber = try RPCValue.uint64(object["blockNumber"], "log.blockNumber")
        blockHash = try RPCValue.bytes(object["blockHash"], "log.blockHash", count: 32)
        transactionHash = try RPCValue.bytes(object["transactionHash"], "log.transactionHash", count: 32)
        logIndex = try RPCValue.uint64(object["logIndex"], "log.logIndex")
        removed = object["removed"] as? Bool ?? false
    }
}

/// JSON-RPC's hex encodings: quantities without leading zeros, data as whole bytes.
enum RPCValue {
    static func quantity(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    static func uint256(_ json: Any?, _ field: String) throws(RPCError) -> UInt256 {
        guard let text = json as? String, text.hasPrefix("0x"), text.count > 2, text.count <= 66 else { throw .malformed("\(field) is not a quantity") }
        var digits = String(text.dropFirst(2))
        if !digits.count.isMultiple(of: 2) { digits = "0" + digits }
        guard let bytes = Hex.decode(digits), let value = UInt256(bigEndian: bytes) else { throw .malformed("\(field) is not a quantity") }
        return value
    }

    static func uint64(_ json: Any?, _ field: String) throws(RPCError) -> UInt64 {
        guard let value = try uint256(json, field).uint64 else { throw .malformed("\(field) exceeds 64 bits") }
        return value
    }

    static func bytes(_ json: Any?, _ field: String, count: Int?) throws(RPCError) -> [UInt8] {
        guard let text = json as? String, text.hasPrefix("0x"), let bytes = Hex.decode(text), count == nil || bytes.count == count else {
            throw .malformed("\(field) is not \(count.map { "\($0) bytes of" } ?? "") hex data")
        }
        return bytes
    }
}
