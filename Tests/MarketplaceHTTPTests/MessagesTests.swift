import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Threads between an owner and each applicant, and the notifications events leave behind.
struct MessagesTests {
    @Test func ownerAndApplicantsTalkInSeparateThreadsOldestFirst() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            let ann = try await client.session("ann@example.com", role: "human")
            let bob = try await client.session("bob@example.com", role: "human")
            let outsider = try await client.session("out@example.com", role: "human")
            let task = try await client.createTask(agent, #"{"title":"Count chairs","description":"Room 4","category":"research","budget":{"amount":"5","currency":"USD"}}"#)
            for human in [ann, bob] { _ = try await client.send(.post, "/v1/tasks/\(task)/applications", token: human, json: #"{"message":"me"}"#) }
            let annID = try await client.userID(ann)

            let (sent, _) = try await client.send(.post, "/v1/tasks/\(task)/messages", token: ann, json: #"{"body":"Which building?"}"#)
            #expect(sent == .created)
            let (noRecipient, noRecipientBody) = try await client.send(.post, "/v1/tasks/\(task)/messages", token: agent, json: #"{"body":"B"}"#)
            #expect(noRecipient == .badRequest)
            #expect(errorField(noRecipientBody) == "to")
            _ = try await client.send(.post, "/v1/tasks/\(task)/messages", token: agent, json: #"{"body":"Building B","to":"\#(annID)"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(task)/messages", token: bob, json: #"{"body":"Is it paid hourly?"}"#)
            let (tooLong, tooLongBody) = try await client.send(.post, "/v1/tasks/\(task)/messages", token: ann,
                                                               json: #"{"body":"\#(String(repeating: "a", count: 5_001))"}"#)
            #expect(tooLong == .badRequest)
            #expect(errorField(tooLongBody) == "body")
            let (stranger, _) = try await client.send(.post, "/v1/tasks/\(task)/messages", token: outsider, json: #"{"body":"hi"}"#)
            #expect(stranger == .notFound)

            let (_, annThread) = try await client.send(.get, "/v1/tasks/\(task)/messages", token: ann)
            #expect((annThread["data"] as? [[String: Any]])?.map { $0["body"] as? String } == ["Which building?", "Building B"])
            let (_, ownerView) = try await client.send(.get, "/v1/tasks/\(task)/messages?with=\(annID)", token: agent)
            #expect((ownerView["data"] as? [[String: Any]])?.count == 2)  // Bob's message is in his own thread
            let (_, bobThread) = try await client.send(.get, "/v1/tasks/\(task)/messages", token: bob)
            #expect((bobThread["data"] as? [[String: Any]])?.map { $0["body"] as? String } == ["Is it paid hourly?"])
        }
    }

    @Test func eventsLeaveNotificationsThatCanBeMarkedRead() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"20","currency":"USD"}"#, idempotencyKey: "d")
            let task = try await client.createTask(agent, #"{"title":"Count chairs","description":"Room 4","category":"research","budget":{"amount":"5","currency":"USD"}}"#)
            _ = try await client.send(.post, "/v1/tasks/\(task)/fund", token: agent)
            let (_, application) = try await client.send(.post, "/v1/tasks/\(task)/applications", token: human, json: #"{"message":"me"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(task)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
            _ = try await client.send(.post, "/v1/tasks/\(task)/submissions", token: human, json: #"{"deliverables":[{"kind":"text","value":"12"}]}"#)
            _ = try await client.send(.post, "/v1/tasks/\(task)/approve", token: agent)

            let (_, agentNotes) = try await client.send(.get, "/v1/notifications", token: agent)
            #expect((agentNotes["data"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["submission_received", "application_received"])
            let (_, humanNotes) = try await client.send(.get, "/v1/notifications?unread=true", token: human)
            let kinds = (humanNotes["data"] as? [[String: Any]])?.map { $0["kind"] as? String }
            #expect(kinds == ["paid", "application_accepted"])
            #expect(humanNotes["unread_count"] as? Int == 2)
            let paid = try #require((humanNotes["data"] as? [[String: Any]])?.first)
            #expect((paid["text"] as? String)?.contains("5.00 USD") == true)
            let (marked, markedBody) = try await client.send(.post, "/v1/notifications/\(try #require(paid["id"] as? String))/read", token: human)
            #expect(marked == .ok)
            #expect(data(markedBody)["read"] as? Bool == true)
            let (_, unread) = try await client.send(.get, "/v1/notifications?unread=true", token: human)
            #expect((unread["data"] as? [[String: Any]])?.count == 1)
            #expect(unread["unread_count"] as? Int == 1)
            let (_, all) = try await client.send(.post, "/v1/notifications/read-all", token: human)
            #expect(data(all)["marked"] as? Int == 1)
            let (_, everything) = try await client.send(.get, "/v1/notifications", token: human)
            #expect((everything["data"] as? [[String: Any]])?.count == 2)
            #expect(everything["unread_count"] as? Int == 0)  // the count of unread, whatever the list shows
            let (other, _) = try await client.send(.post, "/v1/notifications/\(try #require(paid["id"] as? String))/read", token: agent)
            #expect(other == .notFound)
        }
    }
}
