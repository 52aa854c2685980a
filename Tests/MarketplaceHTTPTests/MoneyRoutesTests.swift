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

    /// The API takes Idempotency-Keys of up to 255 characters; scoped for the ledger they would
    /// pass its own 255, so deposits and withdrawals with such keys used to fail with 500.
    @Test func longestIdempotencyKeysDepositAndWithdraw() async throws {
        try await withApp { client, test in
            let ada = try await client.session("ada@example.com")
            let longest = String(repeating: "k", count: SettlementService.idempotencyKeyLengthMax)
            let sibling = String(longest.dropLast()) + "j"  // same first 254 characters, another request
            let (first, _) = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"10.00","currency":"USD"}"#, idempotencyKey: longest)
            #expect(first == .created)
            let (second, _) = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"10.00","currency":"USD"}"#, idempotencyKey: sibling)
            #expect(second == .created)
            #expect(try await usd(client, ada).available == 2_000)
            let (withdrawn, body) = try await client.send(.post, "/v1/wallet/withdrawals", token: ada, json: #"{"amount":"3.00","currency":"USD"}"#,
                                                     idempotencyKey: String(repeating: "w", count: SettlementService.idempotencyKeyLengthMax))
            #expect(withdrawn == .created)
            #expect(data(body)["status"] as? String == "paid")
            #expect(try await usd(client, ada).available == 1_700)
            let (tooLong, tooLongBody) = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"1.00","currency":"USD"}"#,
                                                               idempotencyKey: longest + "k")
            #expect(tooLong == .badRequest)
            #expect((tooLongBody["error"] as? [String: Any])?["field"] as? String == "idempotency_key")
            #expect(try await usd(client, ada).available == 1_700)
            try await checkAgainstLedger(client, ada, test)
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

/// Lifetime figures, wallet history and withdrawals, checked against the ledger's own entries.
struct WalletHistoryTests {
    @Test func lifetimeFiguresHistoryAndWithdrawalsMatchTheLedger() async throws {
        try await withApp { client, test in
            let agent = try await client.session("agent@example.com")
            let human = try await client.session("human@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            var tasks: [String] = []
            for _ in 0..<3 {
                let id = try await client.createTask(agent, #"{"title":"t","description":"d","category":"research","budget":{"amount":"10.00","currency":"USD"}}"#)
                _ = try await client.send(.post, "/v1/tasks/\(id)/fund", token: agent)
                tasks.append(id)
            }
            _ = try await client.send(.post, "/v1/tasks/\(tasks[0])/cancel", token: agent)
            for id in tasks[1...] {
                let (_, application) = try await client.send(.post, "/v1/tasks/\(id)/applications", token: human, json: #"{"message":"me"}"#)
                _ = try await client.send(.post, "/v1/tasks/\(id)/applications/\(try #require(data(application)["id"] as? String))/accept", token: agent)
                _ = try await client.send(.post, "/v1/tasks/\(id)/submissions", token: human, json: #"{"deliverables":[{"kind":"text","value":"ok"}]}"#)
                _ = try await client.send(.post, "/v1/tasks/\(id)/approve", token: agent)
            }
            // The human withdraws 15.00 of the 20.00 earned, in two parts; more than is left is refused and moves nothing.
            let (tooMuch, tooMuchBody) = try await client.send(.post, "/v1/wallet/withdrawals", token: human, json: #"{"amount":"5.01","currency":"USD"}"#,
                                                               idempotencyKey: "w0")
            #expect(tooMuch == .created)  // 5.01 of 20.00 is fine
            #expect(data(tooMuchBody)["status"] as? String == "paid")
            let (refused, refusedBody) = try await client.send(.post, "/v1/wallet/withdrawals", token: human, json: #"{"amount":"15.00","currency":"USD"}"#,
                                                               idempotencyKey: "w1")
            #expect(refused.code == 402)
            #expect(errorCode(refusedBody) == "INSUFFICIENT_BALANCE")
            let (paid, _) = try await client.send(.post, "/v1/wallet/withdrawals", token: human, json: #"{"amount":"9.99","currency":"USD"}"#, idempotencyKey: "w2")
            #expect(paid == .created)
            #expect(try await client.wallet(human).available == 500)  // 20.00 − 5.01 − 9.99
            #expect(try test.ledger.account(code: "in-flight:payouts:test:USD")?.balance.posted(for: .liability) == 0)

            // Lifetime figures equal sums of the ledger's entries on the wallets, by recipe.
            let (_, agentWallet) = try await client.send(.get, "/v1/wallet", token: agent)
            let agentUSD = try #require((agentWallet["data"] as? [[String: Any]])?.first { $0["asset"] as? String == "USD" })
            let lifetime = try #require(agentUSD["lifetime"] as? [String: Any])
            func minor(_ object: [String: Any], _ key: String) -> Int? { (object[key] as? [String: Any])?["amount_minor"] as? Int }
            let agentEntries = try statement(test, try #require(agentUSD["account_id"] as? Int64))
            #expect(minor(lifetime, "funded") == 3_300)
            #expect(minor(lifetime, "funded") == agentEntries.filter { $0.transfer.code == RecipeCode.fund.rawValue }.map { Int($0.transfer.amountMinor) }.reduce(0, +))
            #expect(minor(lifetime, "refunded") == 1_100)
            #expect(minor(lifetime, "refunded") == agentEntries.filter { $0.transfer.code == RecipeCode.refund.rawValue }.map { Int($0.transfer.amountMinor) }.reduce(0, +))
            #expect(minor(lifetime, "paid_out") == 2_000)
            #expect(minor(lifetime, "fees") == 200)
            #expect(try test.ledger.account(code: "revenue:fees:test:USD")?.balance.posted(for: .revenue) == 200)
            let (_, humanWallet) = try await client.send(.get, "/v1/wallet", token: human)
            let humanUSD = try #require((humanWallet["data"] as? [[String: Any]])?.first { $0["asset"] as? String == "USD" })
            #expect(minor(try #require(humanUSD["lifetime"] as? [String: Any]), "earned") == 2_000)
            #expect(minor(try #require(humanUSD["lifetime"] as? [String: Any]), "withdrawn") == 1_500)

            // History: every entry, then one type, paged.
            let (_, all) = try await client.send(.get, "/v1/wallet/transactions?asset=USD", token: agent)
            #expect((data(all)["transactions"] as? [[String: Any]])?.map { $0["type"] as? String } == ["deposit", "funding", "funding", "funding", "refund"])
            let (_, firstPage) = try await client.send(.get, "/v1/wallet/transactions?type=funding&limit=2", token: agent)
            #expect((data(firstPage)["transactions"] as? [[String: Any]])?.count == 2)
            #expect(data(firstPage)["has_more"] as? Bool == true)
            let cursor = try #require(data(firstPage)["next_cursor"] as? String)
            let (_, secondPage) = try await client.send(.get, "/v1/wallet/transactions?type=funding&limit=2&cursor=\(cursor)", token: agent)
            #expect((data(secondPage)["transactions"] as? [[String: Any]])?.count == 1)
            #expect(data(secondPage)["has_more"] as? Bool == false)
            let (_, humanHistory) = try await client.send(.get, "/v1/wallet/transactions", token: human)
            #expect((data(humanHistory)["transactions"] as? [[String: Any]])?.map { $0["type"] as? String }
                    == ["earning", "earning", "withdrawal", "withdrawal_paid", "withdrawal", "withdrawal_paid"])
            let (badType, badTypeBody) = try await client.send(.get, "/v1/wallet/transactions?type=gift", token: agent)
            #expect(badType == .badRequest)
            #expect(errorField(badTypeBody) == "type")
            for token in [agent, human] { try await client.expectWalletMatchesLedger(token, test) }
        }
    }

    /// The test connector is test mode's only: a live withdrawal or a live funding through a
    /// connector is refused, and nothing is written.
    @Test func liveModeRefusesTheTestConnector() async throws {
        try await withApp { client, test in
            _ = try await client.session("agent@example.com")
            let (_, live) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"agent@example.com","password":"correct horse","mode":"live"}"#)
            let token = try #require(data(live)["access_token"] as? String)
            let task = try await client.createTask(token, #"{"title":"t","description":"d","category":"research","budget":{"amount":"10.00","currency":"USD"}}"#)
            let before = try TestDatabase.snapshot(test.path)
            let (funding, fundingBody) = try await client.send(.post, "/v1/tasks/\(task)/fund", token: token, json: #"{"source":"connector"}"#)
            #expect(funding == .forbidden)
            #expect(errorCode(fundingBody) == "FORBIDDEN")
            let (withdrawal, withdrawalBody) = try await client.send(.post, "/v1/wallet/withdrawals", token: token, json: #"{"amount":"1.00","currency":"USD"}"#)
            #expect(withdrawal == .forbidden)
            #expect(((withdrawalBody["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("live withdrawals are not built") == true)
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }

    private func statement(_ test: TestServices, _ account: Int64) throws -> [StatementEntry] {
        try #require(try test.ledger.statement(of: AccountID(account), limit: 1_000)).entries
    }
}
