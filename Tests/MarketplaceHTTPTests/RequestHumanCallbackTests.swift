import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LoopbackServer
import Marketplace
import MarketplaceServer
import NIOCore
import Synchronization
import Testing
@testable import MarketplaceHTTP

/// Seed 002's callbacks: a task posted at /compat/requesthuman with a `callback_url` plays the
/// document's workflow (fund with the 10% on top, an applicant with a profile, accept, a message,
/// a submission sent back for revision, approval and payout; a second task cancelled with its
/// refund), and a receiver on loopback gets each event in the document's payload, in order.
@Suite(.serialized)
struct RequestHumanCallbackTests {
    static let base = "/compat/requesthuman"

    /// Keeps every POST it gets, as the document's receiver would: the JSON payload and its event.
    final class Receiver: Sendable {
        let bodies = Mutex<[[UInt8]]>([])
        let headers = Mutex<[HTTPFields]>([])

        var payloads: [[String: Any]] {
            bodies.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        }

        struct Middleware: RouterMiddleware {
            typealias Context = BasicRequestContext
            let receiver: Receiver

            func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
                let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
                guard (try? JSONSerialization.jsonObject(with: Data(body))) is [String: Any] else { return Response(status: .badRequest) }
                receiver.bodies.withLock { $0.append(body) }
                receiver.headers.withLock { $0.append(request.headers) }
                return Response(status: .ok)
            }
        }
    }

    @Test func theWorkflowsCallbacksArriveInTheDocumentsPayloadsInOrder() async throws {
        let receiver = Receiver()
        let clock = ManualClock()
        try await LoopbackServer.run(Receiver.Middleware(receiver: receiver)) { url in
            let test = try await TestServices(clock: clock)
            defer { test.close() }
            let router = test.serverRouter
            try await Application(router: router).test(.router) { client in
                let human = try await client.session("jane@example.com", role: "human")
                _ = try await client.send(.put, "/v1/profile", token: human, json: #"""
                    {"display_name":"Jane","headline":"Local runner in SF","city":"San Francisco","country":"US","skills":["errands","photography"],"available":true}
                    """#)
                func post(_ title: String) async throws -> (id: String, token: String) {
                    let (status, created) = try await client.send(.post, "\(Self.base)/api/tasks", json: """
                        {"title":"\(title)","description":"Collect parcel #PKG-4521.","price":25,"delivery_type":"submission",
                         "required_deliverables":["text"],"callback_url":"\(url)/callbacks"}
                        """)
                    #expect(status == .created, "\(created)")
                    return (try #require((created["task"] as? [String: Any])?["id"] as? String), try #require(created["task_token"] as? String))
                }
                let (id, token) = try await post("Pick up a package from the post office")
                let headers = [("X-Task-Token", token)]
                let (funded, _) = try await client.send(.post, "\(Self.base)/api/tasks/\(id)/fund", headers: headers)
                #expect(funded == .ok)  // test mode without Stripe: the test connector pays 27.50 at once
                let (_, applied) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"I can do this today!"}"#)
                let app = try #require(data(applied)["id"] as? String)
                _ = try await client.send(.patch, "\(Self.base)/api/tasks/\(id)/applications/\(app)", json: #"{"status":"accepted"}"#, headers: headers)
                _ = try await client.send(.post, "\(Self.base)/api/tasks/\(id)/applications/\(app)/messages", token: human, json: #"{"body":"On my way."}"#)
                _ = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: #"{"deliverables":[{"kind":"text","value":"Collected."}]}"#)
                let (_, listed) = try await client.send(.get, "\(Self.base)/api/tasks/\(id)/submissions", headers: headers)
                let first = try #require((listed["submissions"] as? [[String: Any]])?.first?["id"] as? String)
                _ = try await client.send(.patch, "\(Self.base)/api/tasks/\(id)/submissions", json: """
                    {"submission_id":"\(first)","status":"revision_requested","feedback":"Please include a photo of the receipt"}
                    """, headers: headers)
                _ = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: #"{"deliverables":[{"kind":"text","value":"Collected; receipt attached."}]}"#)
                let (_, again) = try await client.send(.get, "\(Self.base)/api/tasks/\(id)/submissions", headers: headers)
                let second = try #require((again["submissions"] as? [[String: Any]])?.first { $0["status"] as? String == "pending" }?["id"] as? String)
                let (approved, approval) = try await client.send(.patch, "\(Self.base)/api/tasks/\(id)/submissions",
                                                                 json: #"{"submission_id":"\#(second)","status":"approved"}"#, headers: headers)
                #expect(approved == .ok, "\(approval)")
                let humanID = try await client.userID(human)
                #expect(try test.ledger.account(code: "wallet:user:test:\(humanID):USD")?.balance.posted(for: .liability) == 2_500)

                let (other, otherToken) = try await post("Return the package")
                _ = try await client.send(.post, "\(Self.base)/api/tasks/\(other)/fund", headers: [("X-Task-Token", otherToken)])
                let (cancelled, cancel) = try await client.send(.post, "\(Self.base)/api/tasks/\(other)/cancel", headers: [("X-Task-Token", otherToken)])
                #expect(cancelled == .ok)
                #expect(cancel["refunded"] as? Bool == true)

                let sender = HTTPWebhookSender()
                for _ in 0..<30 {
                    try await test.services.webhooks?.dispatchDue(using: sender)
                    clock.advance(seconds: 5)
                }
                let payloads = receiver.payloads
                let first1 = payloads.filter { $0["task_id"] as? String == id }
                #expect(first1.map { $0["event"] as? String } == ["task_funded", "new_application", "application_status_changed", "new_message",
                                                                  "task_submission", "submission_revision_requested", "task_submission",
                                                                  "submission_approved", "task_status_changed"])
                #expect(first1.allSatisfy { $0["task_title"] as? String == "Pick up a package from the post office" })
                // new_application as the document's example prints it.
                let application = try #require(first1.first { $0["event"] as? String == "new_application" })
                #expect((application["application"] as? [String: Any])?["id"] as? String == app)
                #expect((application["application"] as? [String: Any])?["message"] as? String == "I can do this today!")
                #expect((application["application"] as? [String: Any])?["created_at"] is String)
                let applicant = try #require(application["applicant"] as? [String: Any])
                #expect(applicant["display_name"] as? String == "Jane")
                #expect(applicant["headline"] as? String == "Local runner in SF")
                #expect(applicant["city"] as? String == "San Francisco")
                #expect(applicant["country"] as? String == "US")
                #expect(applicant["skills"] as? [String] == ["errands", "photography"])
                let funding = try #require(first1.first?["funding"] as? [String: Any])
                #expect("\(funding["escrow"] ?? "")" == "27.5")
                #expect("\(funding["price"] ?? "")" == "25")
                #expect("\(funding["fee"] ?? "")" == "2.5")
                #expect((first1.first { $0["event"] as? String == "submission_revision_requested" })?["feedback"] as? String == "Please include a photo of the receipt")
                #expect(first1.last?["status"] as? String == "completed")
                let second2 = payloads.filter { $0["task_id"] as? String == other }
                #expect(second2.map { $0["event"] as? String } == ["task_funded", "task_cancelled"])
                #expect(second2.last?["refunded"] as? Bool == true)
                #expect("\(second2.last?["refund"] ?? "")" == "27.5")
                // Unsigned, as the document's fire-and-forget webhooks are; the event id names repeats.
                #expect(receiver.headers.withLock { $0.allSatisfy { $0[HTTPField.Name("Marketplace-Signature")!] == nil && $0[HTTPField.Name("Marketplace-Event-Id")!] != nil } })
                #expect(try test.ledger.verify().fault == nil)
            }
        }
    }
}
