/// Solidity ABI encoding of the static arguments the USDC calls use: each one 32-byte word.
public enum ABIValue: Sendable, Hashable {
    case address(EthereumAddress)
    case uint(UInt256)
    case bytes32([UInt8])

    var word: [UInt8] {
        switch self {
        case .address(let address): [UInt8](repeating: 0, count: 12) + address.bytes
        case .uint(let value): value.bytes
        case .bytes32(let bytes): bytes.count == 32 ? bytes : Array((bytes + [UInt8](repeating: 0, count: 32)).prefix(32))
        }
    }
}

public enum ABI {
    /// The first four bytes of keccak256 of the canonical signature, e.g. `transfer(address,uint256)`.
    public static func selector(_ signature: String) -> [UInt8] { Array(Keccak256.hash(Array(signature.utf8)).prefix(4)) }

    public static func call(_ signature: String, _ arguments: [ABIValue]) -> [UInt8] {
        selector(signature) + arguments.flatMap(\.word)
    }

    public static func transfer(to: EthereumAddress, value: UInt256) -> [UInt8] {
        call("transfer(address,uint256)", [.address(to), .uint(value)])
    }

    public static func balanceOf(_ owner: EthereumAddress) -> [UInt8] {
        call("balanceOf(address)", [.address(owner)])
    }

    public static func authorizationState(authorizer: EthereumAddress, nonce: [UInt8]) -> [UInt8] {
        call("authorizationState(address,bytes32)", [.address(authorizer), .bytes32(nonce)])
    }

    /// USDC's EIP-3009 entry point with a (v, r, s) signature; v must be 27 or 28.
    public static func transferWithAuthorization(_ authorization: TransferAuthorization, signature: RecoverableSignature) -> [UInt8] {
        call("transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)", [
            .address(authorization.from), .address(authorization.to), .uint(authorization.value), .uint(authorization.validAfter),
            .uint(authorization.validBefore), .bytes32(authorization.nonce), .uint(UInt256(UInt64(signature.v))), .bytes32(signature.r), .bytes32(signature.s),
        ])
    }
}
