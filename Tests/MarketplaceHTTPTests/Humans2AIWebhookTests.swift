import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LoopbackServer
import Marketplace
import MarketplaceServer
import MarketplaceViews
import NIOCore
import Synchronization
import Testing
@testable import MarketplaceHTTP

/// Seed 004's webhooks: an endpoint made at /compat/humans2ai/api/v1/webhooks, the document's
/// workflow played through the dialect, and the dispatcher's real HTTP deliveries checked by a
/// receiver written from the document's verification pseudocode (its three steps, and its
/// replay rule); its retry policy (5 s → 10 s → 20 s) against a receiver that keeps failing.
@Suite(.serialized)
struct Humans2AIWebhookTests {
    static let base = "/compat/humans2ai/api/v1"

    /// The document's receiver: 401 "Invalid signature" unless the header's digest equals the
    /// HMAC-SHA256 of the raw body under the secret (compared in constant time); an event older
    /// than 5 minutes is refused too. `failing` answers 500 to that many requests first.
    final class Receiver: Sendable {
        struct Received: Sendable {
            let body: [UInt8]
            let answered: Int
            let atMicros: Int64
        }

        let secret = Mutex("")
        let failures: Mutex<Int>
        let received = Mutex<[Received]>([])
        let clock: ManualClock

        init(failing: Int, clock: ManualClock) {
            failures = Mutex(failing)
            self.clock = clock
        }

        var accepted: [[String: Any]] {
            received.withLock { $0.filter { $0.answered == 204 } }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
        }

        /// Steps 1 to 3 of the pseudocode, then its replay protection.
        static func verify(signature header: String?, rawBody: [UInt8], webhookSecret: String, nowSeconds: Int64) -> Int {
            // 1. Extract the hex digest from the header: const [, digest] = signature.split("v1=");
            guard let header, let digestHex = header.components(separatedBy: "v1=").dropFirst().first else { return 401 }
            // 2. Compute HMAC-SHA256 of the raw body using your webhook secret, as hex.
            let expectedHex = HMAC<SHA256>.authenticationCode(for: rawBody, using: SymmetricKey(data: Array(webhookSecret.utf8)))
                .map { String(format: "%02x", $0) }.joined()
            // 3. Compare using constant-time comparison (timingSafeEqual of the decoded bytes;
            //    Node throws on a length mismatch, which is a refusal too).
            guard let digest = bytes(hex: digestHex), let expected = bytes(hex: expectedHex), digest.count == expected.count,
                  zip(digest, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return 401 }
            // Replay protection: reject events older than 5 minutes.
            guard let envelope = try? JSONSerialization.jsonObject(with: Data(rawBody)) as? [String: Any],
                  let stamp = (envelope["timestamp"] as? String).flatMap({ ISO8601DateFormatter().date(from: $0) }),
                  nowSeconds - Int64(stamp.timeIntervalSince1970) <= 300 else { return 400 }
            return 204
        }

        static func bytes(hex: String) -> [UInt8]? {
            let characters = Array(hex.utf8)
            guard characters.count % 2 == 0 else { return nil }
            return stride(from: 0, to: characters.count, by: 2).map { index -> UInt8? in UInt8(String(decoding: characters[index...index + 1], as: UTF8.self), radix: 16) }
                .reduce(into: [UInt8]?([])) { result, byte in if let byte { result?.append(byte) } else { result = nil } }
        }

        struct Middleware: RouterMiddleware {
            typealias Context = BasicRequestContext
            let receiver: Receiver

            func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
                let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
                let failing = receiver.failures.withLock { left -> Bool in
                    guard left > 0 else { return false }
                    left -= 1
                    return true
                }
                let now = receiver.clock.now
                let status = failing ? 500 : Receiver.verify(signature: request.headers[HTTPField.Name("X-Humans2AI-Signature")!], rawBody: body,
                                                              webhookSecret: receiver.secret.withLock { $0 }, nowSeconds: now / 1_000_000)
                receiver.received.withLock { $0.append(Received(body: body, answered: status, atMicros: now)) }
                return Response(status: .init(code: status))
            }
        }
    }

    static func drain(_ webhooks: WebhookService, clock: ManualClock, rounds: Int = 20) async throws {
        let sender = HTTPWebhookSender()
        for _ in 0..<rounds {
            try await webhooks.dispatchDue(using: sender)
            clock.advance(seconds: 5)
        }
    }

    /// A dialect agent; answers its API key.
    static func registerAgent(_ client: some TestClientProtocol) async throws -> String {
        let (_, agent) = try await client.send(.post, "\(base)/public/auth/register",
                                               json: #"{"email":"bot@example.com","password":"long enough","displayName":"Bot"}"#)
        return try #require(data(agent)["apiKey"] as? String)
    }

    /// The agent of `key` funds and posts a task, and selects a human's application: one
    /// task.human_accepted event.
    static func acceptAnApplicant(_ key: String, _ client: some TestClientProtocol) async throws {
        _ = try await client.send(.post, "/v1/wallet/deposits", token: key, json: #"{"amount":"20.00","currency":"USD"}"#, idempotencyKey: "d")
        let (_, task) = try await client.send(.post, "\(base)/tasks", token: key, json: #"{"title":"t","description":"d","category":"research","budget":10}"#)
        let id = try #require(data(task)["id"] as? String)
        let human = try await client.session("h@example.com", role: "human")
        let (_, application) = try await client.send(.post, "\(base)/tasks/\(id)/apply", token: human, json: #"{"message":"me"}"#)
        let (selected, _) = try await client.send(.post, "\(base)/tasks/\(id)/select", token: key,
                                                  json: #"{"applicationId":"\#(try #require(data(application)["id"] as? String))"}"#)
        #expect(selected == .ok)
    }

    @Test func theWorkflowsEventsArriveInTheDocumentsEnvelopeAndVerifyByItsPseudocode() async throws {
        let clock = ManualClock()
        let receiver = Receiver(failing: 0, clock: clock)
        try await LoopbackServer.run(Receiver.Middleware(receiver: receiver)) { url in
            let test = try await TestServices(clock: clock, pricing: .humans2aiExample)  // the document's example: 142.50 and 7.50 of 150
            defer { test.close() }
            try await Application(router: test.serverRouter).test(.router) { client in
                let (_, agent) = try await client.send(.post, "\(Self.base)/public/auth/register",
                                                       json: #"{"email":"bot@example.com","password":"long enough","displayName":"PhotoBot"}"#)
                let key = try #require(data(agent)["apiKey"] as? String)
                let (created, hook) = try await client.send(.post, "\(Self.base)/webhooks", token: key, json: #"{"url":"\#(url)/hooks"}"#)
                #expect(created == .created, "\(hook)")
                let secret = try #require(data(hook)["secret"] as? String)
                receiver.secret.withLock { $0 = secret }
                #expect(data(hook)["events"] as? [String] == ["message.received", "task.completed", "task.disputed", "task.expired", "task.human_accepted",
                                                              "task.submitted"])
                let (_, listed) = try await client.send(.get, "\(Self.base)/webhooks", token: key)
                #expect((listed["data"] as? [[String: Any]])?.count == 1)
                #expect((listed["data"] as? [[String: Any]])?.first?["secret"] == nil)  // shown once
                let (keyed, _) = try await client.send(.post, "\(Self.base)/webhooks", token: key, json: #"{"url":"\#(url)/other"}"#, idempotencyKey: "k")
                #expect(keyed == .badRequest)  // an answer with a secret is never stored for a replay
                let (unknown, unknownBody) = try await client.send(.post, "\(Self.base)/webhooks", token: key,
                                                                   json: #"{"url":"\#(url)/other","events":["task.paid"]}"#)
                #expect(unknown == .badRequest && errorField(unknownBody) == "events")

                _ = try await client.send(.post, "\(Self.base)/public/auth/register",
                                          json: #"{"email":"h@example.com","password":"long enough","displayName":"H","role":"human"}"#)
                let (_, login) = try await client.send(.post, "\(Self.base)/public/auth/login", json: #"{"email":"h@example.com","password":"long enough"}"#)
                let human = try #require(data(login)["idToken"] as? String)
                _ = try await client.send(.post, "/v1/wallet/deposits", token: key, json: #"{"amount":"150.00","currency":"USD"}"#, idempotencyKey: "d")
                let (_, task) = try await client.send(.post, "\(Self.base)/tasks", token: key,
                                                      json: #"{"title":"Photograph 3 coffee shops","description":"Exterior and interior photos.","category":"photography","budget":150}"#)
                let id = try #require(data(task)["id"] as? String)
                let (_, application) = try await client.send(.post, "\(Self.base)/tasks/\(id)/apply", token: human, json: #"{"message":"me"}"#)
                _ = try await client.send(.post, "\(Self.base)/tasks/\(id)/select", token: key,
                                          json: #"{"applicationId":"\#(try #require(data(application)["id"] as? String))"}"#)
                _ = try await client.send(.post, "\(Self.base)/tasks/\(id)/messages", token: human, json: #"{"content":"Starting now."}"#)
                _ = try await client.send(.post, "\(Self.base)/tasks/\(id)/submit", token: human, json: #"{"proof":"12 photos"}"#)
                let (approved, _) = try await client.send(.post, "\(Self.base)/tasks/\(id)/approve", token: key)
                #expect(approved == .ok)
                let humanID = try await client.userID(human)

                try await Self.drain(try #require(test.services.webhooks), clock: clock)
                #expect(receiver.received.withLock { $0.allSatisfy { $0.answered == 204 } }, "a delivery failed the document's verification")
                let events = receiver.accepted
                #expect(events.map { $0["event"] as? String } == ["task.human_accepted", "message.received", "task.submitted", "task.completed"])
                #expect(events.allSatisfy { $0["taskId"] as? String == id })
                let completed = try #require(events.last?["data"] as? [String: Any])
                #expect(completed["taskTitle"] as? String == "Photograph 3 coffee shops")
                #expect(completed["humanDisplayId"] as? String == humanID)
                #expect("\(completed["payout"] ?? "")" == "142.5")
                #expect("\(completed["platformFee"] ?? "")" == "7.5")
                #expect(completed["completedAt"] is String)

                // The receiver refuses what the pseudocode refuses: another secret, a changed body, a stale copy.
                let delivered = try #require(receiver.received.withLock { $0.last })
                let header = Humans2AIWebhookFormat.signature(secret: secret, body: delivered.body)
                let now = clock.now / 1_000_000
                #expect(Receiver.verify(signature: header, rawBody: delivered.body, webhookSecret: secret, nowSeconds: delivered.atMicros / 1_000_000) == 204)
                #expect(Receiver.verify(signature: header, rawBody: delivered.body, webhookSecret: "whsec_other", nowSeconds: now) == 401)
                #expect(Receiver.verify(signature: header, rawBody: delivered.body + [0x20], webhookSecret: secret, nowSeconds: now) == 401)
                #expect(Receiver.verify(signature: header, rawBody: delivered.body, webhookSecret: secret, nowSeconds: delivered.atMicros / 1_000_000 + 301) == 400)

                // Deleting the endpoint stops its deliveries.
                let hookID = try #require(data(hook)["id"] as? String)
                let (deleted, _) = try await client.send(.delete, "\(Self.base)/webhooks/\(hookID)", token: key)
                #expect(deleted == .ok)
                let (gone, _) = try await client.send(.delete, "\(Self.base)/webhooks/\(hookID)", token: key)
                #expect(gone == .notFound)
                #expect(try test.ledger.verify().fault == nil)
            }
        }
    }

    @Test func aFailingReceiverIsTriedThreeMoreTimesAfter5And10And20Seconds() async throws {
        let clock = ManualClock()
        let receiver = Receiver(failing: 100, clock: clock)
        try await LoopbackServer.run(Receiver.Middleware(receiver: receiver)) { url in
            let test = try await TestServices(clock: clock)
            defer { test.close() }
            try await Application(router: test.serverRouter).test(.router) { client in
                let key = try await Self.registerAgent(client)
                let (created, _) = try await client.send(.post, "\(Self.base)/webhooks", token: key, json: #"{"url":"\#(url)/hooks","events":["task.human_accepted"]}"#)
                #expect(created == .created)
                try await Self.acceptAnApplicant(key, client)
                try await Self.drain(try #require(test.services.webhooks), clock: clock)
                let times = receiver.received.withLock { $0.map(\.atMicros) }
                #expect(times.count == 4, "the first try and three retries")
                #expect(zip(times.dropFirst(), times).map { ($0 - $1) / 1_000_000 } == [5, 10, 20])
            }
        }
    }

    /// A server without the format never sends the marketplace's envelope in its place: the
    /// attempt fails (and is retried); a server with the format then delivers it.
    @Test func aServerWithoutTheFormatSendsNothingInItsPlace() async throws {
        let clock = ManualClock()
        let receiver = Receiver(failing: 0, clock: clock)
        try await LoopbackServer.run(Receiver.Middleware(receiver: receiver)) { url in
            let test = try await TestServices(clock: clock)
            defer { test.close() }
            try await Application(router: test.serverRouter).test(.router) { client in
                let key = try await Self.registerAgent(client)
                let (_, hook) = try await client.send(.post, "\(Self.base)/webhooks", token: key, json: #"{"url":"\#(url)/hooks"}"#)
                receiver.secret.withLock { $0 = (data(hook)["secret"] as? String) ?? "" }
                try await Self.acceptAnApplicant(key, client)
                let bare = WebhookService(store: test.store, secretsKey: TestServices.secretsKey, policy: .init(attemptsMax: 6, allowPrivateTargets: true),
                                          clock: clock.ledgerClock)
                #expect(try await bare.dispatchDue(using: HTTPWebhookSender()) == 1)
                #expect(receiver.received.withLock { $0.isEmpty })
                try await Self.drain(try #require(test.services.webhooks), clock: clock)
                #expect(receiver.accepted.map { $0["event"] as? String } == ["task.human_accepted"])
            }
        }
    }
}
