import Foundation
import Testing

/// `marketplace base sign-transfer` / `sign-authorization` on random inputs. The outputs are
/// checked here for shape and, with ETH_INTEROP_OUT set (as `make test` does), written out for
/// eth-account to recover and decode (Fixtures/ethereum/check_interop.py).
struct BaseSigningCommandTests {
    static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func json(_ output: String) throws -> [String: String] {
        let line = try #require(output.split(separator: "\n").last.map(String.init))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
    }

    @Test func randomTransfersAndAuthorizationsSign() throws {
        var transfers: [[String: String]] = []
        var authorizations: [[String: String]] = []
        for index in 0..<16 {
            let key = "0x" + Self.randomHex(32)  // any 32 random bytes is a valid key but with chance ~2^-128
            let environment = ["BASE_PRIVATE_KEY": key]
            let network = index.isMultiple(of: 2) ? "base" : "base-sepolia"
            let recipient = "0x" + Self.randomHex(20)
            let amount = "\(Int.random(in: 0...5_000_000)).\(String(format: "%06d", Int.random(in: 0...999_999)))"
            let transfer = try CommandRunner.run([
                "base", "sign-transfer", "--to", recipient, "--amount", amount, "--nonce", String(UInt64.random(in: 0...UInt64(1) << 40)),
                "--max-fee", String(UInt64.random(in: 1...UInt64(1) << 50)), "--priority-fee", String(UInt64.random(in: 0...1_000_000_000)),
                "--gas", String(Int.random(in: 21_000...200_000)), "--network", network,
            ], environment: environment)
            #expect(transfer.status == 0, "\(transfer.output)")
            let signed = try Self.json(transfer.output)
            #expect(signed["raw"]?.hasPrefix("0x02") == true)
            transfers.append(signed)
            let now = Int(Date().timeIntervalSince1970)
            let authorization = try CommandRunner.run([
                "base", "sign-authorization", "--to", recipient, "--value", amount, "--valid-after", String(now - 60),
                "--valid-before", String(now + Int.random(in: 60...86_400)), "--nonce", "0x" + Self.randomHex(32), "--network", network,
            ], environment: environment)
            #expect(authorization.status == 0, "\(authorization.output)")
            let signature = try Self.json(authorization.output)
            #expect(signature["signature"]?.count == 2 + 130)
            #expect(signature["from"] == signed["from"])
            authorizations.append(signature)
        }
        // Bad input is refused with the option named, and prints nothing signed.
        for (arguments, message) in [
            (["--to", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "--amount", "1"], "checksum"),
            (["--to", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", "--amount", "1"], "40 hex digits"),
            (["--to", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "--amount", "1.0000001"], "decimal"),
            (["--to", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "--amount", "1", "--network", "mainnet"], "--network"),
        ] {
            let result = try CommandRunner.run(["base", "sign-transfer", "--nonce", "0", "--max-fee", "2", "--priority-fee", "1"] + arguments,
                                               environment: ["BASE_PRIVATE_KEY": "0x" + Self.randomHex(32)])
            #expect(result.status != 0)
            #expect(result.output.contains(message), "\(result.output)")
            #expect(!result.output.contains("\"raw\""))
        }
        if let path = ProcessInfo.processInfo.environment["ETH_INTEROP_OUT"] {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let data = try JSONSerialization.data(withJSONObject: ["transfers": transfers, "authorizations": authorizations], options: [.sortedKeys])
            try data.write(to: URL(fileURLWithPath: path))
        }
    }
}
