import Connectors
import Foundation
import Testing
@testable import BaseConnector

/// The hot wallet key at rest: sealed with AES-256-GCM, opened only under its key-encryption
/// key, and never shown by interpolation.
struct HotWalletKeyTests {
    static let privateKey = Hex.decode("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")!
    static let kek = [UInt8](repeating: 0x11, count: 32)

    @Test func sealsAndOpensUnderItsKeyOnly() throws {
        let sealed = try HotWalletKey.seal(privateKey: Self.privateKey, keyEncryptionKey: Self.kek)
        #expect(sealed.hasPrefix("v1:"))
        #expect(!sealed.contains("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"))
        #expect(sealed != (try HotWalletKey.seal(privateKey: Self.privateKey, keyEncryptionKey: Self.kek)))  // a fresh nonce each time
        let key = try HotWalletKey.open(sealed: sealed, keyEncryptionKey: Self.kek)
        #expect(key.address.checksummed == "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")  // eth-account's documented address for this key
        #expect(throws: HotWalletKey.Failure.wrongKeyEncryptionKey) {
            try HotWalletKey.open(sealed: sealed, keyEncryptionKey: [UInt8](repeating: 0x12, count: 32))
        }
        var tampered = Array(sealed.utf8)
        tampered[tampered.count - 1] = tampered.last == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(throws: HotWalletKey.Failure.wrongKeyEncryptionKey) {
            try HotWalletKey.open(sealed: String(decoding: tampered, as: UTF8.self), keyEncryptionKey: Self.kek)
        }
        #expect(throws: HotWalletKey.Failure.self) { try HotWalletKey.open(sealed: "v1:abcd", keyEncryptionKey: Self.kek) }
        #expect(throws: HotWalletKey.Failure.self) { try HotWalletKey.seal(privateKey: Self.privateKey, keyEncryptionKey: [1, 2, 3]) }
        #expect(throws: HotWalletKey.Failure.self) { try HotWalletKey.seal(privateKey: [UInt8](repeating: 0, count: 32), keyEncryptionKey: Self.kek) }
    }

    @Test func interpolationShowsTheAddressNotTheKey() throws {
        let key = try HotWalletKey(privateKey: Self.privateKey)
        for text in ["\(key)", String(describing: key), String(reflecting: key)] {
            #expect(text.contains("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"))
            #expect(!text.lowercased().contains("4c0883a6"))
        }
    }

    @Test func loadsFromTheEnvironment() throws {
        let sealed = try HotWalletKey.seal(privateKey: Self.privateKey, keyEncryptionKey: Self.kek)
        let path = "/tmp/hot-wallet-\(UInt64.random(in: 0...UInt64.max)).sealed"
        try sealed.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let kekHex = Hex.encode(Self.kek, prefix: false)
        #expect(try HotWalletKey.load(environment: ["BASE_KEY_FILE": path, "BASE_KEY_ENCRYPTION_KEY": kekHex]).address == (try Secp256k1.address(of: Self.privateKey)))
        #expect(throws: HotWalletKey.Failure.missing("BASE_KEY_ENCRYPTION_KEY")) { try HotWalletKey.load(environment: ["BASE_KEY_FILE": path]) }
        #expect(throws: HotWalletKey.Failure.self) { try HotWalletKey.load(environment: [:]) }
        #expect(throws: HotWalletKey.Failure.self) { try HotWalletKey.load(environment: ["BASE_PRIVATE_KEY": "0x1234"]) }
    }
}
