import Foundation
import HTTPTypes
import LedgerCore
import Testing
@testable import MarketplaceHTTP

/// Every write route that answers through `KeyedAnswer` makes exactly one durable commit under
/// an Idempotency-Key: its effect and its stored answer together. A route whose domain write
/// returned something other than its answer (create returned nothing, submit a tuple) stored
/// the answer in a second commit, and a crash between the two left an effect whose key was
/// absent: the retry ran again (a second task) or was refused (409 "already submitted").
struct KeyedCommitTests {
    @Test func eachKeyedWriteIsOneDurableCommit() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let other = try await client.session("other@example.com", role: "human")
            var keys = 0
            func keyed(_ method: HTTPRequest.Method, _ uri: String, _ token: String, _ json: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
                keys += 1
                let before = test.ledger.writerCommits.commits
                let (status, body) = try await client.send(method, uri, token: token, json: json, idempotencyKey: "k\(keys)")
                #expect((200..<300).contains(Int(status.code)), "\(method) \(uri): \(status) \(body)", sourceLocation: sourceLocation)
                let commits = test.ledger.writerCommits.commits - before
                #expect(commits == 1, "\(method) \(uri) made \(commits) durable commits", sourceLocation: sourceLocation)
                return body["data"] as? [String: Any] ?? [:]
            }
            func id(_ data: [String: Any]) throws -> String { try #require(data["id"] as? String) }
            let newTask = #"{"title":"Photograph the door","description":"One photo of the door","category":"verification","budget":{"amount":"10.00","currency":"USD"}}"#

            _ = try await keyed(.post, "/v1/wallet/deposits", agent, #"{"amount":"200.00","currency":"USD"}"#)
            func hired() async throws -> String {
                let task = try id(try await keyed(.post, "/v1/tasks", agent, newTask))
                _ = try await keyed(.post, "/v1/tasks/\(task)/fund", agent, #"{"source":"wallet"}"#)
                let application = try id(try await keyed(.post, "/v1/tasks/\(task)/applications", human, #"{"message":"on my way"}"#))
                _ = try await keyed(.post, "/v1/tasks/\(task)/applications/\(application)/accept", agent)
                return task
            }
            let submission = #"{"deliverables":[{"kind":"text","value":"Done, the door is green."}]}"#

            // Edited, an application turned down, hired, revised, approved.
            let task = try id(try await keyed(.post, "/v1/tasks", agent, newTask))
            _ = try await keyed(.patch, "/v1/tasks/\(task)", agent, #"{"title":"Photograph the front door"}"#)
            _ = try await keyed(.post, "/v1/tasks/\(task)/fund", agent, #"{"source":"wallet"}"#)
            let declined = try id(try await keyed(.post, "/v1/tasks/\(task)/applications", other, #"{"message":"me too"}"#))
            _ = try await keyed(.post, "/v1/tasks/\(task)/applications/\(declined)/reject", agent)
            let application = try id(try await keyed(.post, "/v1/tasks/\(task)/applications", human, #"{"message":"on my way"}"#))
            _ = try await keyed(.post, "/v1/tasks/\(task)/applications/\(application)/accept", agent)
            _ = try await keyed(.post, "/v1/tasks/\(task)/submissions", human, submission)
            _ = try await keyed(.post, "/v1/tasks/\(task)/request-revision", agent, #"{"feedback":"Please add the house number."}"#)
            _ = try await keyed(.post, "/v1/tasks/\(task)/submissions", human, submission)
            _ = try await keyed(.post, "/v1/tasks/\(task)/approve", agent)

            // Cancelled once hired; a submission rejected; a dispute opened.
            _ = try await keyed(.post, "/v1/tasks/\(try await hired())/cancel", agent)
            let rejectedTask = try await hired()
            let rejected = try id(try await keyed(.post, "/v1/tasks/\(rejectedTask)/submissions", human, submission))
            _ = try await keyed(.post, "/v1/tasks/\(rejectedTask)/reject", agent,
                                #"{"submission_id":"\#(rejected)","reason":"The photo shows another street, not the door we asked for."}"#)
            let disputed = try await hired()
            _ = try await keyed(.post, "/v1/tasks/\(disputed)/submissions", human, submission)
            _ = try await keyed(.post, "/v1/tasks/\(disputed)/disputes", human, #"{"reason":"The owner stopped answering"}"#)
        }
    }
}
