public import Connectors
import Foundation

/// USDC on Base through a JSON-RPC node, signing with the hot wallet key.
public struct BaseChain: StablecoinChain {
    /// Gas limits: generous over what USDC uses (about 40k–65k for transfer, 60k–90k for
    /// transferWithAuthorization); only the gas used is paid, the limit just caps it.
    public static let transferGas: UInt64 = 100_000
    public static let settlementGas: UInt64 = 150_000

    /// Blocks per eth_getLogs call unless configured (BASE_LOGS_BLOCK_RANGE).
    public static let logsBlockRangeStandard: UInt64 = 2_000
    /// The most halvings of one page a provider's "too large" answers may ask for.
    static let logsSplitsMax = 32

    public let name = "base"
    public let networkInfo: BaseNetwork
    public let rpc: EthereumRPC
    /// Blocks asked per eth_getLogs call: a longer range is read page by page.
    public let logsBlockRange: UInt64
    private let key: HotWalletKey

    public init(network: BaseNetwork, rpc: EthereumRPC, key: HotWalletKey, logsBlockRange: UInt64 = BaseChain.logsBlockRangeStandard) {
        precondition(logsBlockRange > 0, "a log page spans at least one block")
        networkInfo = network
        self.rpc = rpc
        self.key = key
        self.logsBlockRange = logsBlockRange
    }

    public var network: String { networkInfo.name }
    public var chainID: UInt64 { networkInfo.chainID }
    public var asset: String { networkInfo.usdc.checksummed }
    public var assetDomain: (name: String, version: String) { (networkInfo.usdcDomainName, networkInfo.usdcDomainVersion) }
    public var hotWallet: String { key.address.checksummed }

    public func checkChain() async throws(ConnectorError) {
        let served = try await node { try await rpc.chainID() }
        guard served == chainID else {
            throw .refused(status: 0, type: "invalid_configuration", code: "wrong_chain",
                           message: "the node at BASE_RPC_URL serves chain \(served), not \(network) (\(chainID)); nothing will be signed", param: "chain_id")
        }
    }

    public func normalize(address: String, field: String) throws(ConnectorError) -> String {
        try Self.address(address, field: field).checksummed
    }

    public func pendingNonce() async throws(ConnectorError) -> UInt64 {
        try await node { try await rpc.transactionCount(key.address, .pending) }
    }

    public func suggestedFees() async throws(ConnectorError) -> ChainFees {
        let (latest, tip) = try await node { (try await rpc.block(.latest), try await rpc.maxPriorityFeePerGas()) }
        guard let baseFee = latest?.baseFeePerGas?.uint64, let tip = tip.uint64 else { throw .malformedResponse("the node reports no base fee or tip") }
        let (doubled, overflow) = baseFee.multipliedReportingOverflow(by: 2)
        guard !overflow, doubled <= UInt64.max - tip else { throw .malformedResponse("the node's fees overflow 64 bits") }
        return ChainFees(maxFeePerGas: doubled + tip, maxPriorityFeePerGas: tip)
    }

    public func signTransfer(to: String, amountMinor: Int64, nonce: UInt64, fees: ChainFees) throws(ConnectorError) -> SignedChainTransaction {
        guard amountMinor > 0 else { throw Self.invalid("amount", "amount_invalid", "a transfer moves more than 0") }
        let recipient = try Self.address(to, field: "to")
        return try sign(data: ABI.transfer(to: recipient, value: UInt256(UInt64(amountMinor))), gas: Self.transferGas, nonce: nonce, fees: fees)
    }

    public func signSettlement(of authorization: ChainAuthorization, nonce: UInt64, fees: ChainFees) throws(ConnectorError) -> SignedChainTransaction {
        let (transfer, signature) = try Self.typed(authorization)
        return try sign(data: ABI.transferWithAuthorization(transfer, signature: signature), gas: Self.settlementGas, nonce: nonce, fees: fees)
    }

    private func sign(data: [UInt8], gas: UInt64, nonce: UInt64, fees: ChainFees) throws(ConnectorError) -> SignedChainTransaction {
        let transaction = EIP1559Transaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: UInt256(fees.maxPriorityFeePerGas),
                                             maxFeePerGas: UInt256(fees.maxFeePerGas), gas: gas, to: networkInfo.usdc, value: .zero, data: data)
        do {
            let signed = try key.sign(transaction)
            return SignedChainTransaction(hash: Hex.encode(signed.hash), raw: Hex.encode(signed.raw), nonce: nonce, fees: fees)
        } catch {
            throw .refused(status: 0, type: "signing_error", code: nil, message: "the hot wallet key did not sign: \(error)", param: nil)
        }
    }

    public func broadcast(_ transaction: SignedChainTransaction) async throws(ConnectorError) -> BroadcastOutcome {
        guard let raw = Hex.decode(transaction.raw) else { throw .malformedResponse("stored raw transaction is not hex") }
        do {
            _ = try await rpc.sendRawTransaction(raw)
            return .sent
        } catch {
            // geth and op-geth words: the node has these bytes already, or the nonce is used.
            if error.says("already known") || error.says("known transaction") { return .sent }
            if error.says("nonce too low") { return .nonceTooLow }
            if case .node(_, let message, _) = error { return .refused(message) }
            throw error.connectorError
        }
    }

    public func receipt(of hash: String) async throws(ConnectorError) -> ChainReceipt? {
        guard let bytes = Hex.decode(hash), bytes.count == 32 else { throw Self.invalid("hash", "invalid_hash", "a transaction hash is 32 bytes of hex") }
        guard let receipt = try await node({ try await rpc.transactionReceipt(bytes) }) else { return nil }
        guard let fee = receipt.feeWei else { throw .malformedResponse("the receipt's fee exceeds 2^64 wei") }
        // Base is an OP-stack chain: every transaction a wallet signs pays an L1 data fee, which
        // op-geth reports in the receipt. Without the field the fee reads as 0 and is named.
        return ChainReceipt(hash: Hex.encode(receipt.transactionHash), succeeded: receipt.succeeded, blockNumber: receipt.blockNumber,
                            blockHash: Hex.encode(receipt.blockHash), feeWei: fee, l1FeeUnreported: !receipt.l1FeeReported)
    }

    public func knows(_ hash: String) async throws(ConnectorError) -> Bool {
        guard let bytes = Hex.decode(hash), bytes.count == 32 else { throw Self.invalid("hash", "invalid_hash", "a transaction hash is 32 bytes of hex") }
        return try await node { try await rpc.knowsTransaction(bytes) }
    }

    public func heads() async throws(ConnectorError) -> ChainHeads {
        let (latest, safe, finalized) = try await node { (try await rpc.block(.latest), try await rpc.block(.safe), try await rpc.block(.finalized)) }
        guard let latest else { throw .malformedResponse("the node has no latest block") }
        return ChainHeads(latest: latest.number, latestTimestamp: Int64(clamping: latest.timestamp), safe: safe?.number ?? 0,
                          finalized: finalized?.number ?? 0)
    }

    public func block(_ number: UInt64) async throws(ConnectorError) -> ChainBlock? {
        try await node { try await rpc.block(.number(number)) }.map {
            ChainBlock(number: $0.number, hash: Hex.encode($0.hash), timestamp: Int64(clamping: $0.timestamp))
        }
    }

    /// keccak256("Transfer(address,address,uint256)").
    public static let transferTopic = Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))

    public func incomingTransfers(to: String, from: UInt64, through: UInt64) async throws(ConnectorError) -> [ChainTransfer] {
        let recipient = try Self.address(to, field: "to")
        return try await transfers(from: from, through: through, topics: [[Self.transferTopic], nil, [ABIValue.address(recipient).word]])
    }

    public func outgoingTransfers(from sender: String, from: UInt64, through: UInt64) async throws(ConnectorError) -> [ChainTransfer] {
        let address = try Self.address(sender, field: "from")
        return try await transfers(from: from, through: through, topics: [[Self.transferTopic], [ABIValue.address(address).word]])
    }

    /// The token's Transfer logs in the block range matching `topics`, removed ones left out.
    private func transfers(from: UInt64, through: UInt64, topics: [[[UInt8]]?]) async throws(ConnectorError) -> [ChainTransfer] {
        let logs = try await pagedLogs(from: from, through: through, topics: topics)
        var transfers: [ChainTransfer] = []
        for log in logs where !log.removed && log.topics.count == 3 && log.topics[0] == Self.transferTopic {
            guard let sender = EthereumAddress(bytes: Array(log.topics[1].suffix(20))), let receiver = EthereumAddress(bytes: Array(log.topics[2].suffix(20))),
                  let value = UInt256(bytes32: log.data)?.uint64, value <= UInt64(Int64.max) else {
                throw .malformedResponse("a Transfer log does not read as (from, to, value)")
            }
            transfers.append(ChainTransfer(transactionHash: Hex.encode(log.transactionHash), logIndex: log.logIndex, blockNumber: log.blockNumber,
                                           blockHash: Hex.encode(log.blockHash), from: sender.checksummed, to: receiver.checksummed,
                                           amountMinor: Int64(value)))
        }
        return transfers
    }

    /// keccak256("AuthorizationUsed(address,bytes32)"): FiatToken emits it, then the Transfer.
    public static let authorizationUsedTopic = Keccak256.hash(Array("AuthorizationUsed(address,bytes32)".utf8))

    public func authorizationUsed(_ authorization: ChainAuthorization) async throws(ConnectorError) -> Bool {
        let (transfer, _) = try Self.typed(authorization)
        let used = try await node { try await rpc.call(to: networkInfo.usdc, data: ABI.authorizationState(authorizer: transfer.from, nonce: transfer.nonce)) }
        guard used.count == 32, let state = UInt256(bytes32: used) else { throw .malformedResponse("authorizationState answered \(used.count) bytes") }
        return !state.isZero
    }

    public func authorizationTransfer(of authorization: ChainAuthorization, from: UInt64, through: UInt64) async throws(ConnectorError) -> ChainTransfer? {
        let (transfer, _) = try Self.typed(authorization)
        let authorizer = ABIValue.address(transfer.from).word
        let uses = try await pagedLogs(from: from, through: through, topics: [[Self.authorizationUsedTopic], [authorizer], [transfer.nonce]])
        for use in uses where !use.removed {
            // The call's own Transfer: the first one out of the authorizer after the event, in the same transaction.
            let moved = try await transfers(from: use.blockNumber, through: use.blockNumber, topics: [[Self.transferTopic], [authorizer]])
            let hash = Hex.encode(use.transactionHash)
            if let found = moved.filter({ $0.transactionHash == hash && $0.logIndex > use.logIndex }).min(by: { $0.logIndex < $1.logIndex }) {
                return found
            }
        }
        return nil
    }

    /// The token's logs in `from...through`, `logsBlockRange` blocks per call, oldest first.
    private func pagedLogs(from: UInt64, through: UInt64, topics: [[[UInt8]]?]) async throws(ConnectorError) -> [Log] {
        guard from <= through else { return [] }
        var logs: [Log] = []
        var start = from
        while true {
            let end = through - start < logsBlockRange ? through : start + logsBlockRange - 1
            logs += try await splitLogs(from: start, through: end, topics: topics, splits: 0)
            guard end < through else { return logs }
            start = end + 1
        }
    }

    /// One page; a provider's "range too large" or "too many results" splits it in half.
    private func splitLogs(from: UInt64, through: UInt64, topics: [[[UInt8]]?], splits: Int) async throws(ConnectorError) -> [Log] {
        do {
            return try await rpc.logs(address: networkInfo.usdc, fromBlock: from, toBlock: through, topics: topics)
        } catch {
            guard error.isLogRangeTooLarge, from < through, splits < Self.logsSplitsMax else { throw error.connectorError }
            let middle = from + (through - from) / 2
            return try await splitLogs(from: from, through: middle, topics: topics, splits: splits + 1)
                + splitLogs(from: middle + 1, through: through, topics: topics, splits: splits + 1)
        }
    }

    public func parseAuthorization(_ fields: AuthorizationFields) throws(ConnectorError) -> ChainAuthorization {
        let from = try Self.address(fields.from, field: "authorization.from")
        let to = try Self.address(fields.to, field: "authorization.to")
        guard let value = UInt64(fields.value), value > 0, value <= UInt64(Int64.max) else {
            throw Self.invalid("authorization.value", "amount_invalid", "value must be a whole number of the token's base units (6 decimals), more than 0")
        }
        guard let after = Int64(fields.validAfter), after >= 0 else {
            throw Self.invalid("authorization.validAfter", "invalid_window", "validAfter must be Unix seconds")
        }
        guard let before = Int64(fields.validBefore), before > after else {
            throw Self.invalid("authorization.validBefore", "invalid_window", "validBefore must be Unix seconds after validAfter")
        }
        guard let nonce = Hex.decode(fields.nonce), nonce.count == 32, fields.nonce.hasPrefix("0x") else {
            throw Self.invalid("authorization.nonce", "invalid_nonce", "nonce must be 32 bytes of 0x-hex")
        }
        guard fields.signature.hasPrefix("0x"), let signature = Hex.decode(fields.signature) else {
            throw Self.invalid("signature", "invalid_signature", "signature must be 0x-hex")
        }
        do { _ = try RecoverableSignature(bytes65: signature) } catch {
            let reason = switch error {
            case .length: "signature must be 65 bytes (r, s, v); got \(signature.count)"
            case .v: "signature's v must be 27 or 28"
            case .highS: "signature's s must be in the lower half of the curve order"
            }
            throw Self.invalid("signature", "invalid_signature", reason)
        }
        return ChainAuthorization(from: from.checksummed, to: to.checksummed, amountMinor: Int64(value), validAfter: after, validBefore: before,
                                  nonce: Hex.encode(nonce), signature: Hex.encode(signature))
    }

    public func verify(_ authorization: ChainAuthorization) async throws(ConnectorError) {
        let (transfer, signature) = try Self.typed(authorization)
        let signer: EthereumAddress
        do { signer = try transfer.signer(of: signature, on: networkInfo) } catch {
            throw Self.invalid("signature", "invalid_signature", "the signature does not recover: \(error)")
        }
        guard signer == transfer.from else {
            throw Self.invalid("signature", "invalid_signature", "the signature is \(signer.checksummed)'s, not the payer \(transfer.from.checksummed)'s")
        }
        let used = try await node { try await rpc.call(to: networkInfo.usdc, data: ABI.authorizationState(authorizer: transfer.from, nonce: transfer.nonce)) }
        guard used.count == 32, let state = UInt256(bytes32: used) else { throw .malformedResponse("authorizationState answered \(used.count) bytes") }
        guard state.isZero else { throw Self.invalid("authorization.nonce", "authorization_used", "this authorization's nonce is already used") }
        let balanceWord = try await node { try await rpc.call(to: networkInfo.usdc, data: ABI.balanceOf(transfer.from)) }
        guard let balance = UInt256(bytes32: balanceWord) else { throw .malformedResponse("balanceOf answered \(balanceWord.count) bytes") }
        guard balance >= transfer.value else {
            throw Self.invalid("authorization.value", "insufficient_funds", "the payer holds \(balance) base units, less than \(transfer.value)")
        }
        do {
            _ = try await rpc.call(to: networkInfo.usdc, data: ABI.transferWithAuthorization(transfer, signature: signature), from: key.address)
        } catch let error {
            guard let reason = error.revertReason else { throw error.connectorError }
            throw Self.invalid("authorization", "simulation_failed", "the transfer fails in simulation: \(reason)")
        }
    }

    // MARK: Reading

    static func address(_ text: String, field: String) throws(ConnectorError) -> EthereumAddress {
        do { return try EthereumAddress(text) } catch {
            throw invalid(field, error == .badChecksum ? "bad_checksum" : "invalid_address", "\(field): \(error)")
        }
    }

    static func typed(_ authorization: ChainAuthorization) throws(ConnectorError) -> (TransferAuthorization, RecoverableSignature) {
        guard let nonce = Hex.decode(authorization.nonce), nonce.count == 32, let bytes = Hex.decode(authorization.signature),
              let signature = try? RecoverableSignature(bytes65: bytes), authorization.amountMinor > 0,
              authorization.validAfter >= 0, authorization.validBefore >= 0 else {
            throw invalid("authorization", "invalid_authorization", "the authorization's nonce, signature or numbers do not read")
        }
        let transfer = TransferAuthorization(from: try address(authorization.from, field: "authorization.from"),
                                             to: try address(authorization.to, field: "authorization.to"),
                                             value: UInt256(UInt64(authorization.amountMinor)), validAfter: UInt256(UInt64(authorization.validAfter)),
                                             validBefore: UInt256(UInt64(authorization.validBefore)), nonce: nonce)
        return (transfer, signature)
    }

    static func invalid(_ field: String, _ code: String, _ message: String) -> ConnectorError {
        .refused(status: 400, type: "invalid_request_error", code: code, message: message, param: field)
    }

    /// Runs node calls, turning their errors into the connector's.
    private func node<T>(_ body: () async throws -> T) async throws(ConnectorError) -> T {
        do { return try await body() } catch let error as RPCError { throw error.connectorError } catch {
            throw .malformedResponse("\(error)")
        }
    }
}
