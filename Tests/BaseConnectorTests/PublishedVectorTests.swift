import Connectors
import Testing
@testable import BaseConnector

/// The vectors published with the specifications themselves: Keccak-256 of "" and "abc", the
/// EIP-155 example transaction, the EIP-712 Mail example, EIP-55's own examples.
struct PublishedVectorTests {
    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    @Test func keccakIsTheOriginalKeccakNotSHA3() {
        #expect(Self.hex(Keccak256.hash([])) == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Self.hex(Keccak256.hash(Array("abc".utf8))) == "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        // SHA3-256("") would be a7ffc6f8…; Keccak's padding differs.
        #expect(Self.hex(Keccak256.hash([])) != "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
    }

    /// EIP-155's example: nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535…, chain 1, key 0x4646….
    @Test func theEIP155Example() throws {
        let transaction = LegacyTransaction(nonce: 9, gasPrice: UInt256(20_000_000_000), gas: 21_000,
                                            to: try EthereumAddress("0x3535353535353535353535353535353535353535"),
                                            value: UInt256(decimal: "1000000000000000000")!, data: [], chainID: 1)
        #expect(Self.hex(transaction.signingHash) == "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
        let signed = try transaction.signed(with: [UInt8](repeating: 0x46, count: 32))
        #expect(Self.hex(signed.raw) == "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83")
    }

    /// EIP-712's Mail example (assets/eip-712/Example.js): Cow to Bob, "Hello, Bob!", signed by keccak("cow").
    @Test func theEIP712MailExample() throws {
        let person: [TypedData.Member] = [.init("name", "string"), .init("wallet", "address")]
        let cow = TypedData.Value.struct(["name": .string("Cow"), "wallet": .address(try EthereumAddress("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"))])
        let bob = TypedData.Value.struct(["name": .string("Bob"), "wallet": .address(try EthereumAddress("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"))])
        let mail = TypedData(types: [
            "EIP712Domain": TypedData.domainMembers, "Person": person,
            "Mail": [.init("from", "Person"), .init("to", "Person"), .init("contents", "string")],
        ], primaryType: "Mail", domain: [
            "name": .string("Ether Mail"), "version": .string("1"), "chainId": .uint(UInt256(1)),
            "verifyingContract": .address(try EthereumAddress("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC")),
        ], message: ["from": cow, "to": bob, "contents": .string("Hello, Bob!")])
        #expect(try mail.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(Self.hex(try mail.typeHash("Mail")) == "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2")
        #expect(Self.hex(try mail.domainSeparator) == "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        #expect(Self.hex(try mail.hashStruct("Mail", mail.message)) == "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        let digest = try mail.digest()
        #expect(Self.hex(digest) == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        let signature = try Secp256k1.sign(hash: digest, privateKey: Keccak256.hash(Array("cow".utf8)))
        #expect(signature.v == 28)
        #expect(Self.hex(signature.r) == "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d")
        #expect(Self.hex(signature.s) == "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562")
        #expect(try Secp256k1.recoverAddress(hash: digest, signature: signature).checksummed == "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
    }

    /// EIP-55's own examples; a changed letter case is refused.
    @Test func eip55ChecksumsParseAndWrite() throws {
        for text in ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                     "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"] {
            #expect(try EthereumAddress(text).checksummed == text)
            #expect(try EthereumAddress(text.lowercased()).checksummed == text)  // all lower case carries no checksum
        }
        #expect(throws: EthereumAddress.ParseError.badChecksum) { try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") }
        for bad in ["5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", ""] {
            #expect(throws: EthereumAddress.ParseError.malformed) { try EthereumAddress(bad) }
        }
    }

    @Test func rlpRefusesNonCanonicalAndTruncatedInput() throws {
        #expect(RLP.bytes([]).encoded == [0x80])
        #expect(RLP.bytes([0x7F]).encoded == [0x7F])
        #expect(RLP.bytes([0x80]).encoded == [0x81, 0x80])
        #expect(RLP.list([]).encoded == [0xC0])
        #expect(RLP.bytes(Array("dog".utf8)).encoded == [0x83, 0x64, 0x6F, 0x67])  // the Yellow Paper's / wiki's examples
        #expect(RLP.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]).encoded == [0xC8, 0x83, 0x63, 0x61, 0x74, 0x83, 0x64, 0x6F, 0x67])
        let long = [UInt8](repeating: 0x61, count: 56)
        #expect(RLP.bytes(long).encoded.prefix(2) == [0xB8, 56])
        #expect(try RLP.decode(RLP.bytes(long).encoded) == .bytes(long))
        #expect(throws: RLP.DecodeError.nonCanonical) { try RLP.decode([0x81, 0x05]) }
        #expect(throws: RLP.DecodeError.nonCanonical) { try RLP.decode([0xB8, 0x05, 1, 2, 3, 4, 5]) }
        #expect(throws: RLP.DecodeError.truncated) { try RLP.decode([0x83, 0x64]) }
        #expect(throws: RLP.DecodeError.trailingBytes) { try RLP.decode([0x80, 0x80]) }
    }

    @Test func uint256ParsesExactlyAndRefusesOverflow() {
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        #expect(UInt256(decimal: max)?.description == max)
        #expect(UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936") == nil)
        #expect(UInt256(decimal: "-1") == nil)
        #expect(UInt256(decimal: "1.5") == nil)
        #expect(UInt256(decimal: "") == nil)
        #expect(UInt256(decimal: "0")?.minimalBytes == [])
        #expect(UInt256(decimal: "1024")?.minimalBytes == [0x04, 0x00])
    }

    @Test func signaturesKeepTheirTwoEncodingsApart() throws {
        let key = Keccak256.hash(Array("payer".utf8))
        let hash = Keccak256.hash(Array("message".utf8))
        let signature = try Secp256k1.sign(hash: hash, privateKey: key)
        #expect(!Secp256k1.isHighS(signature.s))  // libsecp256k1 signs low-s
        #expect([27, 28].contains(signature.v))
        #expect(signature.bytes65.count == 65)
        #expect(try RecoverableSignature(bytes65: signature.bytes65) == signature)
        // A high-s twin (n − s) is the same point, and refused.
        let order = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        var borrow = 0
        var highS = [UInt8](repeating: 0, count: 32)
        for index in stride(from: 31, through: 0, by: -1) {
            let difference = Int(order[index]) - Int(signature.s[index]) - borrow
            highS[index] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        #expect(throws: RecoverableSignature.ParseError.highS) { try RecoverableSignature(bytes65: signature.r + highS + [signature.v]) }
        #expect(throws: RecoverableSignature.ParseError.length) { try RecoverableSignature(bytes65: Array(signature.bytes65.dropLast())) }
        #expect(throws: RecoverableSignature.ParseError.v) { try RecoverableSignature(bytes65: signature.r + signature.s + [29]) }
        #expect(throws: Secp256k1.Failure.invalidPrivateKey) { try Secp256k1.address(of: [UInt8](repeating: 0, count: 32)) }
        // A type-2 transaction carries the same signature as y_parity 0/1.
        let transaction = EIP1559Transaction(chainID: 8453, nonce: 0, maxPriorityFeePerGas: UInt256(1_000_000), maxFeePerGas: UInt256(2_000_000),
                                             gas: 60_000, to: BaseNetwork.base.usdc, value: .zero,
                                             data: ABI.transfer(to: try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), value: UInt256(1_500_000)))
        let signed = try transaction.signed(with: key)
        let decoded = try EIP1559Transaction.decode(signed.raw)
        #expect(decoded.transaction == transaction)
        #expect(decoded.from == (try Secp256k1.address(of: key)))
        #expect(decoded.signature.recoveryID == signed.signature.recoveryID)
    }
}
