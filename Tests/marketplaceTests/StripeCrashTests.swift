import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StripeFake
import Testing

/// The server stopped (SIGKILL, by the crash hook) between the ledger intent and the Stripe
/// call, and between the Stripe call and the ledger post: after a restart the work resumes
/// with the same idempotency keys, and the fake's log shows no second charge, refund or transfer.
struct StripeCrashTests {
    /// `marketplace serve` as a child process against the fake Stripe.
    static func server(db: String, port: Int, stripe: String, fake: FakeStripe, crashPoint: String?) throws -> ServeProcess {
        var environment = ["STRIPE_SECRET_KEY": fake.secretKey, "STRIPE_WEBHOOK_SECRET": fake.webhookSecret, "STRIPE_API_BASE": stripe]
        environment["MARKETPLACE_CRASH_POINT"] = crashPoint
        return try ServeProcess(db: db, port: port, environment: environment)
    }

    enum CrashTestError: Error {
        case serverExited(Int32)
        case serverDidNotStart
        case unexpected(String)
    }

    static func call(_ method: HTTPMethod, _ url: String, token: String? = nil, json: String? = nil) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:])
    }

    static func data(_ body: [String: Any]) -> [String: Any] { body["data"] as? [String: Any] ?? [:] }

    /// Requests Stripe acted on (not answered from the idempotency store).
    static func fresh(_ fake: FakeStripe, _ path: String) -> [LoggedRequest] {
        fake.requests("POST", path).filter { !$0.replayed && $0.status == 200 }
    }

    @Test func aStopOnEitherSideOfAStripeCallNeverPaysTwice() async throws {
        let fake = FakeStripe()
        try await FakeStripeServer.run(fake) { stripe in
            let db = CommandRunner.temporaryPath("stripe-crash") + ".sqlite"
            let port = try CommandRunner.freePort()
            func start(_ crashPoint: String? = nil) async throws -> ServeProcess {
                let server = try Self.server(db: db, port: port, stripe: stripe, fake: fake, crashPoint: crashPoint)
                try await server.waitUntilUp()
                return server
            }
            var server = try await start()
            let site = server.base
            func session(_ email: String, role: String) async throws -> String {
                _ = try await Self.call(.POST, "\(site)/v1/auth/register", json: #"{"email":"\#(email)","password":"correct horse","full_name":"A","role":"\#(role)"}"#)
                let (_, body) = try await Self.call(.POST, "\(site)/v1/auth/login", json: #"{"email":"\#(email)","password":"correct horse"}"#)
                guard let token = Self.data(body)["access_token"] as? String else { throw CrashTestError.unexpected("login \(body)") }
                return token
            }
            func task(_ token: String) async throws -> String {
                let (_, body) = try await Self.call(.POST, "\(site)/v1/tasks", token: token,
                                                   json: #"{"title":"Photograph the storefront","description":"Two photos","category":"photography","budget":{"amount":"25.00","currency":"USD"}}"#)
                guard let id = Self.data(body)["id"] as? String else { throw CrashTestError.unexpected("task \(body)") }
                return id
            }
            let agent = try await session("agent@example.com", role: "agent")
            let worker = try await session("worker@example.com", role: "human")
            _ = try await Self.call(.PUT, "\(site)/v1/payout-account", token: worker, json: #"{"account_id":"acct_1Worker"}"#)
            let first = try await task(agent)
            let second = try await task(agent)
            server.stop()

            // 1. Killed after the funding intent, before Stripe was asked: no session yet.
            server = try await start("after-intent")
            _ = try? await Self.call(.POST, "\(site)/v1/tasks/\(first)/fund", token: agent, json: #"{"source":"card"}"#)
            try await server.waitUntilKilled()
            #expect(fake.requests("POST", "/v1/checkout/sessions").isEmpty)
            server = try await start()  // the restart sends the recorded call
            let (status, reopened) = try await Self.call(.POST, "\(site)/v1/tasks/\(first)/fund", token: agent, json: #"{"source":"card"}"#)
            #expect(status == 202)
            let firstSession = try #require(Self.data(reopened)["session_id"] as? String)
            #expect(Self.fresh(fake, "/v1/checkout/sessions").count == 1)
            server.stop()

            // 2. Killed after Stripe made the session, before the ledger heard: the restart asks
            //    again with the same key and gets the same session back.
            server = try await start("after-connector-call")
            _ = try? await Self.call(.POST, "\(site)/v1/tasks/\(second)/fund", token: agent, json: #"{"source":"card"}"#)
            try await server.waitUntilKilled()
            #expect(Self.fresh(fake, "/v1/checkout/sessions").count == 2)
            server = try await start()
            let (_, again) = try await Self.call(.POST, "\(site)/v1/tasks/\(second)/fund", token: agent, json: #"{"source":"card"}"#)
            let secondSession = try #require(Self.data(again)["session_id"] as? String)
            #expect(Self.fresh(fake, "/v1/checkout/sessions").count == 2)
            #expect(fake.requests("POST", "/v1/checkout/sessions").contains { $0.replayed })

            // Both are paid; the signed events reach the live server.
            for id in [firstSession, secondSession] {
                let event = try fake.pay(id)
                #expect(try await FakeStripeServer.deliver(event, of: fake, to: "\(site)/v1/connectors/stripe/webhook") == 200)
            }
            server.stop()

            // 3. A refund: killed after Stripe made it; the restart replays, no second refund.
            server = try await start("after-connector-call")
            _ = try? await Self.call(.POST, "\(site)/v1/tasks/\(first)/cancel", token: agent)
            try await server.waitUntilKilled()
            #expect(Self.fresh(fake, "/v1/refunds").count == 1)
            server = try await start()
            #expect(Self.fresh(fake, "/v1/refunds").count == 1)
            #expect(fake.requests("POST", "/v1/refunds").count == 2)  // the first, and the replayed resend
            server.stop()

            // 4. A transfer: the approval commits, the process dies before Stripe is asked; then
            //    once after Stripe made it. One transfer in all.
            server = try await start()
            let (_, application) = try await Self.call(.POST, "\(site)/v1/tasks/\(second)/applications", token: worker, json: #"{"message":"me"}"#)
            let applicationID = try #require(Self.data(application)["id"] as? String)
            _ = try await Self.call(.POST, "\(site)/v1/tasks/\(second)/applications/\(applicationID)/accept", token: agent)
            _ = try await Self.call(.POST, "\(site)/v1/tasks/\(second)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
            server.stop()
            server = try await start("after-intent")
            _ = try? await Self.call(.POST, "\(site)/v1/tasks/\(second)/approve", token: agent)
            try await server.waitUntilKilled()
            #expect(fake.requests("POST", "/v1/transfers").isEmpty)
            // The restart resends it as it starts; Stripe creates it, and the process dies again before serving.
            server = try Self.server(db: db, port: port, stripe: stripe, fake: fake, crashPoint: "after-connector-call")
            try await server.waitUntilKilled()
            #expect(Self.fresh(fake, "/v1/transfers").count == 1)
            server = try await start()
            #expect(Self.fresh(fake, "/v1/transfers").count == 1)
            #expect(fake.requests("POST", "/v1/transfers").contains { $0.replayed })
            let (_, wallet) = try await Self.call(.GET, "\(site)/v1/wallet", token: worker)
            let usd = (wallet["data"] as? [[String: Any]])?.first { $0["asset"] as? String == "USD" }
            #expect((usd?["available"] as? [String: Any])?["amount_minor"] as? Int == 0)  // paid out once, to Stripe
            server.stop()

            let verify = try CommandRunner.run(["ledger", "verify", "--db", db])
            #expect(verify.status == 0, "\(verify.output)")
        }
    }
}
