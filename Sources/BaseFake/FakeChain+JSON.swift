import BaseConnector
import Foundation

/// Blocks, transactions, receipts and logs as geth and op-geth write them.
extension FakeChain {
    /// Base's sequencer fee vault, the `miner` of every Base block.
    static let miner = "0x4200000000000000000000000000000000000011"
    static let emptyBloom = Wire.data([UInt8](repeating: 0, count: 256))
    /// op-geth's L1 fee split for the receipt: l1Fee = l1GasUsed × l1GasPrice (rounded down) × l1FeeScalar.
    static let l1GasUsed: UInt64 = 1_600

    /// A log with where it sits: its transaction and its index in the block.
    struct PlacedLog {
        let log: LogEntry
        let transactionHash: [UInt8]
        let transactionIndex: Int
        let logIndex: Int
    }

    func blockJSON(_ block: Block, full: Bool) -> [String: Any] {
        [
            "number": Wire.quantity(block.number), "hash": Wire.data(block.hash), "parentHash": Wire.data(block.parentHash),
            "timestamp": Wire.quantity(UInt64(block.timestamp)), "baseFeePerGas": Wire.quantity(block.baseFeeWei),
            "gasLimit": Wire.quantity(FakeGas.blockLimit), "gasUsed": Wire.quantity(block.gasUsed), "miner": Self.miner,
            "difficulty": "0x0", "extraData": "0x", "logsBloom": Self.emptyBloom, "uncles": [String](),
            "transactions": block.transactions.enumerated().map { index, mined -> Any in
                full ? transactionJSON(mined.transaction, in: (block, index)) : Wire.data(mined.transaction.hash)
            },
        ]
    }

    /// A mined transaction carries its block; a pooled one has null block fields; unknown is nil.
    func transactionJSON(_ hash: [UInt8]) -> [String: Any]? {
        if let (block, index) = mined(hash) { return transactionJSON(block.transactions[index].transaction, in: (block, index)) }
        return pooled(hash).map { transactionJSON($0, in: nil) }
    }

    /// An outside transfer is synthetic: no signature (v, r, s are 0x0), nonce 0x0, no fee caps.
    func transactionJSON(_ entry: PooledTransaction, in place: (block: Block, index: Int)?) -> [String: Any] {
        var object: [String: Any] = [
            "hash": Wire.data(entry.hash), "from": Wire.address(entry.from), "to": Wire.address(entry.to), "input": Wire.data(entry.data),
            "value": Wire.quantity(entry.value), "gas": Wire.quantity(entry.gas), "type": "0x2", "accessList": [Any](),
            "chainId": Wire.quantity(network.chainID), "nonce": Wire.quantity(entry.nonce ?? 0),
            "blockHash": NSNull(), "blockNumber": NSNull(), "transactionIndex": NSNull(),
            "v": "0x0", "r": "0x0", "s": "0x0", "yParity": "0x0",
        ]
        if case .signed(let transaction, let signature, _) = entry.origin {
            object["maxFeePerGas"] = Wire.quantity(transaction.maxFeePerGas)
            object["maxPriorityFeePerGas"] = Wire.quantity(transaction.maxPriorityFeePerGas)
            object["gasPrice"] = Wire.quantity(transaction.maxFeePerGas)
            object["v"] = Wire.quantity(UInt64(signature.recoveryID))
            object["yParity"] = object["v"]
            object["r"] = Wire.quantity(UInt256(bytes32: signature.r) ?? .zero)
            object["s"] = Wire.quantity(UInt256(bytes32: signature.s) ?? .zero)
        } else {
            object["maxFeePerGas"] = "0x0"
            object["maxPriorityFeePerGas"] = "0x0"
            object["gasPrice"] = "0x0"
        }
        if let (block, index) = place {
            object["blockHash"] = Wire.data(block.hash)
            object["blockNumber"] = Wire.quantity(block.number)
            object["transactionIndex"] = Wire.quantity(UInt64(index))
            object["gasPrice"] = Wire.quantity(block.transactions[index].effectiveGasPrice)
        }
        return object
    }

    /// op-geth's receipt: geth's fields and the L1 fee the sender paid on top of L2 gas.
    func receiptJSON(_ block: Block, index: Int) -> [String: Any] {
        let mined = block.transactions[index]
        let logs = placedLogs(in: block).filter { $0.transactionIndex == index }.map { logJSON($0, in: block) }
        var receipt: [String: Any] = [
            "transactionHash": Wire.data(mined.transaction.hash), "transactionIndex": Wire.quantity(UInt64(index)),
            "blockHash": Wire.data(block.hash), "blockNumber": Wire.quantity(block.number),
            "from": Wire.address(mined.transaction.from), "to": Wire.address(mined.transaction.to),
            "cumulativeGasUsed": Wire.quantity(mined.cumulativeGasUsed), "gasUsed": Wire.quantity(mined.gasUsed),
            "effectiveGasPrice": Wire.quantity(mined.effectiveGasPrice), "status": Wire.quantity(UInt64(mined.status)), "type": "0x2",
            "contractAddress": NSNull(), "logsBloom": Self.emptyBloom, "logs": logs,
            "l1Fee": Wire.quantity(mined.l1FeeWei), "l1GasUsed": Wire.quantity(Self.l1GasUsed),
            "l1GasPrice": Wire.quantity(mined.l1FeeWei / Self.l1GasUsed), "l1FeeScalar": "1",
        ]
        if omitL1FeeInReceipts { for key in ["l1Fee", "l1GasUsed", "l1GasPrice", "l1FeeScalar"] { receipt[key] = nil } }
        return receipt
    }

    func placedLogs(in block: Block) -> [PlacedLog] {
        var placed: [PlacedLog] = []
        for (transactionIndex, mined) in block.transactions.enumerated() {
            for log in mined.logs {
                placed.append(PlacedLog(log: log, transactionHash: mined.transaction.hash, transactionIndex: transactionIndex,
                                        logIndex: placed.count))
            }
        }
        return placed
    }

    func logJSON(_ placed: PlacedLog, in block: Block) -> [String: Any] {
        [
            "address": Wire.address(placed.log.address), "topics": placed.log.topics.map(Wire.data), "data": Wire.data(placed.log.data),
            "blockNumber": Wire.quantity(block.number), "blockHash": Wire.data(block.hash), "transactionHash": Wire.data(placed.transactionHash),
            "transactionIndex": Wire.quantity(UInt64(placed.transactionIndex)), "logIndex": Wire.quantity(UInt64(placed.logIndex)), "removed": false,
        ]
    }
}
