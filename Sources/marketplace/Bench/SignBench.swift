import ArgumentParser
import BaseConnector
import CSecp256k1
import Foundation

/// `marketplace bench sign`: EIP-1559 transactions signed per second (hash the RLP, sign,
/// encode the raw bytes), and in the same run bare libsecp256k1 recoverable signs per second
/// on the same hashes: the limit. Their ratio is the overhead of everything around the curve.
struct SignBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "EIP-1559 signatures/s against bare libsecp256k1 signs/s.")

    @Option(help: "Transactions per round.") var count: Int = 20_000
    @Option(help: "Rounds (the best of each is reported).") var rounds: Int = 5

    func run() throws {
        let key = Array(repeating: UInt8(0x42), count: 32)
        let recipient = try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let transactions = (0..<count).map { index in
            EIP1559Transaction(chainID: BaseNetwork.base.chainID, nonce: UInt64(index), maxPriorityFeePerGas: UInt256(1_000_000),
                               maxFeePerGas: UInt256(20_000_000 + UInt64(index)), gas: 65_000, to: BaseNetwork.base.usdc, value: .zero,
                               data: ABI.transfer(to: recipient, value: UInt256(UInt64(1_000_000 + index))))
        }
        let hashes = transactions.map(\.signingHash)
        let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
        defer { secp256k1_context_destroy(context) }
        var bestFull = Duration.seconds(1_000)
        var bestBare = Duration.seconds(1_000)
        var checksum = 0
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            for transaction in transactions { checksum &+= Int(try transaction.signed(with: key).raw.last ?? 0) }
            bestFull = min(bestFull, ContinuousClock.now - start)

            let bareStart = ContinuousClock.now
            var signature = secp256k1_ecdsa_recoverable_signature()
            for hash in hashes {
                guard secp256k1_ecdsa_sign_recoverable(context, &signature, hash, key, secp256k1_nonce_function_rfc6979, nil) == 1 else {
                    throw ValidationError("libsecp256k1 refused to sign")
                }
                checksum &+= Int(signature.data.0)
            }
            bestBare = min(bestBare, ContinuousClock.now - bareStart)
        }
        func perSecond(_ duration: Duration) -> Double {
            Double(count) / (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        let full = perSecond(bestFull)
        let bare = perSecond(bestBare)
        print("eip1559_signatures_per_s \(Int(full))")
        print("bare_secp256k1_signs_per_s \(Int(bare))")
        print(String(format: "ratio %.3f (target >= 0.7)", full / bare))
        print("transactions \(count) rounds \(rounds) checksum \(checksum & 0xFF)")
    }
}
