import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Testing
@testable import MarketplaceHTTP

/// The cancel answer says whether and how much was refunded, and names the refund's ledger
/// transfer (seed 002's `refunded` and refund id).
struct CancelAnswerTests {
    private static let task = #"{"title":"Check the opening hours","description":"Call and ask","category":"research","budget":{"amount":"30.00","currency":"USD"}}"#

    @Test func aFundedTaskCanceledSaysItsRefundAndAnUnfundedOneSaysNone() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let funded = try await client.createTask(agent, Self.task)
            _ = try await client.send(.post, "/v1/tasks/\(funded)/fund", token: agent)
            let (status, body) = try await client.send(.post, "/v1/tasks/\(funded)/cancel", token: agent)
            #expect(status == .ok)
            let answer = data(body)
            #expect(answer["id"] as? String == funded)
            #expect(answer["status"] as? String == "canceled")
            #expect(answer["refunded"] as? Bool == true)
            let refund = try #require(answer["refund"] as? [String: Any])
            #expect(refund["to"] as? String == "wallet")
            #expect((refund["amount"] as? [String: Any])?["amount"] as? String == "33.00")
            // The refund's transfer is the one the wallet's history shows for the refund.
            let (_, history) = try await client.send(.get, "/v1/wallet/transactions?type=refund", token: agent)
            let refunds = (data(history)["transactions"] as? [[String: Any]]) ?? []
            #expect(refunds.compactMap { $0["transfer_id"] as? Int64 } == [try #require(refund["transfer_id"] as? Int64)])
            #expect(try await client.wallet(agent).available == 10_000)

            let unfunded = try await client.createTask(agent, Self.task)
            let (_, plain) = try await client.send(.post, "/v1/tasks/\(unfunded)/cancel", token: agent)
            #expect(data(plain)["refunded"] as? Bool == false)
            #expect(data(plain)["refund"] is NSNull)
            try await client.expectWalletMatchesLedger(agent, test)
        }
    }
}
