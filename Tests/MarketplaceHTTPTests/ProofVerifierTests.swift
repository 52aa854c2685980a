import Foundation
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

/// Proof verification by an operator's HTTP verifier (seed 003 "AI Guardian"): the real
/// client posts each submission, signed, to a fake verifier on loopback HTTP; its score drives
/// auto-approve (>= 90) and auto-reject (< 50) as the rules' does, and any failure (an error
/// status, a refused connection, a timeout, an answer that is no score) leaves the submission
/// for the owner's review, never approved, after a bounded number of attempts.
@Suite(.serialized)
struct ProofVerifierTests {
    static let secret = "verifier-secret-for-tests"

    /// A verifier endpoint whose answers are scripted, one per request (the last one repeats);
    /// it keeps every request it got.
    final class FakeVerifier: Sendable {
        enum Reply: Sendable {
            case score(Int, notes: [String])
            case status(Int)
            case body(String)
            /// Answers a score only after `millis`: past the client's timeout.
            case slow(millis: Int, score: Int)
        }

        struct Received: Sendable {
            let signature: String
            let submissionID: String
            let body: [UInt8]
        }

        let replies: Mutex<[Reply]>
        let received = Mutex<[Received]>([])

        init(_ replies: [Reply]) { self.replies = Mutex(replies) }

        var requests: [Received] { received.withLock { $0 } }

        func next() -> Reply {
            replies.withLock { replies in replies.count > 1 ? replies.removeFirst() : replies[0] }
        }

        struct Middleware: RouterMiddleware {
            typealias Context = BasicRequestContext
            let fake: FakeVerifier

            func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
                let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
                fake.received.withLock {
                    $0.append(Received(signature: request.headers[HTTPField.Name("Marketplace-Signature")!] ?? "",
                                       submissionID: request.headers[HTTPField.Name("Marketplace-Submission-Id")!] ?? "", body: body))
                }
                switch fake.next() {
                case .score(let score, let notes):
                    let notesJSON = notes.map { "\"\($0)\"" }.joined(separator: ",")
                    return Self.json(#"{"score":\#(score),"notes":[\#(notesJSON)]}"#)
                case .status(let status):
                    return Response(status: .init(code: status))
                case .body(let text):
                    return Self.json(text)
                case .slow(let millis, let score):
                    try await Task.sleep(for: .milliseconds(millis))
                    return Self.json(#"{"score":\#(score)}"#)
                }
            }

            static func json(_ text: String) -> Response {
                Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
    }

    /// The API over fresh services that score with an HTTP verifier at `url`.
    static func withVerifier(_ configuration: HTTPProofVerifier.Configuration,
                             _ body: @escaping @Sendable (Client, TestServices) async throws -> Void) async throws {
        var test = try await TestServices()
        defer { test.close() }
        var settings = ServiceSettings(clock: test.clock.ledgerClock, bcryptCost: 4)
        settings.verifier = HTTPProofVerifier(configuration)
        test.services = Services.assemble(ledger: test.ledger, store: test.store, tokens: try await TokenIssuer(secret: Array(repeating: 7, count: 32)), settings)
        let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
        let services = test
        try await app.test(.router) { client in try await body(client, services) }
    }

    static func configuration(_ url: String, timeoutMillis: Int64 = 2_000, attemptsMax: Int = 3) -> HTTPProofVerifier.Configuration {
        HTTPProofVerifier.Configuration(url: url + "/verify", secret: secret, timeoutMillis: timeoutMillis, attemptsMax: attemptsMax, retryDelayMillis: 10)
    }

    /// A funded 10.00 task with auto-approve and auto-reject, assigned to a human; answers the
    /// agent's and the human's tokens and the task id.
    static func assignedTask(_ client: Client, agentEmail: String = "agent@example.com", humanEmail: String = "human@example.com") async throws -> (agent: String, human: String, task: String) {
        let agent = try await client.session(agentEmail)
        let human = try await client.session(humanEmail, role: "human")
        _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d-\(agentEmail)")
        let task = try await client.createTask(agent, #"{"title":"Photograph the storefront","description":"One daylight photo","category":"photography","budget":{"amount":"10.00","currency":"USD"},"delivery_type":"submission","required_deliverables":["photo"],"proof_requirements":["Full facade photo"],"auto_approve":true,"auto_reject":true,"fund":{"source":"wallet"}}"#)
        let (_, application) = try await client.send(.post, "/v1/tasks/\(task)/applications", token: human, json: #"{"message":"me"}"#)
        let (accepted, _) = try await client.send(.post, "/v1/tasks/\(task)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
        #expect(accepted == .ok)
        return (agent, human, task)
    }

    static let submission = #"{"deliverables":[{"kind":"photo","value":"https://photos.example/facade.jpg"}],"note":"Full facade photo, taken at noon"}"#

    @Test func theVerifiersScoreApprovesRejectsOrLeavesForReview() async throws {
        let fake = FakeVerifier([.score(95, notes: ["facade and signage visible"]), .score(40, notes: ["the photo shows a parking lot"]), .score(70, notes: [])])
        try await LoopbackServer.run(FakeVerifier.Middleware(fake: fake)) { url in
            try await Self.withVerifier(Self.configuration(url)) { client, test in
                // 95: approved at once; the worker is paid 10.00, the fee kept, the ledger clean.
                let first = try await Self.assignedTask(client)
                let (status, body) = try await client.send(.post, "/v1/tasks/\(first.task)/submissions", token: first.human, json: Self.submission)
                #expect(status == .created)
                #expect(data(body)["score"] as? Int == 95)
                #expect(data(body)["score_notes"] as? [String] == ["facade and signage visible"])
                #expect(data(body)["status"] as? String == "approved")
                let (_, paid) = try await client.send(.get, "/v1/tasks/\(first.task)", token: first.agent)
                #expect(data(paid)["status"] as? String == "paid")
                #expect(try await client.wallet(first.human).available == 1_000)
                #expect(try await client.wallet(first.agent).available == 3_900)
                try await client.expectWalletMatchesLedger(first.human, test)
                try await client.expectWalletMatchesLedger(first.agent, test)

                // What the verifier got: one signed request naming the submission, with the task's requirements.
                let request = try #require(fake.requests.first)
                #expect(fake.requests.count == 1)
                #expect(OutboundWebhookTests.verifies(request.signature, body: request.body, secret: Self.secret))
                #expect(!OutboundWebhookTests.verifies(request.signature, body: request.body, secret: "another secret"))
                #expect(request.submissionID == data(body)["id"] as? String)
                let sent = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
                #expect(sent["version"] as? Int == 1)
                let task = try #require(sent["task"] as? [String: Any])
                #expect(task["id"] as? String == first.task)
                #expect(task["proof_requirements"] as? [String] == ["Full facade photo"])
                #expect(task["required_deliverables"] as? [String] == ["photo"])
                let submitted = try #require(sent["submission"] as? [String: Any])
                #expect(submitted["id"] as? String == request.submissionID)
                #expect(submitted["note"] as? String == "Full facade photo, taken at noon")
                #expect((submitted["deliverables"] as? [[String: String]]) == [["kind": "photo", "value": "https://photos.example/facade.jpg"]])
                #expect((sent["thresholds"] as? [String: Int]) == ["auto_approve_min": 90, "auto_reject_below": 50])

                // 40: rejected at once with the verifier's reasons; the task goes back to the worker.
                let second = try await Self.assignedTask(client, agentEmail: "agent2@example.com", humanEmail: "human2@example.com")
                let (_, rejected) = try await client.send(.post, "/v1/tasks/\(second.task)/submissions", token: second.human, json: Self.submission)
                #expect(data(rejected)["status"] as? String == "rejected")
                #expect((data(rejected)["feedback"] as? String)?.contains("the photo shows a parking lot") == true)
                let (_, back) = try await client.send(.get, "/v1/tasks/\(second.task)", token: second.agent)
                #expect(data(back)["status"] as? String == "assigned")
                #expect(try await client.wallet(second.human).available == 0)

                // 70: between the two, the owner decides.
                let third = try await Self.assignedTask(client, agentEmail: "agent3@example.com", humanEmail: "human3@example.com")
                let (_, pending) = try await client.send(.post, "/v1/tasks/\(third.task)/submissions", token: third.human, json: Self.submission)
                #expect(data(pending)["status"] as? String == "submitted")
                #expect(data(pending)["score"] as? Int == 70)
                #expect(try await client.wallet(third.agent).frozen == 1_100)
                try await client.expectWalletMatchesLedger(third.agent, test)
            }
        }
    }

    enum Failure: String, CaseIterable, Sendable {
        case serverError, refusedConnection, timeout, notAScore, scoreOutOfRange
    }

    /// A verifier that gives no score never approves: the submission waits for the owner with
    /// a note saying why, after `attemptsMax` tries for a transient failure and one for a final
    /// one; the owner may still approve by hand.
    @Test(arguments: Failure.allCases)
    func aFailingVerifierLeavesTheSubmissionForTheOwner(failure: Failure) async throws {
        let reply: FakeVerifier.Reply = switch failure {
        case .serverError, .refusedConnection: .status(503)
        case .timeout: .slow(millis: 1_500, score: 99)
        case .notAScore: .body(#"{"score":"high"}"#)
        case .scoreOutOfRange: .score(150, notes: [])
        }
        let fake = FakeVerifier([reply])
        let stopped = try await LoopbackServer.run(FakeVerifier.Middleware(fake: FakeVerifier([.status(204)]))) { url in url }
        try await LoopbackServer.run(FakeVerifier.Middleware(fake: fake)) { url in
            let target = failure == .refusedConnection ? stopped : url
            let configuration = Self.configuration(target, timeoutMillis: failure == .timeout ? 300 : 2_000, attemptsMax: failure == .timeout ? 2 : 3)
            try await Self.withVerifier(configuration) { client, test in
                let (agent, human, task) = try await Self.assignedTask(client)
                let (status, body) = try await client.send(.post, "/v1/tasks/\(task)/submissions", token: human, json: Self.submission)
                #expect(status == .created)
                #expect(data(body)["status"] as? String == "submitted")
                #expect(data(body)["score"] is NSNull || data(body)["score"] == nil)
                let note = try #require((data(body)["score_notes"] as? [String])?.first)
                let expected = switch failure {
                case .serverError: "answered HTTP 503"
                case .refusedConnection: "unreachable"
                case .timeout: "no answer within 300 ms"
                case .notAScore: "not a score"
                case .scoreOutOfRange: "score 150 is outside 0-100"
                }
                #expect(note.contains(expected), "\(note)")
                #expect(note.contains("left for the owner's review"))
                let attempts = switch failure {
                case .serverError: 3
                case .refusedConnection: 0
                case .timeout: 2
                case .notAScore, .scoreOutOfRange: 1
                }
                #expect(fake.requests.count == attempts)
                // Nothing moved: the escrow is still frozen, the task waits for its owner.
                let (_, waiting) = try await client.send(.get, "/v1/tasks/\(task)", token: agent)
                #expect(data(waiting)["status"] as? String == "submitted")
                #expect(try await client.wallet(agent).frozen == 1_100)
                #expect(try await client.wallet(human).available == 0)
                let (approved, _) = try await client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
                #expect(approved == .ok)
                #expect(try await client.wallet(human).available == 1_000)
                try await client.expectWalletMatchesLedger(human, test)
            }
        }
    }

    /// Transient failures are retried with the same signed body: two 503s, then a score.
    @Test func aTransientFailureIsRetriedUntilTheVerifierAnswers() async throws {
        let fake = FakeVerifier([.status(503), .status(429), .score(92, notes: [])])
        try await LoopbackServer.run(FakeVerifier.Middleware(fake: fake)) { url in
            try await Self.withVerifier(Self.configuration(url)) { client, test in
                let (_, human, task) = try await Self.assignedTask(client)
                let (_, body) = try await client.send(.post, "/v1/tasks/\(task)/submissions", token: human, json: Self.submission)
                #expect(data(body)["status"] as? String == "approved")
                #expect(data(body)["score"] as? Int == 92)
                #expect(fake.requests.count == 3)
                #expect(Set(fake.requests.map(\.body)).count == 1)
                #expect(fake.requests.allSatisfy { OutboundWebhookTests.verifies($0.signature, body: $0.body, secret: Self.secret) })
                try await client.expectWalletMatchesLedger(human, test)
            }
        }
    }

    /// A refused submission (not the caller's task) never reaches the verifier.
    @Test func aRefusedSubmissionIsNeverSentToTheVerifier() async throws {
        let fake = FakeVerifier([.score(95, notes: [])])
        try await LoopbackServer.run(FakeVerifier.Middleware(fake: fake)) { url in
            try await Self.withVerifier(Self.configuration(url)) { client, _ in
                let (_, _, task) = try await Self.assignedTask(client)
                let stranger = try await client.session("stranger@example.com", role: "human")
                let (status, _) = try await client.send(.post, "/v1/tasks/\(task)/submissions", token: stranger, json: Self.submission)
                #expect(status == .notFound)
                #expect(fake.requests.isEmpty)
            }
        }
    }
}
