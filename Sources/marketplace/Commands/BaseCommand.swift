import Connectors
import ArgumentParser
import BaseConnector
import Foundation
import LedgerCore

/// `marketplace base …`: the hot wallet's address and offline signing, printing hex (JSON), for
/// operators and for the interop check against eth-account.
struct BaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "base", abstract: "USDC on Base: the hot wallet's address and offline signing.",
        subcommands: [Address.self, EncryptKey.self, SignTransfer.self, SignAuthorization.self])

    /// The key from BASE_KEY_FILE + BASE_KEY_ENCRYPTION_KEY (or BASE_PRIVATE_KEY for rehearsal).
    static func key() throws -> HotWalletKey {
        do { return try HotWalletKey.load(environment: ProcessInfo.processInfo.environment) } catch {
            throw ValidationError("the hot wallet key: \(error)")
        }
    }

    static func network(_ name: String) throws -> BaseNetwork {
        guard let network = BaseNetwork.named(name) else { throw ValidationError("--network must be base or base-sepolia") }
        return network
    }

    static func address(_ text: String, _ option: String) throws -> EthereumAddress {
        do { return try EthereumAddress(text) } catch { throw ValidationError("\(option): \(error)") }
    }

    /// USDC as a decimal string with at most 6 decimals, in base units.
    static func usdc(_ text: String, _ option: String) throws -> UInt256 {
        do {
            let minor = try MinorUnits.parse(text, scale: Asset.usdc.scale)
            guard minor >= 0 else { throw ValidationError("\(option) must not be negative") }
            return UInt256(UInt64(minor))
        } catch let error as ValidationError { throw error } catch { throw ValidationError("\(option): \(error)") }
    }

    static func uint(_ text: String, _ option: String) throws -> UInt256 {
        guard let value = UInt256(decimal: text) else { throw ValidationError("\(option) must be a whole number of at most 78 digits") }
        return value
    }

    static func print(_ object: [String: String]) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        Swift.print(String(decoding: data, as: UTF8.self))
    }

    struct Address: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the hot wallet's address (EIP-55).")
        func run() throws { Swift.print(try BaseCommand.key().address.checksummed) }
    }

    struct EncryptKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encrypt-key",
            abstract: "Seal a private key (64 hex digits on standard input) under BASE_KEY_ENCRYPTION_KEY with AES-256-GCM; prints the sealed form for BASE_KEY_FILE.")
        func run() throws {
            guard let kekText = ProcessInfo.processInfo.environment["BASE_KEY_ENCRYPTION_KEY"], let kek = Hex.decode(kekText), kek.count == 32 else {
                throw ValidationError("set BASE_KEY_ENCRYPTION_KEY to 64 hex digits")
            }
            guard let line = readLine(strippingNewline: true), let key = Hex.decode(line.trimmingCharacters(in: .whitespaces)), key.count == 32 else {
                throw ValidationError("standard input must hold the private key as 64 hex digits")
            }
            Swift.print(try HotWalletKey.seal(privateKey: key, keyEncryptionKey: kek))
        }
    }

    struct SignTransfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-transfer", abstract: "Sign a USDC transfer as an EIP-1559 transaction from the hot wallet (not sent).")
        @Option(help: "Recipient address (EIP-55 or lower case).") var to: String
        @Option(help: "USDC amount, at most 6 decimals.") var amount: String
        @Option(help: "The hot wallet's nonce.") var nonce: UInt64
        @Option(name: .customLong("max-fee"), help: "maxFeePerGas in wei.") var maxFee: String
        @Option(name: .customLong("priority-fee"), help: "maxPriorityFeePerGas in wei.") var priorityFee: String
        @Option(help: "Gas limit.") var gas: UInt64 = 65_000
        @Option(help: "base or base-sepolia.") var network: String = "base-sepolia"

        func run() throws {
            let network = try BaseCommand.network(network)
            let to = try BaseCommand.address(to, "--to")
            let value = try BaseCommand.usdc(amount, "--amount")
            let transaction = EIP1559Transaction(chainID: network.chainID, nonce: nonce, maxPriorityFeePerGas: try BaseCommand.uint(priorityFee, "--priority-fee"),
                                                 maxFeePerGas: try BaseCommand.uint(maxFee, "--max-fee"), gas: gas, to: network.usdc, value: .zero,
                                                 data: ABI.transfer(to: to, value: value))
            let key = try BaseCommand.key()
            let signed = try key.sign(transaction)
            BaseCommand.print(["raw": Hex.encode(signed.raw), "hash": Hex.encode(signed.hash), "from": key.address.checksummed,
                               "chain_id": String(network.chainID), "nonce": String(nonce), "to": network.usdc.checksummed, "value": "0",
                               "data": Hex.encode(transaction.data), "max_fee_per_gas": transaction.maxFeePerGas.description,
                               "max_priority_fee_per_gas": transaction.maxPriorityFeePerGas.description, "gas": String(gas),
                               "recipient": to.checksummed, "amount_base_units": value.description])
        }
    }

    struct SignAuthorization: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-authorization", abstract: "Sign an EIP-3009 TransferWithAuthorization for USDC with the hot wallet's key.")
        @Option(help: "Recipient (payTo) address.") var to: String
        @Option(help: "USDC amount, at most 6 decimals.") var value: String
        @Option(name: .customLong("valid-after"), help: "Unix seconds.") var validAfter: String = "0"
        @Option(name: .customLong("valid-before"), help: "Unix seconds.") var validBefore: String
        @Option(help: "32-byte nonce, 64 hex digits (random when absent).") var nonce: String?
        @Option(help: "base or base-sepolia.") var network: String = "base-sepolia"

        func run() throws {
            let network = try BaseCommand.network(network)
            let key = try BaseCommand.key()
            var nonceBytes = [UInt8](repeating: 0, count: 32)
            if let nonce {
                guard let bytes = Hex.decode(nonce), bytes.count == 32 else { throw ValidationError("--nonce must be 64 hex digits") }
                nonceBytes = bytes
            } else {
                var generator = SystemRandomNumberGenerator()
                for index in nonceBytes.indices { nonceBytes[index] = UInt8.random(in: 0...255, using: &generator) }
            }
            let authorization = TransferAuthorization(from: key.address, to: try BaseCommand.address(to, "--to"), value: try BaseCommand.usdc(value, "--value"),
                                                      validAfter: try BaseCommand.uint(validAfter, "--valid-after"),
                                                      validBefore: try BaseCommand.uint(validBefore, "--valid-before"), nonce: nonceBytes)
            let signature = try key.sign(authorization, on: network)
            BaseCommand.print(["network": network.name, "from": authorization.from.checksummed, "to": authorization.to.checksummed,
                               "value": authorization.value.description, "valid_after": authorization.validAfter.description,
                               "valid_before": authorization.validBefore.description, "nonce": Hex.encode(nonceBytes),
                               "signature": Hex.encode(signature.bytes65), "digest": Hex.encode(authorization.digest(on: network))])
        }
    }
}
