/// A chain the connector pays on, with its USDC contract and that contract's EIP-712 domain.
///
/// The domains are the ones coinbase/x402 signs against (typescript/packages/x402 and the
/// python package's network config): on Base the token's EIP-712 name is "USD Coin", on Base
/// Sepolia "USDC"; version "2" on both.
public struct BaseNetwork: Sendable, Hashable {
    public let name: String
    public let chainID: UInt64
    public let usdc: EthereumAddress
    public let usdcDomainName: String
    public let usdcDomainVersion: String

    public static let base = BaseNetwork(name: "base", chainID: 8453, usdc: try! EthereumAddress("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"),
                                         usdcDomainName: "USD Coin", usdcDomainVersion: "2")
    public static let baseSepolia = BaseNetwork(name: "base-sepolia", chainID: 84532,
                                                usdc: try! EthereumAddress("0x036CbD53842c5426634e7929541eC2318f3dCF7e"),
                                                usdcDomainName: "USDC", usdcDomainVersion: "2")

    public static func named(_ name: String) -> BaseNetwork? { [base, baseSepolia].first { $0.name == name } }
}

/// EIP-3009 TransferWithAuthorization: the payer signs; anyone may submit it to USDC.
public struct TransferAuthorization: Sendable, Hashable {
    public var from: EthereumAddress
    public var to: EthereumAddress
    public var value: UInt256
    public var validAfter: UInt256
    public var validBefore: UInt256
    /// 32 random bytes, used once per payer.
    public var nonce: [UInt8]

    public init(from: EthereumAddress, to: EthereumAddress, value: UInt256, validAfter: UInt256, validBefore: UInt256, nonce: [UInt8]) {
        self.from = from
        self.to = to
        self.value = value
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.nonce = nonce
    }

    public func typedData(on network: BaseNetwork) -> TypedData {
        TypedData(types: [
            "EIP712Domain": TypedData.domainMembers,
            "TransferWithAuthorization": [
                .init("from", "address"), .init("to", "address"), .init("value", "uint256"), .init("validAfter", "uint256"),
                .init("validBefore", "uint256"), .init("nonce", "bytes32"),
            ],
        ], primaryType: "TransferWithAuthorization", domain: [
            "name": .string(network.usdcDomainName), "version": .string(network.usdcDomainVersion),
            "chainId": .uint(UInt256(network.chainID)), "verifyingContract": .address(network.usdc),
        ], message: [
            "from": .address(from), "to": .address(to), "value": .uint(value), "validAfter": .uint(validAfter),
            "validBefore": .uint(validBefore), "nonce": .bytes32(nonce),
        ])
    }

    public func digest(on network: BaseNetwork) -> [UInt8] {
        // Every member is typed and present: encoding cannot fail.
        try! typedData(on: network).digest()
    }

    /// Signs as the payer; the signature's v is 27/28 as USDC requires.
    public func signed(on network: BaseNetwork, privateKey: [UInt8]) throws(Secp256k1.Failure) -> RecoverableSignature {
        try Secp256k1.sign(hash: digest(on: network), privateKey: privateKey)
    }

    /// The address that signed, refusing high s and v outside 27/28 as USDC does.
    public func signer(of signature: RecoverableSignature, on network: BaseNetwork) throws(Secp256k1.Failure) -> EthereumAddress {
        try Secp256k1.recoverAddress(hash: digest(on: network), signature: signature)
    }
}
