import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// The month-end finance page over real flows: the period it says it covers, owners by name
/// beside their accounts, amounts with thousands grouped, subtotals, the balance sheet, fee
/// revenue and roll-forward, each frozen amount with its reason, and the reconciliation's
/// counts per connector. (Headless Chromium checks the rendered DOM against the JSON reports
/// in `make test`'s finance-check.)
struct FinancePageTests {
    static func page(_ client: some TestClientProtocol, _ query: String, token: String) async throws -> (HTTPResponse.Status, String) {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        return try await client.execute(uri: "/v1/finance/report.html\(query)", method: .get, headers: headers, body: nil) { response in
            (response.status, String(decoding: response.body.readableBytesView, as: UTF8.self))
        }
    }

    @Test func thePageIsAMonthEndPackWithNamesGroupsAndReasons() async throws {
        try await withApp { client, test in
            _ = try await test.services.auth.register(Registration(email: "ada@example.com", password: "correct horse", fullName: "Ada Lovelace", role: "agent"))
            let (_, login) = try await client.send(.post, "/v1/auth/login", json: #"{"email":"ada@example.com","password":"correct horse"}"#)
            let agent = try #require((login["data"] as? [String: Any])?["access_token"] as? String)
            let worker = try await client.session("worker@example.com", role: "human")
            let (deposited, _) = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"1234.56","currency":"USD"}"#, idempotencyKey: "d1")
            #expect(deposited == .created || deposited == .ok)
            let paid = try await FinanceTests.fundedTask(client, agent: agent, worker: worker)
            try await FinanceTests.approve(client, paid, agent: agent, worker: worker)
            let held = try await client.createTask(agent, FinanceTests.task)
            let (funded, _) = try await client.send(.post, "/v1/tasks/\(held)/fund", token: agent)
            #expect(funded == .ok)
            let admin = try await test.adminToken("finance@example.com")
            let (reconciled, _) = try await client.send(.post, "/v1/finance/reconciliations", token: admin)
            #expect(reconciled == .ok || reconciled == .created)

            let month = String(Timestamps.format(test.clock.now).prefix(7))
            let (status, html) = try await Self.page(client, "?period=\(month)", token: admin)
            #expect(status == .ok)
            // The period is the month asked for, and the balances are as of its last moment.
            #expect(html.contains(#"<dd id="period" data-from="\#(month)-01T00:00:00.000000Z""#))
            let lastDay = Timestamps.date(days: Timestamps.days(try ReportPeriod(named: month).to - 1))
            #expect(html.contains(">\(month)-01 to \(lastDay)</dd>"))
            // Owners by name beside their account codes; amounts with thousands grouped.
            #expect(html.contains(#"<span class="owner">Ada Lovelace</span>wallet:user:test:"#))
            #expect(html.contains(#"<span class="owner">Check the address</span>escrow:task:test:\#(held)"#))
            #expect(html.contains(">1,234.56<"), "the deposit as a finance person reads it")
            // Grouped by type and subtotalled; the balance sheet, fee revenue and roll-forward are on the page.
            #expect(html.contains(#"<tr class="type-head" data-type="liability"><th colspan="4">Liabilities</th></tr>"#))
            #expect(html.contains(#"<tr class="type-total" data-type="liability">"#))
            #expect(html.contains(#"<table class="balance-sheet" data-asset="USD" data-balanced="yes">"#))
            #expect(html.contains(#"<table id="fee-revenue" data-table="lines">"#))
            #expect(html.contains(#"<table id="roll-forward-escrow" data-table="escrow">"#))
            #expect(html.contains(#"<table id="roll-forward-wallets" data-table="wallets">"#))
            // The frozen 27.50 (25.00 and the fee on top) says why it is frozen.
            #expect(html.contains(#"<tr data-task="\#(held)" data-status="published" data-amount="27.50">"#), "the budget and the fee on top")
            #expect(html.contains("funded, waiting for a worker to be accepted"))
            // The reconciliation's counts per connector.
            #expect(html.contains(#"<tr data-connector="test" data-breaks="0">"#))
            #expect(html.contains("No breaks: the ledger and the processors agree."))
            #expect(!html.contains("{{"), "every template tag was filled")

            // With no period named, the page covers the month to date.
            let (_, current) = try await Self.page(client, "", token: admin)
            let today = Timestamps.format(Int64(Date().timeIntervalSince1970 * 1_000_000))
            #expect(current.contains(#"data-from="\#(today.prefix(7))-01T00:00:00.000000Z""#))
            let (bad, badBody) = try await Self.page(client, "?period=2026-13", token: admin)
            #expect(bad == .badRequest)
            #expect(badBody.contains(#""field":"period""#))
        }
    }
}
