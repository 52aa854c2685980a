import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import MarketplaceHTTP

/// The owner's list of applications shows who applied (seed 001): the applicant's worker
/// profile, or only their account name when they have none.
struct ApplicantProfileTests {
    @Test func theOwnersListShowsEachApplicantsProfile() async throws {
        try await withApp { client, _ in
            let agent = try await client.session("agent@example.com")
            let profiled = try await client.session("profiled@example.com", role: "human")
            let bare = try await client.session("bare@example.com", role: "human")
            let (saved, _) = try await client.send(.put, "/v1/profile", token: profiled, json: #"""
                {"display_name":"Ana P.","headline":"Photographer, 10 years","city":"Lisbon","country":"PT","skills":["photography","drone"],"available":true}
                """#)
            #expect(saved == .ok)
            let task = try await client.createTask(agent, #"{"title":"Photograph the storefront","description":"One photo","category":"photography","budget":{"amount":"20.00","currency":"USD"}}"#)
            for human in [profiled, bare] {
                let (applied, answer) = try await client.send(.post, "/v1/tasks/\(task)/applications", token: human, json: #"{"message":"me"}"#)
                #expect(applied == .created)
                #expect(data(answer)["applicant"] == nil)  // the applicant's own answer carries no profile
            }
            let (listed, body) = try await client.send(.get, "/v1/tasks/\(task)/applications", token: agent)
            #expect(listed == .ok)
            let applicants = ((body["data"] as? [[String: Any]]) ?? []).map { $0["applicant"] as? [String: Any] ?? [:] }
            #expect(applicants.count == 2)
            #expect(applicants.first?["display_name"] as? String == "Ana P.")
            #expect(applicants.first?["headline"] as? String == "Photographer, 10 years")
            #expect(applicants.first?["city"] as? String == "Lisbon")
            #expect(applicants.first?["country"] as? String == "PT")
            #expect(applicants.first?["skills"] as? [String] == ["photography", "drone"])
            #expect(applicants.first?["available"] as? Bool == true)
            #expect(applicants.first?["verified"] as? Bool == false)
            #expect(applicants.last?["display_name"] as? String == "A")  // the account's full name
            #expect(applicants.last?["skills"] as? [String] == [])
            #expect(applicants.last?["available"] as? Bool == false)
        }
    }
}
