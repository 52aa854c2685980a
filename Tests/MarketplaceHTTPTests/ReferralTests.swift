import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Referrals (seed 004 `GET /my/referrals`): every user has a code, registering with it (as a
/// person or as an agent in one call) records the referral, a code nobody has refuses the
/// registration by name with nothing written, and the referrer lists referrals and stats.
struct ReferralTests {
    private func register(_ client: Client, _ email: String, role: String = "agent", code: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        let referral = code.map { #","referral_code":"\#($0)""# } ?? ""
        return try await client.send(.post, "/v1/auth/register",
                                     json: #"{"email":"\#(email)","password":"correct horse","full_name":"Name \#(email)","role":"\#(role)"\#(referral)}"#)
    }

    private func referrals(_ client: Client, _ token: String) async throws -> [String: Any] {
        let (status, body) = try await client.send(.get, "/v1/referrals", token: token)
        #expect(status == .ok)
        return data(body)
    }

    @Test func everyUserHasItsOwnCodeShownToItself() async throws {
        try await withApp { client, _ in
            let (_, ada) = try await register(client, "ada@example.com")
            let code = try #require(data(ada)["referral_code"] as? String)
            #expect(code.count == 12 && code.allSatisfy { $0.isNumber || $0.isUppercase })
            let (_, bob) = try await register(client, "bob@example.com", role: "human")
            #expect(data(bob)["referral_code"] as? String != code)
            let token = try await client.session("ada@example.com")  // already registered: logs in
            let (_, me) = try await client.send(.get, "/v1/auth/me", token: token)
            #expect((data(me)["user"] as? [String: Any])?["referral_code"] as? String == code)
            let mine = try await referrals(client, token)
            #expect(mine["referral_code"] as? String == code)
            #expect((mine["referrals"] as? [Any])?.isEmpty == true)
            #expect((mine["stats"] as? [String: Any])?["count"] as? Int == 0)
        }
    }

    @Test func registeringWithACodeRecordsTheReferralForBothKindsOfRegistration() async throws {
        try await withApp { client, _ in
            let (_, ada) = try await register(client, "ada@example.com")
            let code = try #require(data(ada)["referral_code"] as? String)
            // Typed as people do: lower case, spaces around, O for 0 and l for 1.
            let typed = " " + code.lowercased().replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "l") + " "
            let (person, human) = try await register(client, "hal@example.com", role: "human", code: typed)
            #expect(person == .created)
            let (agent, bot) = try await client.send(.post, "/v1/agents/register", json: #"{"name":"Scout bot","email":"scout@example.com","referral_code":"\#(code)"}"#)
            #expect(agent == .created)
            let botUser = try #require(data(bot)["user"] as? [String: Any])

            let token = try await client.session("ada@example.com")
            let mine = try await referrals(client, token)
            let listed = try #require(mine["referrals"] as? [[String: Any]])
            #expect(listed.map { $0["user_id"] as? String } == [botUser["id"] as? String, data(human)["id"] as? String])  // newest first
            #expect(listed.map { $0["role"] as? String } == ["agent", "human"])
            #expect(listed.map { $0["full_name"] as? String } == ["Scout bot", "Name hal@example.com"])
            #expect(listed.allSatisfy { $0["email"] == nil })
            let stats = try #require(mine["stats"] as? [String: Any])
            #expect(stats["count"] as? Int == 2)
            #expect(stats["rewards_enabled"] as? Bool == false)
            let earned = try #require(stats["rewards_earned"] as? [[String: Any]])
            #expect(earned.map { $0["asset"] as? String } == ["USD", "USDC"])
            #expect(earned.map { $0["amount_minor"] as? Int } == [0, 0])
            #expect(earned.map { $0["amount"] as? String } == ["0.00", "0.000000"])

            // The referred agent's key reads its own (empty) referrals, under its own code.
            let secret = try #require((data(bot)["api_key"] as? [String: Any])?["secret"] as? String)
            let theirs = try await referrals(client, secret)
            #expect(theirs["referral_code"] as? String == botUser["referral_code"] as? String)
            #expect(theirs["referral_code"] as? String != code)
            #expect((theirs["stats"] as? [String: Any])?["count"] as? Int == 0)
        }
    }

    @Test(arguments: ["ZZZZZZZZZZZZ", "ABC", "ABCDEFGHIJKU", ""])
    func aCodeNobodyHasRefusesTheRegistrationAndWritesNothing(code: String) async throws {
        try await withApp { client, test in
            _ = try await register(client, "ada@example.com")
            let before = try TestDatabase.snapshot(test.path)
            let (status, body) = try await register(client, "hal@example.com", role: "human", code: code)
            #expect(status == .badRequest, "\(code): \(body)")
            #expect(errorCode(body) == "VALIDATION_ERROR")
            #expect(errorField(body) == "referral_code")
            let (agent, agentBody) = try await client.send(.post, "/v1/agents/register", json: #"{"name":"Bot","email":"bot@example.com","referral_code":"\#(code)"}"#)
            #expect(agent == .badRequest)
            #expect(errorField(agentBody) == "referral_code")
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }

    /// A referral is recorded only as an account is made, under a code that already belongs to
    /// another account: an existing user cannot be referred again, nor by themselves.
    @Test func nobodyIsReferredTwiceOrByThemselves() async throws {
        try await withApp { client, test in
            let (_, ada) = try await register(client, "ada@example.com")
            let code = try #require(data(ada)["referral_code"] as? String)
            let before = try TestDatabase.snapshot(test.path)
            let (again, body) = try await register(client, "ada@example.com", code: code)
            #expect(again == .conflict)
            #expect(errorField(body) == "email")
            #expect(try TestDatabase.snapshot(test.path) == before)
            let token = try await client.session("ada@example.com")
            #expect((try await referrals(client, token)["stats"] as? [String: Any])?["count"] as? Int == 0)
        }
    }
}
