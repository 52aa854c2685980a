import BaseConnector

/// USDC (FiatToken v2.2) as far as the marketplace uses it: `transfer`, EIP-3009's
/// `transferWithAuthorization`, `balanceOf` and `authorizationState`, with the contract's own
/// checks in its order (the blacklist's modifiers first) and its revert reasons. A call is a
/// pure function of the world; the caller applies the changes it returns.
struct FakeUSDC {
    let network: BaseNetwork

    static let transfer = ABI.selector("transfer(address,uint256)")
    static let transferWithAuthorization = ABI.selector(
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)")
    static let balanceOf = ABI.selector("balanceOf(address)")
    static let authorizationState = ABI.selector("authorizationState(address,bytes32)")
    static let transferTopic = Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))
    static let authorizationUsedTopic = Keccak256.hash(Array("AuthorizationUsed(address,bytes32)".utf8))
    static let zeroAddress = EthereumAddress(bytes: [UInt8](repeating: 0, count: 20))!
    static let blacklistedReason = "Blacklistable: account is blacklisted"

    static func gasRequired(for data: [UInt8]) -> UInt64 {
        switch Array(data.prefix(4)) {
        case transfer: FakeGas.usdcTransfer
        case transferWithAuthorization: FakeGas.transferWithAuthorization
        default: FakeGas.otherUSDCCall
        }
    }

    /// Short or malformed calldata reverts without a reason, as Solidity's ABI decoder does.
    func call(from sender: EthereumAddress, data: [UInt8], world: World, timestamp: Int64) -> CallOutcome {
        let arguments = Calldata(bytes: Array(data.dropFirst(4)))
        switch Array(data.prefix(4)) {
        case Self.transfer:
            guard let to = arguments.address(0), let value = arguments.uint(1) else { return .reverted(reason: nil) }
            guard !world.blacklisted.contains(sender), !world.blacklisted.contains(to) else { return .reverted(reason: Self.blacklistedReason) }
            return move(from: sender, to: to, value: value, world: world, changes: [], logs: [], output: UInt256(1).bytes)
        case Self.transferWithAuthorization:
            return transferWithAuthorization(arguments, world: world, timestamp: timestamp)
        case Self.balanceOf:
            guard let owner = arguments.address(0) else { return .reverted(reason: nil) }
            return .returned(UInt256(world.usdcBalance(of: owner)).bytes, changes: [], logs: [])
        case Self.authorizationState:
            guard let authorizer = arguments.address(0), let nonce = arguments.word(1) else { return .reverted(reason: nil) }
            let used = world.usedAuthorizations.contains(AuthorizationKey(authorizer: authorizer, nonce: nonce))
            return .returned(UInt256(used ? 1 : 0).bytes, changes: [], logs: [])
        default:
            return .reverted(reason: nil)
        }
    }

    /// FiatTokenV2's order: the time window, then the nonce, then the signature, then the
    /// transfer itself. It returns nothing (the function has no return value).
    private func transferWithAuthorization(_ arguments: Calldata, world: World, timestamp: Int64) -> CallOutcome {
        guard let from = arguments.address(0), let to = arguments.address(1), let value = arguments.uint(2),
              let validAfter = arguments.uint(3), let validBefore = arguments.uint(4), let nonce = arguments.word(5),
              let v = arguments.uint(6)?.uint64, v <= UInt64(UInt8.max), let r = arguments.word(7), let s = arguments.word(8)
        else { return .reverted(reason: nil) }
        guard !world.blacklisted.contains(from), !world.blacklisted.contains(to) else { return .reverted(reason: Self.blacklistedReason) }
        let now = UInt256(UInt64(timestamp))
        guard now > validAfter else { return .reverted(reason: "FiatTokenV2: authorization is not yet valid") }
        guard now < validBefore else { return .reverted(reason: "FiatTokenV2: authorization is expired") }
        let key = AuthorizationKey(authorizer: from, nonce: nonce)
        guard !world.usedAuthorizations.contains(key) else { return .reverted(reason: "FiatTokenV2: authorization is used or canceled") }
        let authorization = TransferAuthorization(from: from, to: to, value: value, validAfter: validAfter, validBefore: validBefore, nonce: nonce)
        guard v == 27 || v == 28,
              let signer = try? authorization.signer(of: RecoverableSignature(r: r, s: s, recoveryID: UInt8(v - 27)), on: network),
              signer == from
        else { return .reverted(reason: "FiatTokenV2: invalid signature") }
        let used = LogEntry(address: network.usdc, topics: [Self.authorizationUsedTopic, Self.word(from), nonce], data: [])
        return move(from: from, to: to, value: value, world: world, changes: [.useAuthorization(key)], logs: [used], output: [])
    }

    /// ERC20's `_transfer`, appending its change and its Transfer log to what came before.
    private func move(from: EthereumAddress, to: EthereumAddress, value: UInt256, world: World, changes: [StateChange], logs: [LogEntry],
                      output: [UInt8]) -> CallOutcome {
        guard from != Self.zeroAddress else { return .reverted(reason: "ERC20: transfer from the zero address") }
        guard to != Self.zeroAddress else { return .reverted(reason: "ERC20: transfer to the zero address") }
        guard let amount = value.uint64, amount <= world.usdcBalance(of: from) else {
            return .reverted(reason: "ERC20: transfer amount exceeds balance")
        }
        let transfer = LogEntry(address: network.usdc, topics: [Self.transferTopic, Self.word(from), Self.word(to)], data: value.bytes)
        return .returned(output, changes: changes + [.moveUSDC(from: from, to: to, amount: amount)], logs: logs + [transfer])
    }

    /// An address as an indexed topic or ABI word: left-padded to 32 bytes.
    static func word(_ address: EthereumAddress) -> [UInt8] { [UInt8](repeating: 0, count: 12) + address.bytes }
}

/// The 32-byte argument words after a selector; nil past the end or for a word that is not
/// the type asked for.
struct Calldata {
    let bytes: [UInt8]

    func word(_ index: Int) -> [UInt8]? {
        let start = index * 32
        guard bytes.count >= start + 32 else { return nil }
        return Array(bytes[start..<start + 32])
    }

    func uint(_ index: Int) -> UInt256? { word(index).flatMap { UInt256(bytes32: $0) } }

    func address(_ index: Int) -> EthereumAddress? {
        guard let word = word(index), word.prefix(12).allSatisfy({ $0 == 0 }) else { return nil }
        return EthereumAddress(bytes: Array(word.suffix(20)))
    }
}
