import AsyncHTTPClient
import BaseConnector
import BaseFake
import Connectors
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `marketplace serve` on the fake Base node, stopped (SIGKILL, by the crash hook) after a
/// payout's transaction was signed and stored and before it was broadcast: the restart sends
/// the stored bytes, so the chain sees one transaction with one nonce, and the payout settles.
struct BaseCrashTests {
    @Test func aStopBetweenSigningAndBroadcastSendsTheStoredTransactionOnce() async throws {
        let hotKey = [UInt8](repeating: 0x5a, count: 32)
        let hot = try Secp256k1.address(of: hotKey)
        let node = FakeBaseNode(network: .baseSepolia)
        node.setETHBalance(of: hot, wei: 1_000_000_000_000_000_000)
        node.mintUSDC(to: hot, amount: 100_000_000)
        let keyEncryptionKey = [UInt8](repeating: 0x17, count: 32)
        let keyFile = CommandRunner.temporaryPath("hot-key") + ".sealed"
        try HotWalletKey.seal(privateKey: hotKey, keyEncryptionKey: keyEncryptionKey).write(toFile: keyFile, atomically: true, encoding: .utf8)
        let worker = try Secp256k1.address(of: [UInt8](repeating: 0x42, count: 32))
        try await FakeBaseServer.run(node) { rpc in
            let db = CommandRunner.temporaryPath("base-crash") + ".sqlite"
            let port = try CommandRunner.freePort()
            func start(_ crashPoint: String? = nil) async throws -> ServeProcess {
                var environment = ["BASE_RPC_URL": rpc, "BASE_NETWORK": "base-sepolia", "BASE_KEY_FILE": keyFile,
                                   "BASE_KEY_ENCRYPTION_KEY": Hex.encode(keyEncryptionKey, prefix: false), "BASE_POLL_SECONDS": "0.1"]
                environment["MARKETPLACE_CRASH_POINT"] = crashPoint
                let server = try ServeProcess(db: db, port: port, environment: environment)
                try await server.waitUntilUp()
                return server
            }
            var server = try await start()
            let site = server.base
            func call(_ method: HTTPMethod, _ path: String, _ token: String? = nil, _ json: String? = nil) async throws -> (Int, [String: Any]) {
                try await StripeCrashTests.call(method, site + path, token: token, json: json)
            }
            func session(_ email: String, role: String) async throws -> String {
                _ = try await call(.POST, "/v1/auth/register", nil, #"{"email":"\#(email)","password":"correct horse","full_name":"A","role":"\#(role)"}"#)
                let (_, body) = try await call(.POST, "/v1/auth/login", nil, #"{"email":"\#(email)","password":"correct horse"}"#)
                return try #require(StripeCrashTests.data(body)["access_token"] as? String)
            }
            let agent = try await session("agent@example.com", role: "agent")
            let human = try await session("worker@example.com", role: "human")
            #expect(try await call(.PUT, "/v1/payout-account", human, #"{"base_address":"\#(worker.checksummed)"}"#).0 == 200)
            var request = HTTPClientRequest(url: "\(site)/v1/wallet/deposits")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(agent)")
            request.headers.add(name: "Idempotency-Key", value: "deposit-1")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"amount":"100.00","currency":"USDC"}"#))
            #expect(try await HTTPClient.shared.execute(request, timeout: .seconds(20)).status == .created)
            let (_, created) = try await call(.POST, "/v1/tasks", agent,
                                              #"{"title":"Count the chairs","description":"In the hall","category":"research","budget":{"amount":"20.00","currency":"USDC"}}"#)
            let task = try #require(StripeCrashTests.data(created)["id"] as? String)
            #expect(try await call(.POST, "/v1/tasks/\(task)/fund", agent).0 == 200)
            let (_, application) = try await call(.POST, "/v1/tasks/\(task)/applications", human, #"{"message":"me"}"#)
            let applicationID = try #require(StripeCrashTests.data(application)["id"] as? String)
            _ = try await call(.POST, "/v1/tasks/\(task)/applications/\(applicationID)/accept", agent)
            _ = try await call(.POST, "/v1/tasks/\(task)/submissions", human, #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            server.stop()

            // Killed right after the payout's transaction is signed and stored.
            server = try await start("after-intent")
            _ = try? await call(.POST, "/v1/tasks/\(task)/approve", agent)
            try await server.waitUntilKilled()
            #expect(node.sentTransactions.isEmpty)

            // The restart sends the stored bytes; the chain then mines and marks them safe.
            server = try await start()
            for _ in 0..<200 where node.sentTransactions.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            node.mine()
            node.markSafe()
            var state: String?
            for _ in 0..<200 {
                let (_, payments) = try await call(.GET, "/v1/tasks/\(task)/payments", agent)
                state = (payments["data"] as? [[String: Any]])?.first { $0["kind"] as? String == "payout" }?["state"] as? String
                if state == "settled" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(state == "settled")
            server.stop()
            let hashes = Set(node.sentTransactions.map { Keccak256.hash($0) })
            let nonces = Set(node.sentTransactions.compactMap { try? EIP1559Transaction.decode($0).transaction.nonce })
            #expect(hashes.count == 1)  // the stored bytes, perhaps sent more than once, never re-signed
            #expect(nonces == [0])
            #expect(node.usdcBalance(of: worker) == 20_000_000)
            let verify = try CommandRunner.run(["ledger", "verify", "--db", db])
            #expect(verify.status == 0, "\(verify.output)")
        }
    }
}
