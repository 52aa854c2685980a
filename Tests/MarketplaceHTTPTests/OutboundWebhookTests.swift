import Crypto
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LoopbackServer
import Marketplace
import NIOCore
import Synchronization
import Testing
@testable import MarketplaceHTTP

/// Outbound webhooks: endpoints through the API, the outbox written with the change that
/// caused each event, and the dispatcher's real HTTP deliveries to a loopback receiver that
/// fails on purpose; signatures checked as a receiver would.
@Suite(.serialized)
struct OutboundWebhookTests {
    /// A receiver on loopback: answers 500 to the first `failures` requests, 204 after; keeps
    /// every request it got.
    final class Receiver: Sendable {
        struct Received: Sendable {
            let eventID: String
            let event: String
            let signature: String
            let body: [UInt8]
            let answered: Int
        }

        let failures: Mutex<Int>
        let received = Mutex<[Received]>([])

        init(failing: Int) { failures = Mutex(failing) }

        var accepted: [Received] { received.withLock { $0.filter { $0.answered == 204 } } }

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
                let status = failing ? 500 : 204
                receiver.received.withLock {
                    $0.append(Received(eventID: request.headers[HTTPField.Name("Marketplace-Event-Id")!] ?? "",
                                       event: request.headers[HTTPField.Name("Marketplace-Event")!] ?? "",
                                       signature: request.headers[HTTPField.Name("Marketplace-Signature")!] ?? "", body: body, answered: status))
                }
                return Response(status: .init(code: status))
            }
        }
    }

    /// What a receiver does: recompute HMAC-SHA256(secret, "t.body") and compare in constant time.
    static func verifies(_ header: String, body: [UInt8], secret: String) -> Bool {
        let parts = Dictionary(header.split(separator: ",").compactMap { part -> (String, String)? in
            let pair = part.split(separator: "=", maxSplits: 1)
            return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
        }, uniquingKeysWith: { first, _ in first })
        guard let timestamp = parts["t"], let given = parts["v1"] else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        let expected = mac.map { String(format: "%02x", $0) }.joined()
        return expected.utf8.count == given.utf8.count && zip(expected.utf8, given.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Runs the dispatcher until nothing is due, moving the clock past each retry wait.
    static func drain(_ webhooks: WebhookService, clock: ManualClock, rounds: Int = 40) async throws {
        let sender = HTTPWebhookSender()
        for _ in 0..<rounds {
            try await webhooks.dispatchDue(using: sender)
            clock.advance(seconds: 5)
        }
    }

    @Test func everyEventArrivesOnceSignedAndInOrderAcrossFailuresAndARestart() async throws {
        let receiver = Receiver(failing: 3)
        let clock = ManualClock()
        try await LoopbackServer.run(Receiver.Middleware(receiver: receiver)) { url in
            let test = try await TestServices(clock: clock)
            let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
            let (secret, task) = try await app.test(.router) { client -> (String, String) in
                let agent = try await client.session("agent@example.com")
                let worker = try await client.session("worker@example.com", role: "human")
                let (created, body) = try await client.send(.post, "/v1/webhooks", token: agent, json: #"{"url":"\#(url)/hooks","events":["*"],"description":"ops"}"#)
                #expect(created == .created)
                let secret = try #require(data(body)["secret"] as? String)
                let (_, listed) = try await client.send(.get, "/v1/webhooks", token: agent)
                #expect((listed["data"] as? [[String: Any]])?.first?["secret"] == nil)  // shown once
                _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
                let task = try await client.createTask(agent, #"{"title":"Count the chairs","description":"In the hall","category":"research","budget":{"amount":"20.00","currency":"USD"}}"#)
                _ = try await client.send(.post, "/v1/tasks/\(task)/fund", token: agent)
                let (_, application) = try await client.send(.post, "/v1/tasks/\(task)/applications", token: worker, json: #"{"message":"me"}"#)
                let applicationID = try #require(data(application)["id"] as? String)
                _ = try await client.send(.post, "/v1/tasks/\(task)/applications/\(applicationID)/accept", token: agent)
                // Half of the deliveries go now, some failing; then the server "restarts".
                try await Self.drain(try #require(test.services.webhooks), clock: clock, rounds: 2)
                _ = try await client.send(.post, "/v1/tasks/\(task)/messages", token: worker, json: #"{"body":"on my way"}"#)
                _ = try await client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"12 chairs"}]}"#)
                let (approved, _) = try await client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
                #expect(approved == .ok)
                return (secret, task)
            }
            let path = test.path
            test.close()
            // A new process on the same file: everything it needs is in the database.
            let ledger = try Ledger(path: path, clock: clock.ledgerClock)
            let store = try MarketplaceStore(ledger: ledger)
            defer {
                store.close()
                ledger.close()
            }
            let restarted = WebhookService(store: store, secretsKey: TestServices.secretsKey, policy: .init(attemptsMax: 6, allowPrivateTargets: true),
                                           clock: clock.ledgerClock)
            try await Self.drain(restarted, clock: clock)

            let accepted = receiver.accepted
            #expect(receiver.received.withLock { $0.count } == accepted.count + 3)  // three 500s, each retried
            #expect(Set(accepted.map(\.eventID)).count == accepted.count)  // once each
            for delivery in accepted {
                #expect(Self.verifies(delivery.signature, body: delivery.body, secret: secret), "\(delivery.event)")
                let envelope = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])
                #expect(envelope["id"] as? String == delivery.eventID)
                #expect(envelope["event"] as? String == delivery.event)
                #expect(envelope["created"] is Int)
            }
            #expect(!Self.verifies(accepted[0].signature, body: accepted[0].body + [0x20], secret: secret))
            let taskEvents = accepted.filter { delivery in
                ((try? JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])?["data"] as? [String: Any])?["task_id"] as? String == task
            }.map(\.event)
            // The worker's message is to the agent, so the agent's endpoint hears of it, in its place.
            #expect(taskEvents == ["task.created", "task.funded", "application.created", "application.accepted", "message.received", "task.submitted",
                                   "submission.approved", "task.completed", "task.paid"])
            #expect(accepted.map(\.event).contains("deposit.credited"))
            let completed = try #require(accepted.first { $0.event == "task.completed" })
            let completedData = try #require((try JSONSerialization.jsonObject(with: Data(completed.body)) as? [String: Any])?["data"] as? [String: Any])
            #expect((completedData["payout"] as? [String: Any])?["amount"] as? String == "20.00")
            #expect((completedData["fee"] as? [String: Any])?["amount_minor"] as? Int == 200)
            let pending = try await DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_deliveries WHERE state <> 'delivered'") }
            #expect(pending == 0)
        }
    }

    @Test func aTasksCallbackURLGetsItsEventsSignedWithTheCallbackSecret() async throws {
        let receiver = Receiver(failing: 1)
        let clock = ManualClock()
        try await LoopbackServer.run(Receiver.Middleware(receiver: receiver)) { url in
            let test = try await TestServices(clock: clock)
            defer { test.close() }
            let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
            try await app.test(.router) { client in
                let agent = try await client.session("agent@example.com")
                let (made, body) = try await client.send(.post, "/v1/webhooks/callback-secret", token: agent)
                #expect(made == .created)
                let secret = try #require(data(body)["secret"] as? String)
                _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d1")
                let task = try await client.createTask(agent, #"{"title":"Count the chairs","description":"In the hall","category":"research","budget":{"amount":"20.00","currency":"USD"},"callback_url":"\#(url)/task-callback"}"#)
                _ = try await client.send(.post, "/v1/tasks/\(task)/fund", token: agent)
                _ = try await client.send(.post, "/v1/tasks/\(task)/cancel", token: agent)
                try await Self.drain(try #require(test.services.webhooks), clock: clock, rounds: 6)
                let accepted = receiver.accepted
                #expect(accepted.map(\.event) == ["task.created", "task.funded", "task.canceled"])  // not deposit.credited: it is no task's
                #expect(accepted.allSatisfy { Self.verifies($0.signature, body: $0.body, secret: secret) })
                let canceled = try #require(accepted.last)
                let refund = ((try JSONSerialization.jsonObject(with: Data(canceled.body)) as? [String: Any])?["data"] as? [String: Any])?["refund"] as? [String: Any]
                #expect(refund?["amount"] as? String == "22.00")
                #expect(refund?["to"] as? String == "wallet")
            }
        }
    }

    @Test func aChangeThatRollsBackLeavesNoEvent() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/webhooks", token: agent, json: #"{"url":"http://127.0.0.1:9/hooks","events":["*"]}"#)
            let task = try await client.createTask(agent, #"{"title":"Count the chairs","description":"In the hall","category":"research","budget":{"amount":"20.00","currency":"USD"}}"#)
            let before = try TestDatabase.snapshot(test.path)
            let (short, _) = try await client.send(.post, "/v1/tasks/\(task)/fund", token: agent)  // an empty wallet: the commit rolls back
            #expect(short.code == 402)
            #expect(try TestDatabase.snapshot(test.path) == before)
            let queue = try DatabaseQueue(path: test.path)
            let events = try await queue.read { db in try String.fetchAll(db, sql: "SELECT type FROM outbox_events ORDER BY seq") }
            #expect(events == ["task.created"])
            // Nobody listens to this agent: its events leave no rows behind.
            let quiet = try await client.session("quiet@example.com")
            _ = try await client.createTask(quiet, #"{"title":"Count the chairs","description":"In the hall","category":"research","budget":{"amount":"20.00","currency":"USD"}}"#)
            #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox_events") } == 1)
        }
    }

    @Test func anEndpointThatKeepsFailingIsDisabledAndARedeliveryGoesAgain() async throws {
        let receiver = Receiver(failing: 100)
        let clock = ManualClock()
        try await LoopbackServer.run(Receiver.Middleware(receiver: receiver)) { url in
            let test = try await TestServices(clock: clock, webhookPolicy: .init(attemptsMax: 3, disableAfterFailures: 4, allowPrivateTargets: true))
            defer { test.close() }
            let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
            try await app.test(.router) { client in
                let agent = try await client.session("agent@example.com")
                let (_, body) = try await client.send(.post, "/v1/webhooks", token: agent, json: #"{"url":"\#(url)/hooks","events":["task.created"]}"#)
                let endpoint = try #require(data(body)["id"] as? String)
                for _ in 0..<2 {
                    _ = try await client.createTask(agent, #"{"title":"Count the chairs","description":"In the hall","category":"research","budget":{"amount":"20.00","currency":"USD"}}"#)
                }
                let webhooks = try #require(test.services.webhooks)
                try await Self.drain(webhooks, clock: clock, rounds: 12)
                let (_, deliveries) = try await client.send(.get, "/v1/webhooks/\(endpoint)/deliveries", token: agent)
                let list = try #require(deliveries["data"] as? [[String: Any]])
                #expect(list.count == 2)
                #expect(list.allSatisfy { $0["attempts"] as? Int ?? 0 >= 1 && $0["last_status"] as? Int == 500 })
                let (_, listed) = try await client.send(.get, "/v1/webhooks", token: agent)
                let view = try #require((listed["data"] as? [[String: Any]])?.first)
                #expect(view["enabled"] as? Bool == false)
                #expect((view["disabled_reason"] as? String)?.contains("4 failed attempts") == true)
                let attemptsSoFar = receiver.received.withLock { $0.count }
                try await Self.drain(webhooks, clock: clock, rounds: 3)
                #expect(receiver.received.withLock { $0.count } == attemptsSoFar)  // disabled: nothing more is sent

                receiver.failures.withLock { $0 = 0 }
                let (reenabled, _) = try await client.send(.patch, "/v1/webhooks/\(endpoint)", token: agent, json: #"{"enabled":true}"#)
                #expect(reenabled == .ok)
                let first = try #require(list.last?["id"] as? Int)
                let (redelivered, again) = try await client.send(.post, "/v1/webhooks/\(endpoint)/deliveries/\(first)/redeliver", token: agent)
                #expect(redelivered == .ok)
                #expect(data(again)["state"] as? String == "pending")
                try await Self.drain(webhooks, clock: clock, rounds: 3)
                #expect(receiver.accepted.count >= 1)
                #expect(receiver.accepted.first?.event == "task.created")
            }
        }
    }

    @Test func badEndpointsAreRefusedNamingTheField() async throws {
        let test = try await TestServices(webhookPolicy: .init())  // private targets refused, as in production
        defer { test.close() }
        let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
        try await app.test(.router) { client in
            let agent = try await client.session("agent@example.com")
            let before = try TestDatabase.snapshot(test.path)
            let long = String(repeating: "x", count: 501)
            for (json, field) in [
                (#"{"url":"https://93.184.215.14/x","events":["task.exploded"]}"#, "events"),
                (#"{"url":"https://93.184.215.14/x","events":[]}"#, "events"),
                (#"{"url":"ftp://hooks.example.com/x","events":["*"]}"#, "url"),
                (#"{"url":"not a url","events":["*"]}"#, "url"),
                (#"{"url":"https://user:pw@hooks.example.com/x","events":["*"]}"#, "url"),
                (#"{"url":"http://127.0.0.1:8080/x","events":["*"]}"#, "url"),
                (#"{"url":"http://localhost/x","events":["*"]}"#, "url"),
                (#"{"url":"http://10.1.2.3/x","events":["*"]}"#, "url"),
                (#"{"url":"http://192.168.0.10/x","events":["*"]}"#, "url"),
                (#"{"url":"http://169.254.169.254/latest/meta-data","events":["*"]}"#, "url"),
                (#"{"url":"http://[::1]/x","events":["*"]}"#, "url"),
                (#"{"url":"http://[fd00::1]/x","events":["*"]}"#, "url"),
                (#"{"url":"https://93.184.215.14/x","events":["*"],"description":"\#(long)"}"#, "description"),
            ] {
                let (status, body) = try await client.send(.post, "/v1/webhooks", token: agent, json: json)
                #expect(status == .badRequest, "\(json)")
                #expect(errorField(body) == field, "\(json)")
            }
            #expect(try TestDatabase.snapshot(test.path) == before)
            let (ok, _) = try await client.send(.post, "/v1/webhooks", token: agent, json: #"{"url":"https://93.184.215.14/x","events":["task.created","task.paid"]}"#)
            #expect(ok == .created)  // a public address literal needs no lookup
        }
    }
}
