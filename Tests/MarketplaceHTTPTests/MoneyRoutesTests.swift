import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// Wallets, deposits, funding and refunds through the real router and a real ledger: after
/// each story the ledger verifies clean and the wallet endpoint equals the ledger to the cent.
struct MoneyRoutesTests {
    private func task(_ client: Client, _ token: String, amount: String = "25.00") async throws -> String {
        let json = #"{"title":"Verify the address","description":"Check 12 Main St exists","category":"verification","budget":{"amount":"\#(amount)","currency":"USD"}}"#
        let (_, body) = try await client.send(.post, "/v1/tasks", token: token, json: json)
        return try #require((body["data"] as? [String: Any])?["id"] as? String)
    }

    private func usd(_ client: Client, _ token: String) async throws -> (available: Int, frozen: Int, account: Int64) {
        try await client.wallet(token)
    }

    private func checkAgainstLedger(_ client: Client, _ token: String, _ test: TestServices) async throws {
        try await client.expectWalletMatchesLedger(token, test)
    }

    @Test func depositFundAndCancelMoveExactCents() async throws {
        try await withApp { client, test in
            let ada = try await client.session("ada@example.com")
            let (deposited, _) = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            #expect(deposited == .created)
            _ = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            #expect(try await usd(client, ada).available == 10_000)  // the replay did not pay twice
            let (conflict, _) = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"99.00","currency":"USD"}"#, idempotencyKey: "d1")
            #expect(conflict == .conflict)

            let id = try await task(client, ada, amount: "25.00")
            let (funded, body) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: ada)
            #expect(funded == .ok)
            let funding = try #require(body["data"] as? [String: Any])
            #expect((funding["escrow"] as? [String: Any])?["amount"] as? String == "27.50")
            #expect((funding["fee"] as? [String: Any])?["amount"] as? String == "2.50")
            #expect(funding["fee_rule"] as? String == "2026-11-v1")
            var wallet = try await usd(client, ada)
            #expect(wallet.available == 7_250)
            #expect(wallet.frozen == 2_750)
            try await checkAgainstLedger(client, ada, test)

            let (_, again) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: ada)
            #expect((again["data"] as? [String: Any])?["escrow_account_id"] as? Int == funding["escrow_account_id"] as? Int)
            #expect(try await usd(client, ada).available == 7_250)

            let (canceled, _) = try await client.send(.post, "/v1/tasks/\(id)/cancel", token: ada)
            #expect(canceled == .ok)
            wallet = try await usd(client, ada)
            #expect(wallet.available == 10_000)
            #expect(wallet.frozen == 0)
            try await checkAgainstLedger(client, ada, test)
        }
    }

    @Test func aShortWalletIsPaymentRequiredAndWritesNothing() async throws {
        try await withApp { client, test in
            let ada = try await client.session("ada@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"10.00","currency":"USD"}"#, idempotencyKey: "d1")
            let id = try await task(client, ada, amount: "10.00")
            let head = try test.ledger.head()
            let (status, body) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: ada)
            #expect(status.code == 402)
            #expect((body["error"] as? [String: Any])?["code"] as? String == "INSUFFICIENT_BALANCE")
            #expect(try test.ledger.head() == head)
            #expect(try test.services.settlement.funding(of: id) == nil)
            // After a top-up the same task funds normally.
            _ = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"1.00","currency":"USD"}"#, idempotencyKey: "d2")
            let (funded, _) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: ada)
            #expect(funded == .ok)
            #expect(try await usd(client, ada).available == 0)
            try await checkAgainstLedger(client, ada, test)
        }
    }

    @Test func concurrentFundsAndCancelsHaveExactlyOneEffect() async throws {
        try await withApp { client, test in
            let ada = try await client.session("ada@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let id = try await task(client, ada, amount: "20.00")
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 { group.addTask { try await client.send(.post, "/v1/tasks/\(id)/fund", token: ada).0 } }
                for try await status in group { #expect(status == .ok) }
            }
            #expect(try await usd(client, ada).available == 7_800)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 { group.addTask { try await client.send(.post, "/v1/tasks/\(id)/cancel", token: ada).0 } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 19)
            #expect(try await usd(client, ada).available == 10_000)
            try await checkAgainstLedger(client, ada, test)
        }
    }

    @Test func depositsAreTestModeOnlyAndValidated() async throws {
        try await withApp { client, _ in
            let ada = try await client.session("ada@example.com")
            let (_, keyBody) = try await client.send(.post, "/v1/keys", token: ada, json: #"{"name":"live","scopes":["wallet:read","wallet:write"],"mode":"live"}"#)
            let live = try #require((keyBody["data"] as? [String: Any])?["secret"] as? String)
            let (liveStatus, _) = try await client.send(.post, "/v1/wallet/deposits", token: live, json: #"{"amount":"1.00","currency":"USD"}"#, idempotencyKey: "x")
            #expect(liveStatus == .forbidden)
            for (json, key, field) in [(#"{"amount":"1.001","currency":"USD"}"#, "a", "amount"), (#"{"amount":"-1","currency":"USD"}"#, "b", "amount"),
                                       (#"{"amount":"1","currency":"EUR"}"#, "c", "currency"), (#"{"amount":"1","currency":"USD"}"#, "", "idempotency_key")] {
                let (status, body) = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: json, idempotencyKey: key)
                #expect(status == .badRequest)
                #expect((body["error"] as? [String: Any])?["field"] as? String == field)
            }
            #expect(try await usd(client, ada).available == 0)
        }
    }

    @Test func anotherUsersTaskCannotBeFundedOrCanceled() async throws {
        try await withApp { client, _ in
            let ada = try await client.session("ada@example.com")
            let bob = try await client.session("bob@example.com")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: bob, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let id = try await task(client, ada)
            let (fund, _) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: bob)
            #expect(fund == .notFound)
            #expect(try await usd(client, bob).available == 10_000)
        }
    }
}
