import Foundation
import HTTPTypes
import LedgerCore
import Marketplace
import MarketplaceHTTP
import Testing

/// Sums that would pass Int64 are typed 400s naming the field, never 500s; test deposits and
/// budgets are capped where they enter, so a budget that could never be funded is refused at
/// creation.
struct OverflowTests {
    private func error(_ body: [String: Any]) -> (code: String?, field: String?) {
        let error = body["error"] as? [String: Any]
        return (error?["code"] as? String, error?["field"] as? String)
    }

    /// The state an uncapped deposit once reached: the shared test clearing account within 1.00
    /// of Int64's end. It is put there by a ledger transfer (today's API refuses such a deposit);
    /// then another user's deposit and a connector funding each answer 400 on `amount`, and
    /// write nothing.
    @Test func aSharedAccountAtInt64sEndRefusesWithA400() async throws {
        try await withApp { client, test in
            let clearingAccount = try #require(ChartOfAccounts.standard.clearing(connector: "test", mode: .test, asset: .usd))
            let accounts = try await test.ledger.createAccounts([clearingAccount, NewAccount(code: "probe:test:sink", type: .liability, asset: .usd)])
            _ = try await test.ledger.commit([.posted(id: TransferID(9_000_000_000), debit: accounts[0].id, credit: accounts[1].id,
                                                      amountMinor: Int64.max - 99, asset: .usd)])
            let bob = try await client.session("bob@example.com")
            let head = try test.ledger.head()
            let (status, body) = try await client.send(.post, "/v1/wallet/deposits", token: bob, json: #"{"amount":"5.00","currency":"USD"}"#,
                                                       idempotencyKey: "after-the-end")
            #expect(status == .badRequest, "\(body)")
            #expect(error(body).code == "VALIDATION_ERROR")
            #expect(error(body).field == "amount")
            #expect(try test.ledger.head() == head)

            let (_, created) = try await client.send(.post, "/v1/tasks", token: bob, json: """
                {"title":"Count the chairs","description":"How many chairs in room 4?","category":"verification","budget":{"amount":"5.00","currency":"USD"}}
                """)
            let id = try #require((created["data"] as? [String: Any])?["id"] as? String)
            let (funded, fundBody) = try await client.send(.post, "/v1/tasks/\(id)/fund", token: bob, json: #"{"source":"connector"}"#)
            #expect(funded == .badRequest, "\(fundBody)")
            #expect(error(fundBody).field == "amount")
            #expect(try test.ledger.head() == head)
            #expect(try test.services.settlement.funding(of: id) == nil)
        }
    }

    @Test func depositsAndBudgetsPastTheirCapsAreRefusedWhereTheyEnter() async throws {
        try await withApp { client, test in
            let ada = try await client.session("ada@example.com")
            let overDeposit = MinorUnits.format(SettlementService.testDepositUnitsMax * 100 + 1, scale: 2)
            let (deposit, depositBody) = try await client.send(.post, "/v1/wallet/deposits", token: ada,
                                                               json: #"{"amount":"\#(overDeposit)","currency":"USD"}"#, idempotencyKey: "big")
            #expect(deposit == .badRequest)
            #expect(error(depositBody).field == "amount")
            let atCap = MinorUnits.format(SettlementService.testDepositUnitsMax * 100, scale: 2)
            let (capped, _) = try await client.send(.post, "/v1/wallet/deposits", token: ada, json: #"{"amount":"\#(atCap)","currency":"USD"}"#,
                                                    idempotencyKey: "cap")
            #expect(capped == .created)

            let before = try TestDatabase.snapshot(test.path)
            let overBudget = MinorUnits.format(TaskDraft.budgetUnitsMax * 100 + 1, scale: 2)
            for budget in [#"{"amount":"\#(overBudget)","currency":"USD"}"#,
                           #"{"amount":"1000.01","currency":"USD","type":"hourly","estimated_hours":1000}"#,
                           #"{"amount":"9223372036854775.00","currency":"USD","type":"hourly","estimated_hours":2}"#] {
                let (status, body) = try await client.send(.post, "/v1/tasks", token: ada, json: """
                    {"title":"Count the chairs","description":"How many chairs in room 4?","category":"verification","budget":\(budget)}
                    """)
                #expect(status == .badRequest, "\(budget): \(body)")
                #expect(error(body).field == "budget.amount", "\(budget): \(body)")
            }
            #expect(try TestDatabase.snapshot(test.path) == before)
        }
    }
}
