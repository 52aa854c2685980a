import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// The task flows beyond the plain happy path, over HTTP on a real SQLite file: bounties,
/// disputes, rejections, fee from payout, roles and verification. After each, the ledger
/// verifies clean and every wallet endpoint equals the ledger to the cent.
struct WorkflowTests {
    private static let photo = #"{"deliverables":[{"kind":"photo","value":"https://files.example.com/1.jpg"}]}"#

    private func task(_ client: Client, _ token: String, budget: String = "25.00", extra: String = "") async throws -> String {
        try await client.createTask(token, """
            {"title":"Photograph the storefront","description":"One daylight photo","category":"photography",
             "budget":{"amount":"\(budget)","currency":"USD"},"required_deliverables":["photo"]\(extra)}
            """)
    }

    /// Deposit, post, fund, apply and accept: a task assigned to `human`.
    private func assigned(_ client: Client, agent: String, human: String, budget: String = "25.00", extra: String = "") async throws -> String {
        _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: UUID().uuidString)
        let id = try await task(client, agent, budget: budget, extra: extra)
        _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
        let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
        let applicationID = try #require(data(application)["id"] as? String)
        let (accepted, _) = try await client.send(.post, "/v1/tasks/\(id)/applications/\(applicationID)/accept", token: agent)
        #expect(accepted == .ok)
        return id
    }

    @Test func aBountyPaysTheOneWinnerAndDeclinesTheRest() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let humans = [try await client.session("h1@example.com", role: "human"), try await client.session("h2@example.com", role: "human"),
                          try await client.session("h3@example.com", role: "human")]
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"50.00","currency":"USD"}"#, idempotencyKey: "d")
            let id = try await task(client, agent, budget: "10.00", extra: #","delivery_type":"bounty""#)

            let (early, _) = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: humans[0], json: Self.photo)
            #expect(early == .conflict)  // no entries until the bounty is funded
            _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
            let (apply, _) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: humans[0], json: #"{"message":"me"}"#)
            #expect(apply == .conflict)  // a bounty takes entries, not applications
            var entries: [String] = []
            for human in humans {
                let (status, body) = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: Self.photo)
                #expect(status == .created)
                entries.append(try #require(data(body)["id"] as? String))
            }
            let (twice, _) = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: humans[1], json: Self.photo)
            #expect(twice == .conflict)
            let (_, listed) = try await client.send(.get, "/v1/tasks/\(id)/submissions", token: agent)
            #expect((listed["data"] as? [[String: Any]])?.count == 3)
            let (_, own) = try await client.send(.get, "/v1/tasks/\(id)/submissions", token: humans[0])
            #expect((own["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [entries[0]])

            let (unnamed, unnamedBody) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(unnamed == .badRequest)
            #expect(errorField(unnamedBody) == "submission_id")
            let (rejected, _) = try await client.send(.post, "/v1/tasks/\(id)/reject", token: agent,
                                                      json: #"{"submission_id":"\#(entries[2])","reason":"The photo shows the wrong street entirely, not the storefront we asked for."}"#)
            #expect(rejected == .ok)
            let (awarded, paid) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent, json: #"{"submission_id":"\#(entries[1])"}"#)
            #expect(awarded == .ok)
            #expect(data(paid)["status"] as? String == "paid")
            #expect(data(paid)["worker_id"] as? String == (try await client.userID(humans[1])))

            let (_, after) = try await client.send(.get, "/v1/tasks/\(id)/submissions", token: agent)
            #expect((after["data"] as? [[String: Any]])?.map { $0["status"] as? String } == ["declined", "approved", "rejected"])
            #expect(try await client.wallet(humans[1]).available == 1_000)
            #expect(try await client.wallet(humans[0]).available == 0)
            #expect(try await client.wallet(agent).available == 3_900)
            for token in [agent] + humans { try await client.expectWalletMatchesLedger(token, test) }
        }
    }

    @Test func anAdminSplitsADisputedEscrowExactly() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let admin = try await test.adminToken("admin@example.com")
            let deadline = Timestamps.format(test.clock.ledgerClock.nowMicros() + 3_600_000_000)
            let id = try await assigned(client, agent: agent, human: human, extra: #","deadline":"\#(deadline)""#)
            _ = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: Self.photo)

            let (stranger, _) = try await client.send(.post, "/v1/tasks/\(id)/disputes", token: try await client.session("x@example.com"), json: #"{"reason":"no"}"#)
            #expect(stranger == .notFound)
            let (opened, dispute) = try await client.send(.post, "/v1/tasks/\(id)/disputes", token: human, json: #"{"reason":"The owner stopped answering"}"#)
            #expect(opened == .created)
            let disputeID = try #require(data(dispute)["id"] as? String)
            let (approve, approveBody) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(approve == .conflict)
            #expect((approveBody["error"] as? [String: Any])?["message"] as? String == "the task is disputed; the submission is submitted" ||
                    errorCode(approveBody) == "CONFLICT")
            let (cancel, _) = try await client.send(.post, "/v1/tasks/\(id)/cancel", token: agent)
            #expect(cancel == .conflict)

            // Past the deadline the sweeper leaves the disputed escrow frozen.
            test.clock.advance(seconds: 7_200)
            #expect(try await test.services.settlement.expireOverdueTasks().isEmpty)
            #expect(try await client.wallet(agent).frozen == 2_750)

            let (notAdmin, _) = try await client.send(.post, "/v1/admin/disputes/\(disputeID)/resolve", token: agent,
                                                      json: #"{"to_worker":"25.00","resolution":"mine"}"#)
            #expect(notAdmin == .forbidden)
            let (_, open) = try await client.send(.get, "/v1/admin/disputes", token: admin)
            #expect((open["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [disputeID])
            let (tooMuch, tooMuchBody) = try await client.send(.post, "/v1/admin/disputes/\(disputeID)/resolve", token: admin,
                                                               json: #"{"to_worker":"25.01","resolution":"all"}"#)
            #expect(tooMuch == .badRequest)
            #expect(errorField(tooMuchBody) == "to_worker")

            // 15.00 of the 25.00 payout to the worker; the fee pro rata: 2.50 × 15/25 = 1.50; the payer gets 27.50 − 16.50 = 11.00.
            let (resolved, body) = try await client.send(.post, "/v1/admin/disputes/\(disputeID)/resolve", token: admin,
                                                         json: #"{"to_worker":"15.00","resolution":"Half the photos were usable"}"#)
            #expect(resolved == .ok)
            let split = try #require(data(body)["split"] as? [String: Any])
            #expect((split["to_worker"] as? [String: Any])?["amount"] as? String == "15.00")
            #expect((split["to_payer"] as? [String: Any])?["amount"] as? String == "11.00")
            #expect((split["fee"] as? [String: Any])?["amount"] as? String == "1.50")
            let (again, _) = try await client.send(.post, "/v1/admin/disputes/\(disputeID)/resolve", token: admin,
                                                   json: #"{"to_worker":"15.00","resolution":"again"}"#)
            #expect(again == .conflict)
            let (_, seen) = try await client.send(.get, "/v1/tasks/\(id)", token: agent)
            #expect(data(seen)["status"] as? String == "resolved")

            #expect(try await client.wallet(agent).available == 10_000 - 2_750 + 1_100)
            #expect(try await client.wallet(agent).frozen == 0)
            #expect(try await client.wallet(human).available == 1_500)
            #expect(try test.ledger.account(code: "revenue:fees:test:USD")?.balance.posted(for: .revenue) == 150)
            for token in [agent, human] { try await client.expectWalletMatchesLedger(token, test) }
        }
    }

    @Test func anExplicitSplitMustLeaveAtMostTheFee() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let admin = try await test.adminToken("admin@example.com")
            let id = try await assigned(client, agent: agent, human: human)
            let (_, dispute) = try await client.send(.post, "/v1/tasks/\(id)/disputes", token: agent, json: #"{"reason":"Never showed up"}"#)
            let disputeID = try #require(data(dispute)["id"] as? String)
            let (bad, badBody) = try await client.send(.post, "/v1/admin/disputes/\(disputeID)/resolve", token: admin,
                                                       json: #"{"to_worker":"0","to_payer":"20.00","resolution":"x"}"#)
            #expect(bad == .badRequest)  // 7.50 would be left for the platform, more than the 2.50 fee
            #expect(errorField(badBody) == "to_payer")
            let (ok, _) = try await client.send(.post, "/v1/admin/disputes/\(disputeID)/resolve", token: admin,
                                                json: #"{"to_worker":0,"to_payer":"27.50","resolution":"Full refund: no work was done"}"#)
            #expect(ok == .ok)
            #expect(try await client.wallet(agent).available == 10_000)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }

    @Test func theFeeComesOnTopOrOutOfThePayout() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let (badPayer, badBody) = try await client.send(.post, "/v1/tasks", token: agent, json: """
                {"title":"t","description":"d","category":"photography","budget":{"amount":"1","currency":"USD"},"fee_paid_by":"nobody"}
                """)
            #expect(badPayer == .badRequest)
            #expect(errorField(badBody) == "fee_paid_by")

            let onTop = try await assigned(client, agent: agent, human: human, budget: "20.00")
            let fromPayout = try await assigned(client, agent: agent, human: human, budget: "20.00", extra: #","fee_paid_by":"worker""#)
            let (_, funding) = try await client.send(.post, "/v1/tasks/\(fromPayout)/fund", token: agent)
            #expect((data(funding)["escrow"] as? [String: Any])?["amount"] as? String == "20.00")
            #expect((data(funding)["payout"] as? [String: Any])?["amount"] as? String == "18.00")
            #expect((data(funding)["fee"] as? [String: Any])?["amount"] as? String == "2.00")
            for id in [onTop, fromPayout] {
                _ = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: Self.photo)
                let (approved, _) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
                #expect(approved == .ok)
            }
            // Agent: 200.00 deposited − 22.00 − 20.00. Worker: 20.00 + 18.00. Fees: 2.00 + 2.00.
            #expect(try await client.wallet(agent).available == 20_000 - 2_200 - 2_000)
            #expect(try await client.wallet(human).available == 3_800)
            #expect(try test.ledger.account(code: "revenue:fees:test:USD")?.balance.posted(for: .revenue) == 400)
            for token in [agent, human] { try await client.expectWalletMatchesLedger(token, test) }
        }
    }

    @Test func aRejectionNeedsAReasonAndSendsTheTaskBack() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let id = try await assigned(client, agent: agent, human: human)
            _ = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: Self.photo)
            let (short, shortBody) = try await client.send(.post, "/v1/tasks/\(id)/reject", token: agent, json: #"{"reason":"bad"}"#)
            #expect(short == .badRequest)
            #expect(errorField(shortBody) == "reason")
            let reason = "The photo is blurred and was taken at night; we asked for a daylight picture."
            let (rejected, body) = try await client.send(.post, "/v1/tasks/\(id)/reject", token: agent, json: #"{"reason":"\#(reason)"}"#)
            #expect(rejected == .ok)
            #expect(data(body)["status"] as? String == "rejected")
            #expect(data(body)["feedback"] as? String == reason)
            let (_, seen) = try await client.send(.get, "/v1/tasks/\(id)", token: human)
            #expect(data(seen)["status"] as? String == "assigned")
            _ = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: Self.photo)
            let (approved, _) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(approved == .ok)
            #expect(try await client.wallet(human).available == 2_500)
            for token in [agent, human] { try await client.expectWalletMatchesLedger(token, test) }
        }
    }

    @Test func rolesVerificationAndApplications() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            let other = try await client.session("other@example.com", role: "human")
            let admin = try await test.adminToken("admin@example.com")
            let (humanPosts, _) = try await client.send(.post, "/v1/tasks", token: human, json: """
                {"title":"t","description":"d","category":"photography","budget":{"amount":"1","currency":"USD"}}
                """)
            #expect(humanPosts == .forbidden)
            let id = try await task(client, agent, extra: #","verified_only":true"#)
            let (agentApplies, _) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: admin, json: #"{"message":"me"}"#)
            #expect(agentApplies == .forbidden)  // an agent (even an admin) does not apply
            let (unverified, _) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
            #expect(unverified == .forbidden)

            let (noProfile, _) = try await client.send(.get, "/v1/profile", token: human)
            #expect(noProfile == .notFound)
            let (saved, profile) = try await client.send(.put, "/v1/profile", token: human, json: """
                {"display_name":"Grace","headline":"Photographer","city":"Lisbon","country":"PT","skills":["photography","drone"]}
                """)
            #expect(saved == .ok)
            #expect(data(profile)["verified"] as? Bool == false)
            let (badSkill, badSkillBody) = try await client.send(.put, "/v1/profile", token: human, json: #"{"display_name":"G","skills":["ok",""]}"#)
            #expect(badSkill == .badRequest)
            #expect(errorField(badSkillBody) == "skills[1]")
            let humanID = try await client.userID(human)
            let (selfVerify, _) = try await client.send(.post, "/v1/admin/workers/\(humanID)/verify", token: human, json: #"{"verified":true}"#)
            #expect(selfVerify == .forbidden)
            let (verified, _) = try await client.send(.post, "/v1/admin/workers/\(humanID)/verify", token: admin, json: #"{"verified":true}"#)
            #expect(verified == .ok)
            let (_, publicProfile) = try await client.send(.get, "/v1/workers/\(humanID)", token: agent)
            #expect(data(publicProfile)["verified"] as? Bool == true)
            #expect(data(publicProfile)["display_name"] as? String == "Grace")

            let (applied, _) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
            #expect(applied == .created)
            let open = try await task(client, agent)
            let (_, application) = try await client.send(.post, "/v1/tasks/\(open)/applications", token: other, json: #"{"message":"me"}"#)
            let applicationID = try #require(data(application)["id"] as? String)
            let (rejected, rejectedBody) = try await client.send(.post, "/v1/tasks/\(open)/applications/\(applicationID)/reject", token: agent)
            #expect(rejected == .ok)
            #expect(data(rejectedBody)["status"] as? String == "rejected")
            let (again, _) = try await client.send(.post, "/v1/tasks/\(open)/applications/\(applicationID)/reject", token: agent)
            #expect(again == .conflict)
            let (_, mine) = try await client.send(.get, "/v1/applications", token: other)
            #expect((mine["data"] as? [[String: Any]])?.map { $0["status"] as? String } == ["rejected"])
        }
    }

    @Test func theLedgerIsForAdminsOnly() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let admin = try await test.adminToken("admin@example.com")
            let (anonymous, _) = try await client.send(.get, "/v1/ledger/verify")
            #expect(anonymous == .unauthorized)
            let (user, _) = try await client.send(.get, "/v1/ledger/verify", token: agent)
            #expect(user == .forbidden)
            let (key, _) = try await client.send(.post, "/v1/keys", token: agent, json: #"{"name":"f","scopes":["finance:read"],"mode":"test"}"#)
            #expect(key == .forbidden)
            let (_, created) = try await client.send(.post, "/v1/keys", token: admin, json: #"{"name":"f","scopes":["finance:read"],"mode":"test"}"#)
            let secret = try #require(data(created)["secret"] as? String)
            let (financeKey, _) = try await client.send(.get, "/v1/ledger/verify", token: secret)
            #expect(financeKey == .ok)
            let (adminSession, _) = try await client.send(.get, "/v1/ledger/accounts", token: admin)
            #expect(adminSession == .ok)
        }
    }

    @Test func aFreeformTaskTakesWhateverTheWorkerHandsIn() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"30.00","currency":"USD"}"#, idempotencyKey: "d")
            let id = try await client.createTask(agent, #"{"title":"Tell me about the market","description":"Anything useful","category":"research","budget":{"amount":"12.00","currency":"USD"},"delivery_type":"freeform"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
            let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(id)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
            let (submitted, _) = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human,
                                                       json: #"{"deliverables":[{"kind":"url","value":"https://notes.example.com/market"}],"note":"Busy on Saturdays"}"#)
            #expect(submitted == .created)
            let (approved, paid) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(approved == .ok)
            #expect(data(paid)["status"] as? String == "paid")
            #expect(try await client.wallet(agent).available == 3_000 - 1_320)
            #expect(try await client.wallet(human).available == 1_200)
            for token in [agent, human] { try await client.expectWalletMatchesLedger(token, test) }
        }
    }

    /// Seed 002's freeform flow: apply, accept, talk, and the owner marks it complete; the
    /// worker is paid with nothing submitted. Freeform is the default delivery type.
    @Test func aFreeformTaskIsCompletedByItsOwnerWithoutASubmission() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"30.00","currency":"USD"}"#, idempotencyKey: "d")
            let (_, created) = try await client.send(.post, "/v1/tasks", token: agent,
                                                     json: #"{"title":"Call me about the flat","description":"Ten minutes","category":"research","budget":{"amount":"12.00","currency":"USD"}}"#)
            #expect(data(created)["delivery_type"] as? String == "freeform")
            let id = try #require(data(created)["id"] as? String)
            _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
            let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(id)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
            _ = try await client.send(.post, "/v1/tasks/\(id)/messages", token: human, json: #"{"body":"Called: the flat is free from May"}"#)
            let (stranger, _) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: human)
            #expect(stranger == .notFound)  // only the owner completes it
            let (approved, paid) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(approved == .ok)
            #expect(data(paid)["status"] as? String == "paid")
            #expect(try await client.wallet(human).available == 1_200)
            #expect(try await client.wallet(agent).available == 3_000 - 1_320)
            let (again, _) = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            #expect(again == .conflict)  // paid once
            #expect(try await client.wallet(human).available == 1_200)
            for token in [agent, human] { try await client.expectWalletMatchesLedger(token, test) }

            // A submission task still needs its submission before approval.
            let (_, strict) = try await client.send(.post, "/v1/tasks", token: agent,
                                                    json: #"{"title":"Photograph the door","description":"One photo","category":"photography","budget":{"amount":"5.00","currency":"USD"},"delivery_type":"submission"}"#)
            let strictID = try #require(data(strict)["id"] as? String)
            _ = try await client.send(.post, "/v1/tasks/\(strictID)/fund", token: agent)
            let (_, strictApplication) = try await client.send(.post, "/v1/tasks/\(strictID)/applications", token: human, json: #"{"message":"me"}"#)
            _ = try await client.send(.post, "/v1/tasks/\(strictID)/applications/\(try #require(data(strictApplication)["id"] as? String))/accept", token: agent)
            let (early, earlyBody) = try await client.send(.post, "/v1/tasks/\(strictID)/approve", token: agent)
            #expect(early == .conflict)
            #expect((earlyBody["error"] as? [String: Any])?["message"] as? String == "the task is assigned; nothing was submitted")
        }
    }

    @Test func aFundedTaskPastItsDeadlineExpiresAndIsRefunded() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"30.00","currency":"USD"}"#, idempotencyKey: "d")
            let deadline = Timestamps.format(test.clock.ledgerClock.nowMicros() + 600_000_000)
            let id = try await task(client, agent, budget: "20.00", extra: #","deadline":"\#(deadline)""#)
            _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
            #expect(try await client.wallet(agent).frozen == 2_200)
            test.clock.advance(seconds: 601)
            #expect(try await test.services.settlement.expireOverdueTasks() == [id])  // what the sweeper in `serve` runs every 30 s
            let (_, expired) = try await client.send(.get, "/v1/tasks/\(id)", token: agent)
            #expect(data(expired)["status"] as? String == "expired")
            #expect(try await client.wallet(agent).available == 3_000)
            #expect(try await client.wallet(agent).frozen == 0)
            let (_, notes) = try await client.send(.get, "/v1/notifications", token: agent)
            #expect((notes["data"] as? [[String: Any]])?.first?["kind"] as? String == "task_expired")
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }
}
