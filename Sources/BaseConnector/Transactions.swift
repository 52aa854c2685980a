/// A legacy transaction signed with EIP-155 replay protection: v = chainId × 2 + 35 + recovery id.
public struct LegacyTransaction: Sendable, Hashable {
    public var nonce: UInt64
    public var gasPrice: UInt256
    public var gas: UInt64
    public var to: EthereumAddress?
    public var value: UInt256
    public var data: [UInt8]
    public var chainID: UInt64

    public init(nonce: UInt64, gasPrice: UInt256, gas: UInt64, to: EthereumAddress?, value: UInt256, data: [UInt8], chainID: UInt64) {
        self.nonce = nonce
        self.gasPrice = gasPrice
        self.gas = gas
        self.to = to
        self.value = value
        self.data = data
        self.chainID = chainID
    }

    private var fields: [RLP] {
        [.uint(nonce), .uint(gasPrice), .uint(gas), .bytes(to?.bytes ?? []), .uint(value), .bytes(data)]
    }

    /// keccak(rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])).
    public var signingHash: [UInt8] {
        Keccak256.hash(RLP.list(fields + [.uint(chainID), .bytes([]), .bytes([])]).encoded)
    }

    public func signed(with privateKey: [UInt8]) throws(Secp256k1.Failure) -> SignedTransaction {
        let signature = try Secp256k1.sign(hash: signingHash, privateKey: privateKey)
        // chainId × 2 + 35 + id can pass 64 bits only for absurd chain ids; UInt256 keeps it exact.
        let v = UInt256(chainID).multipliedReportingOverflow(by: 2)!.adding(35 + UInt64(signature.recoveryID))!
        let raw = RLP.list(fields + [.uint(v), .bytes(Array(signature.r.drop { $0 == 0 })), .bytes(Array(signature.s.drop { $0 == 0 }))]).encoded
        return SignedTransaction(raw: raw, signature: signature)
    }
}

/// An EIP-1559 (type 2) transaction: 0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas,
/// maxFeePerGas, gas, to, value, data, accessList, yParity, r, s]). Its signature carries
/// y_parity 0/1, never 27/28.
public struct EIP1559Transaction: Sendable, Hashable {
    public var chainID: UInt64
    public var nonce: UInt64
    public var maxPriorityFeePerGas: UInt256
    public var maxFeePerGas: UInt256
    public var gas: UInt64
    public var to: EthereumAddress?
    public var value: UInt256
    public var data: [UInt8]

    public init(chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256, gas: UInt64, to: EthereumAddress?,
                value: UInt256, data: [UInt8]) {
        self.chainID = chainID
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gas = gas
        self.to = to
        self.value = value
        self.data = data
    }

    private var fields: [RLP] {
        [.uint(chainID), .uint(nonce), .uint(maxPriorityFeePerGas), .uint(maxFeePerGas), .uint(gas), .bytes(to?.bytes ?? []), .uint(value),
         .bytes(data), .list([])]
    }

    public var signingHash: [UInt8] { Self.signingHash(fields) }

    private static func signingHash(_ fields: [RLP]) -> [UInt8] { Keccak256.hash([0x02] + RLP.list(fields).encoded) }

    /// The fields are built once for the hash and the raw bytes.
    public func signed(with privateKey: [UInt8]) throws(Secp256k1.Failure) -> SignedTransaction {
        let fields = self.fields
        let signature = try Secp256k1.sign(hash: Self.signingHash(fields), privateKey: privateKey)
        let raw = [0x02] + RLP.list(fields + [.uint(UInt64(signature.recoveryID)), .bytes(Array(signature.r.drop { $0 == 0 })),
                                              .bytes(Array(signature.s.drop { $0 == 0 }))]).encoded
        return SignedTransaction(raw: raw, signature: signature)
    }

    public enum DecodeError: Error, Sendable, Equatable {
        case notType2, malformed, signature
    }

    /// Reads a signed type-2 transaction back and recovers its sender.
    public static func decode(_ raw: [UInt8]) throws(DecodeError) -> (transaction: EIP1559Transaction, signature: RecoverableSignature, from: EthereumAddress) {
        guard raw.first == 0x02 else { throw .notType2 }
        let item: RLP
        do { item = try RLP.decode(Array(raw.dropFirst())) } catch { throw .malformed }
        guard case .list(let fields) = item, fields.count == 12 else { throw .malformed }
        func bytes(_ index: Int) throws(DecodeError) -> [UInt8] {
            guard case .bytes(let value) = fields[index] else { throw .malformed }
            return value
        }
        func uint(_ index: Int) throws(DecodeError) -> UInt256 {
            let value = try bytes(index)
            guard value.first != 0, let number = UInt256(bigEndian: value) else { throw .malformed }
            return number
        }
        func uint64(_ index: Int) throws(DecodeError) -> UInt64 {
            guard let value = try uint(index).uint64 else { throw .malformed }
            return value
        }
        let toBytes = try bytes(5)
        guard toBytes.isEmpty || toBytes.count == 20, case .list(let accessList) = fields[8], accessList.isEmpty else { throw .malformed }
        let transaction = EIP1559Transaction(chainID: try uint64(0), nonce: try uint64(1), maxPriorityFeePerGas: try uint(2), maxFeePerGas: try uint(3),
                                             gas: try uint64(4), to: EthereumAddress(bytes: toBytes), value: try uint(6), data: try bytes(7))
        let parity = try uint64(9)
        guard parity <= 1, let r = UInt256(bigEndian: try bytes(10)), let s = UInt256(bigEndian: try bytes(11)) else { throw .signature }
        let signature = RecoverableSignature(r: r.bytes, s: s.bytes, recoveryID: UInt8(parity))
        do {
            return (transaction, signature, try Secp256k1.recoverAddress(hash: transaction.signingHash, signature: signature))
        } catch { throw .signature }
    }
}

/// Signed bytes ready for eth_sendRawTransaction, and their hash (the transaction id).
public struct SignedTransaction: Sendable, Hashable {
    public let raw: [UInt8]
    public let signature: RecoverableSignature

    public var hash: [UInt8] { Keccak256.hash(raw) }
}
