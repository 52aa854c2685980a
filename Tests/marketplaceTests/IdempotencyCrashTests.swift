import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// SIGKILL of the real `serve` while 16 clients send keyed deposits: after the restart every
/// key completes with the same key (never "still in progress"), an answered key replays its
/// answer, and every deposit is in the wallet exactly once.
struct IdempotencyCrashTests {
    static let clients = 16
    static let depositsPerClient = 12  // 192 writes each round, under the 300 a minute a user may make

    /// How many deposits have been answered so far, across the clients.
    final class AnsweredCount: Sendable {
        let value = Mutex(0)
    }

    struct Answer {
        let status: Int
        let replayed: Bool
        let body: String
    }

    static func post(_ url: String, token: String?, key: String?, json: String) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let key { request.headers.add(name: "Idempotency-Key", value: key) }
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), replayed: response.headers.first(name: "Idempotent-Replayed") == "true",
                      body: String(buffer: body))
    }

    /// Deposit `i` of client `c` is (c × 1000 + i + 1) cents, so a double shows in the sum.
    static func amount(_ client: Int, _ index: Int) -> Int64 { Int64(client * 1_000 + index + 1) }

    static func deposit(_ client: Int, _ index: Int) -> String {
        let cents = amount(client, index)
        return #"{"amount":"\#(cents / 100).\#(String(format: "%02d", Int(cents % 100)))","currency":"USD"}"#
    }

    @Test func aKilledServerLeavesEveryKeyAbsentOrAnswered() async throws {
        let db = CommandRunner.temporaryPath("idempotency-crash") + ".sqlite"
        let port = try CommandRunner.freePort()
        var server = try ServeProcess(db: db, port: port, environment: [:])
        try await server.waitUntilUp()
        let site = server.base
        _ = try await Self.post("\(site)/v1/auth/register", token: nil, key: nil,
                                json: #"{"email":"agent@example.com","password":"correct horse","full_name":"A","role":"agent"}"#)
        let login = try await Self.post("\(site)/v1/auth/login", token: nil, key: nil, json: #"{"email":"agent@example.com","password":"correct horse"}"#)
        let session = try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any]
        let token = try #require((session?["data"] as? [String: Any])?["access_token"] as? String)

        // 16 clients send keyed deposits until the server is killed under them, a moment after
        // the first answers arrive (so that some keys are answered and some are not).
        let answeredCount = AnsweredCount()
        let acknowledged = try await withThrowingTaskGroup(of: [String: Answer].self) { group in
            for client in 0..<Self.clients {
                group.addTask {
                    var answers: [String: Answer] = [:]
                    for index in 0..<Self.depositsPerClient {
                        let key = "crash-\(client)-\(index)"
                        guard let answer = try? await Self.post("\(site)/v1/wallet/deposits", token: token, key: key,
                                                                json: Self.deposit(client, index)) else { break }
                        answers[key] = answer
                        answeredCount.value.withLock { $0 += 1 }
                    }
                    return answers
                }
            }
            while answeredCount.value.withLock({ $0 }) < Self.clients { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...30)))
            kill(server.process.processIdentifier, SIGKILL)
            var all: [String: Answer] = [:]
            for try await answers in group { all.merge(answers) { $1 } }
            return all
        }
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .uncaughtSignal)
        let answeredBeforeKill = acknowledged.filter { $0.value.status == 201 }
        #expect(!answeredBeforeKill.isEmpty, "the kill came before any deposit was answered")
        #expect(answeredBeforeKill.count < Self.clients * Self.depositsPerClient, "the kill came after every deposit was answered")

        // Restart; every client retries every key it used (and the rest): none is stuck.
        server = try ServeProcess(db: db, port: port, environment: [:])
        try await server.waitUntilUp()
        var replayedUnacknowledged = 0, ranUnacknowledged = 0
        var totalCents: Int64 = 0
        for client in 0..<Self.clients {
            for index in 0..<Self.depositsPerClient {
                let key = "crash-\(client)-\(index)"
                let retry = try await Self.post("\(site)/v1/wallet/deposits", token: token, key: key, json: Self.deposit(client, index))
                #expect(retry.status == 201, "retry of \(key) answered \(retry.status): \(retry.body)")
                totalCents += Self.amount(client, index)
                if let first = answeredBeforeKill[key] {
                    #expect(retry.replayed, "\(key) was answered before the kill but ran again")
                    #expect(retry.body == first.body, "\(key) replayed another answer")
                } else if retry.replayed {
                    replayedUnacknowledged += 1  // applied and answered in one commit; the client never heard
                } else {
                    ranUnacknowledged += 1  // never applied: the retry ran it
                }
            }
        }
        #expect(ranUnacknowledged > 0)
        var request = HTTPClientRequest(url: "\(site)/v1/wallet")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let walletBody = try await HTTPClient.shared.execute(request, timeout: .seconds(10)).body.collect(upTo: 1 << 20)
        let wallets = (try JSONSerialization.jsonObject(with: Data(walletBody.readableBytesView)) as? [String: Any])?["data"] as? [[String: Any]] ?? []
        let usd = wallets.first { $0["asset"] as? String == "USD" }
        let available = (usd?["available"] as? [String: Any])?["amount"] as? String
        #expect(available == "\(totalCents / 100).\(String(format: "%02d", Int(totalCents % 100)))",
                "every deposit once: \(totalCents) cents; replayed without an answer seen: \(replayedUnacknowledged)")
        let verify = try CommandRunner.run(["ledger", "verify", "--db", db])  // beside the running server
        #expect(verify.status == 0, "\(verify.output)")
        server.stop()
    }
}
