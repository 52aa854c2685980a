import Connectors
import Foundation
import Testing
@testable import BaseConnector

/// Our bytes against vectors made by eth-account (Fixtures/ethereum, the script that made them
/// and its pinned versions): hashes, keys, addresses, RLP, ABI, both transaction types,
/// EIP-712 and EIP-3009 digests and signatures, recovery, and high-s refusals.
struct EthAccountVectorTests {
    typealias Object = [String: Any]
    static var vectors: Object { (try? JSONSerialization.jsonObject(with: Data(PackageResources.vectors_json))) as? Object ?? [:] }

    static func list(_ key: String) -> [Object] { vectors[key] as? [Object] ?? [] }
    static func bytes(_ object: Object, _ key: String) -> [UInt8] { Hex.decode(object[key] as? String ?? "") ?? [] }
    static func uint(_ object: Object, _ key: String) -> UInt256 { UInt256(decimal: object[key] as? String ?? "") ?? .zero }
    static func u64(_ object: Object, _ key: String) -> UInt64 { UInt64(object[key] as? String ?? "") ?? UInt64.max }
    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    @Test func theFixturesAreThere() {
        #expect((Self.vectors["generator"] as? String)?.hasPrefix("eth-account ") == true)
        for (key, minimum) in [("keccak", 8), ("addresses", 5), ("checksum", 10), ("rlp", 15), ("legacy_eip155", 3), ("eip1559", 6), ("abi", 4),
                               ("eip3009", 6), ("recover", 4), ("recover_high_s", 1)] {
            #expect(Self.list(key).count >= minimum, "\(key)")
        }
    }

    @Test func keccakAddressesAndChecksums() throws {
        for vector in Self.list("keccak") {
            #expect(Self.hex(Keccak256.hash(Self.bytes(vector, "input_hex"))) == vector["hash"] as? String)
        }
        for vector in Self.list("addresses") {
            let key = Self.bytes(vector, "private_key")
            #expect(Self.hex(try Secp256k1.publicKey(of: key)) == vector["public_key_uncompressed"] as? String)
            #expect(try Secp256k1.address(of: key).checksummed == vector["address"] as? String)
        }
        for vector in Self.list("checksum") {
            let lower = try #require(vector["lower"] as? String)
            #expect(try EthereumAddress(lower).checksummed == vector["checksummed"] as? String)
            #expect(try EthereumAddress(vector["checksummed"] as? String ?? "").checksummed == vector["checksummed"] as? String)
        }
    }

    static func rlp(_ value: Any) -> RLP? {
        if let text = value as? String { return Hex.decode(text).map(RLP.bytes) }
        if let items = value as? [Any] {
            let parsed = items.compactMap(rlp)
            return parsed.count == items.count ? .list(parsed) : nil
        }
        return nil
    }

    @Test func rlpEncodesAndDecodesEachValue() throws {
        for vector in Self.list("rlp") {
            let value = try #require(Self.rlp(vector["value"] as Any), "\(vector["description"] ?? "")")
            #expect(Self.hex(value.encoded) == vector["encoded"] as? String, "\(vector["description"] ?? "")")
            #expect(try RLP.decode(Self.bytes(vector, "encoded")) == value)
        }
    }

    @Test func abiCalldata() throws {
        for vector in Self.list("abi") {
            let signature = try #require(vector["signature"] as? String)
            let types = signature.drop { $0 != "(" }.dropFirst().dropLast().split(separator: ",").map(String.init)
            let args = try #require(vector["args"] as? [String])
            let values: [ABIValue] = try zip(types, args).map { type, arg in
                switch type {
                case "address": .address(try EthereumAddress(arg))
                case "bytes32": .bytes32(Hex.decode(arg) ?? [])
                default: .uint(UInt256(decimal: arg) ?? .zero)
                }
            }
            #expect(Self.hex(ABI.selector(signature)) == vector["selector"] as? String)
            #expect(Self.hex(ABI.call(signature, values)) == vector["calldata"] as? String, "\(signature)")
        }
    }

    @Test func legacyEIP155Transactions() throws {
        for vector in Self.list("legacy_eip155") {
            let transaction = LegacyTransaction(nonce: Self.u64(vector, "nonce"), gasPrice: Self.uint(vector, "gas_price"), gas: Self.u64(vector, "gas"),
                                                to: try EthereumAddress(vector["to"] as? String ?? ""), value: Self.uint(vector, "value"),
                                                data: Self.bytes(vector, "data"), chainID: Self.u64(vector, "chain_id"))
            #expect(Self.hex(transaction.signingHash) == vector["signing_hash"] as? String)
            let signed = try transaction.signed(with: Self.bytes(vector, "private_key"))
            #expect(Self.hex(signed.raw) == vector["raw"] as? String)
            #expect(Self.hex(signed.hash) == vector["hash"] as? String)
        }
    }

    @Test func eip1559TransactionsByteForByte() throws {
        for vector in Self.list("eip1559") {
            let transaction = EIP1559Transaction(chainID: Self.u64(vector, "chain_id"), nonce: Self.u64(vector, "nonce"),
                                                 maxPriorityFeePerGas: Self.uint(vector, "max_priority_fee_per_gas"),
                                                 maxFeePerGas: Self.uint(vector, "max_fee_per_gas"), gas: Self.u64(vector, "gas"),
                                                 to: try EthereumAddress(vector["to"] as? String ?? ""), value: Self.uint(vector, "value"),
                                                 data: Self.bytes(vector, "data"))
            let label = vector["description"] as? String ?? ""
            #expect(Self.hex(transaction.signingHash) == vector["signing_hash"] as? String, "\(label)")
            let signed = try transaction.signed(with: Self.bytes(vector, "private_key"))
            #expect(Self.hex(signed.raw) == vector["raw"] as? String, "\(label)")
            #expect(Self.hex(signed.hash) == vector["hash"] as? String, "\(label)")
            #expect(String(signed.signature.recoveryID) == vector["y_parity"] as? String)  // 0/1 in a type-2 transaction
            let decoded = try EIP1559Transaction.decode(Self.bytes(vector, "raw"))
            #expect(decoded.transaction == transaction)
            #expect(decoded.from.checksummed == vector["from"] as? String)
        }
    }

    @Test func eip3009AuthorizationsForUSDC() throws {
        for vector in Self.list("eip3009") {
            let network = try #require(BaseNetwork.named(vector["network"] as? String ?? ""))
            #expect(String(network.chainID) == vector["chain_id"] as? String)
            #expect(network.usdc.checksummed == vector["verifying_contract"] as? String)
            #expect(network.usdcDomainName == vector["domain_name"] as? String)
            let authorization = TransferAuthorization(from: try EthereumAddress(vector["from"] as? String ?? ""),
                                                      to: try EthereumAddress(vector["to"] as? String ?? ""), value: Self.uint(vector, "value"),
                                                      validAfter: Self.uint(vector, "valid_after"), validBefore: Self.uint(vector, "valid_before"),
                                                      nonce: Self.bytes(vector, "nonce"))
            let typed = authorization.typedData(on: network)
            #expect(Self.hex(try typed.domainSeparator) == vector["domain_separator"] as? String)
            #expect(Self.hex(try typed.hashStruct("TransferWithAuthorization", typed.message)) == vector["struct_hash"] as? String)
            #expect(Self.hex(authorization.digest(on: network)) == vector["digest"] as? String)
            let signature = try authorization.signed(on: network, privateKey: Self.bytes(vector, "private_key"))
            #expect(Self.hex(signature.bytes65) == vector["signature"] as? String)
            #expect(String(signature.v) == vector["v"] as? String)  // 27/28, as USDC's contract requires
            #expect(try authorization.signer(of: try RecoverableSignature(bytes65: Self.bytes(vector, "signature")), on: network) == authorization.from)
        }
    }

    @Test func recoveryAndHighSRefusal() throws {
        for vector in Self.list("recover") {
            let signature = RecoverableSignature(r: Self.bytes(vector, "r"), s: Self.bytes(vector, "s"), recoveryID: UInt8(Self.u64(vector, "recovery_id")))
            #expect(try Secp256k1.recoverAddress(hash: Self.bytes(vector, "hash"), signature: signature).checksummed == vector["address"] as? String)
        }
        for vector in Self.list("recover_high_s") {
            let signature = RecoverableSignature(r: Self.bytes(vector, "r"), s: Self.bytes(vector, "s"), recoveryID: UInt8(Self.u64(vector, "recovery_id")))
            #expect(throws: Secp256k1.Failure.invalidSignature) { try Secp256k1.recoverAddress(hash: Self.bytes(vector, "hash"), signature: signature) }
        }
    }
}
