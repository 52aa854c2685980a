import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import StripeFake
import Testing
@testable import MarketplaceHTTP

/// Finance over real flows: reports from the ledger alone, reconciliation against the fake
/// Stripe and the test connector's log (clean, then with breaks injected), period close and
/// corrections.
struct FinanceTests {
    static let task = #"{"title":"Check the address","description":"Is 12 Main St a shop?","category":"verification","budget":{"amount":"25.00","currency":"USD"}}"#

    /// A task funded from the agent's wallet and assigned to `worker`.
    static func fundedTask(_ client: some TestClientProtocol, agent: String, worker: String) async throws -> String {
        let task = try await client.createTask(agent, Self.task)
        let (funded, _) = try await client.send(.post, "/v1/tasks/\(task)/fund", token: agent)
        #expect(funded == .ok)
        let (_, application) = try await client.send(.post, "/v1/tasks/\(task)/applications", token: worker, json: #"{"message":"me"}"#)
        let applicationID = try #require(data(application)["id"] as? String)
        let (accepted, _) = try await client.send(.post, "/v1/tasks/\(task)/applications/\(applicationID)/accept", token: agent)
        #expect(accepted == .ok)
        return task
    }

    static func approve(_ client: some TestClientProtocol, _ task: String, agent: String, worker: String) async throws {
        _ = try await client.send(.post, "/v1/tasks/\(task)/submissions", token: worker, json: #"{"deliverables":[{"kind":"text","value":"done"}]}"#)
        let (approved, _) = try await client.send(.post, "/v1/tasks/\(task)/approve", token: agent)
        #expect(approved == .ok)
    }

    static func rows(_ report: FinanceReport, _ table: String) -> [[String: String]] {
        guard let table = report.table(table) else { return [] }
        return table.rows.map { row in Dictionary(uniqueKeysWithValues: zip(table.columns, row.map(\.text))) }
    }

    @Test func reportsRollForwardAndPeriodCloseComeFromTheLedger() async throws {
        try await withApp { client, test in
            let finance = FinanceService(settlement: test.services.settlement)
            let start = test.clock.now
            let agent = try await client.session("agent@example.com")
            let worker = try await client.session("worker@example.com", role: "human")
            let agentID = try await client.userID(agent)
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"100.00","currency":"USD"}"#, idempotencyKey: "d1")
            let paid = try await Self.fundedTask(client, agent: agent, worker: worker)
            try await Self.approve(client, paid, agent: agent, worker: worker)
            let canceled = try await client.createTask(agent, Self.task)
            _ = try await client.send(.post, "/v1/tasks/\(canceled)/fund", token: agent)
            _ = try await client.send(.post, "/v1/tasks/\(canceled)/cancel", token: agent)
            let held = try await Self.fundedTask(client, agent: agent, worker: worker)
            let (withdrew, _) = try await client.send(.post, "/v1/wallet/withdrawals", token: worker, json: #"{"amount":"10.00","currency":"USD"}"#, idempotencyKey: "w1")
            #expect(withdrew == .ok || withdrew == .created)
            test.clock.advance(seconds: 10 * 86_400)
            let now = test.clock.now

            // Trial balance: debits = credits, and the wallets as the API shows them.
            let trial = try finance.trialBalance(asOf: now)
            #expect(Self.rows(trial, "totals") == [["asset": "USD", "debits": "90.00", "credits": "90.00", "balanced": "yes"]])
            let lines = Dictionary(uniqueKeysWithValues: Self.rows(trial, "lines").map { ($0["account"]!, $0) })
            #expect(lines["wallet:user:test:\(agentID):USD"]?["credit"] == "45.00")
            #expect(lines["revenue:fees:test:USD"]?["credit"] == "2.50")
            #expect(lines["clearing:test:USD"]?["debit"] == "90.00")
            // Nothing existed before the first deposit.
            #expect(try finance.trialBalance(asOf: start - 1).table("lines")?.rows.isEmpty == true)
            #expect(Self.rows(try finance.balanceSheet(asOf: now), "equation").map { $0["balanced"] } == ["yes"])

            let all = try ReportPeriod(from: start, to: now + 1)
            let fees = Self.rows(try finance.feeRevenue(all, by: .month), "lines")
            #expect(fees.map { [$0["asset"]!, $0["mode"]!, $0["fees"]!, $0["net"]!] } == [["USD", "test", "2.50", "2.50"]])
            let frozen = try finance.frozenFunds(asOf: now)
            #expect(Self.rows(frozen, "lines").map { [$0["task"]!, $0["amount"]!, $0["age_days"]!, $0["bucket"]!] } == [[held, "27.50", "10", "8-30"]])
            #expect(Self.rows(frozen, "buckets") == [["bucket": "8-30", "asset": "USD", "tasks": "1", "amount": "27.50"]])
            let flows = Self.rows(try finance.payoutsAndRefunds(all, by: .day), "lines").map { [$0["connector"]!, $0["kind"]!, $0["amount"]!] }
            #expect(flows == [["test", "payout", "10.00"], ["wallet", "refund", "27.50"], ["wallet", "released", "25.00"]])
            let statement = try finance.statement(user: agentID, all)
            #expect(Self.rows(statement, "balances").first { $0["asset"] == "USD" }.map { [$0["opening"]!, $0["closing"]!] } == ["0.00", "45.00"])
            #expect(Self.rows(statement, "lines").map { $0["type"]! } == ["deposit", "funding", "funding", "refund", "funding"])

            let rollForward = try finance.rollForward(all)
            #expect(Self.rows(rollForward, "escrow") == [["asset": "USD", "opening": "0.00", "funded": "82.50", "released": "25.00", "refunded": "27.50",
                                                         "fees": "2.50", "other": "0.00", "closing": "27.50", "trial_balance": "27.50", "ties": "yes"]])
            #expect(Self.rows(rollForward, "wallets").allSatisfy { $0["ties"] == "yes" })

            // CSV: a header and one line per row, money as decimals.
            let csv = try #require(trial.csv()).split(separator: "\r\n")
            #expect(csv.first == "asset,account,type,debit,credit")
            #expect(csv.contains("USD,revenue:fees:test:USD,revenue,,2.50"))
            #expect(trial.csv(table: "totals") == "asset,debits,credits,balanced\r\nUSD,90.00,90.00,yes\r\n")
            #expect(trial.csv(table: "nope") == nil)

            // The same reports over HTTP, for finance only.
            let admin = try await test.adminToken("finance@example.com")
            let (ok, body) = try await client.send(.get, "/v1/finance/reports/trial-balance", token: admin)
            #expect(ok == .ok)
            #expect(((data(body)["totals"] as? [[String: Any]])?.first)?["balanced"] as? String == "yes")
            let (forbidden, _) = try await client.send(.get, "/v1/finance/reports/trial-balance", token: agent)
            #expect(forbidden == .forbidden)
            let (unknown, unknownBody) = try await client.send(.get, "/v1/finance/reports/nope", token: admin)
            #expect(unknown == .notFound)
            #expect((unknownBody["error"] as? [String: Any])?["message"] as? String == "no report 'nope'; reports: \(ReportName.list)")
            let (badTable, badTableBody) = try await client.send(.get, "/v1/finance/reports/roll-forward?format=csv&table=nope", token: admin)
            #expect(badTable == .badRequest)
            #expect(errorField(badTableBody) == "table")
            let (badBy, badByBody) = try await client.send(.get, "/v1/finance/reports/fee-revenue?by=year", token: admin)
            #expect(badBy == .badRequest)
            #expect(errorField(badByBody) == "by")

            // Close the day everything happened on: it ties, and is frozen from then on.
            let day = Timestamps.date(days: Timestamps.days(start))
            let (closed, _) = try await finance.closePeriod(named: day, by: "finance")
            #expect(closed.endsAt == (Timestamps.days(start) + 1) * 86_400_000_000)
            await #expect(throws: MarketplaceError.conflict(field: "period", message: PeriodError.alreadyClosed(name: day).description)) {
                _ = try await finance.closePeriod(named: day, by: "finance")
            }
            let tomorrowOfNow = Timestamps.date(days: Timestamps.days(now) + 1)
            await #expect(throws: MarketplaceError.self) { _ = try await finance.closePeriod(named: tomorrowOfNow, by: "finance") }

            // A correction of the closed day's fee lands in the open period, naming both.
            let feeAccount = try #require(try test.ledger.account(code: "revenue:fees:test:USD"))
            let feeTransfer = try #require(try test.ledger.statement(of: feeAccount.id)?.entries.first?.transfer)
            let correction = try await finance.correct(transfer: feeTransfer.id, amountMinor: 50, reason: "fee rule misapplied", key: "c1", by: "finance")
            #expect(correction.timestamp >= closed.endsAt)
            #expect(correction.reversesID == feeTransfer.id)
            #expect(correction.metadata?.contains(#""period":"\#(day)""#) == true)
            let again = try await finance.correct(transfer: feeTransfer.id, amountMinor: 50, reason: "fee rule misapplied", key: "c1", by: "finance")
            #expect(again.id == correction.id)
            await #expect(throws: MarketplaceError.validation(field: "amount", message: "a correction reverses between 1 and 250 minor units of transfer \(feeTransfer.id)")) {
                _ = try await finance.correct(transfer: feeTransfer.id, amountMinor: 251, reason: "too much", key: "c2", by: "finance")
            }
            // The closed day's figures do not move; today's show the correction.
            #expect(Self.rows(try finance.trialBalance(asOf: closed.endsAt - 1), "lines").first { $0["account"] == "revenue:fees:test:USD" }?["credit"] == "2.50")
            #expect(Self.rows(try finance.trialBalance(asOf: test.clock.now), "lines").first { $0["account"] == "revenue:fees:test:USD" }?["credit"] == "2.00")
            #expect(try test.ledger.verify().isClean)
        }
    }

    @Test func theJournalExportSumsToTheTrialBalance() async throws {
        try await withApp { client, test in
            let finance = FinanceService(settlement: test.services.settlement)
            let agent = try await client.session("agent@example.com")
            let worker = try await client.session("worker@example.com", role: "human")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"60.00","currency":"USD"}"#, idempotencyKey: "d1")
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"3.250001","currency":"USDC"}"#, idempotencyKey: "d2")
            let task = try await Self.fundedTask(client, agent: agent, worker: worker)
            try await Self.approve(client, task, agent: agent, worker: worker)
            var journal = ""
            try finance.exportJournal { journal += $0 }
            // Sum each account's postings as a journal reader would, and compare.
            var sums: [String: Int64] = [:]
            for line in journal.split(separator: "\n") where line.hasPrefix("    ") && !line.hasPrefix("    ;") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                let amount = String(parts[1])
                let scale = amount.split(separator: ".").last?.count ?? 0
                sums[String(parts[0]).split(separator: ":", maxSplits: 1).last.map(String.init) ?? "", default: 0] += try MinorUnits.parse(amount.replacingOccurrences(of: "-", with: ""), scale: scale) * (amount.hasPrefix("-") ? -1 : 1)
            }
            let trial = Self.rows(try finance.trialBalance(asOf: test.clock.now), "lines")
            #expect(trial.count == sums.filter { $0.value != 0 }.count)
            for line in trial {
                let asset = try #require(Asset.named(line["asset"]!))
                let expected = line["debit"]!.isEmpty ? -(try MinorUnits.parse(line["credit"]!, scale: asset.scale)) : try MinorUnits.parse(line["debit"]!, scale: asset.scale)
                #expect(sums[line["account"]!] == expected, "\(line["account"]!)")
            }
            #expect(journal.contains("commodity 1000.000000 USDC"))
        }
    }

    @Test func reconciliationIsCleanThenNamesEveryInjectedBreak() async throws {
        try await CardFundingTests.withStripe { stripe in
            let client = stripe.client, test = stripe.test
            let finance = FinanceService(settlement: test.services.settlement)
            // Card: A paid and approved (charge + Connect transfer); B paid and refunded; C paid, refund still pending.
            let (paidTask, agent, worker) = try await PayoutTests.assignedCardTask(stripe)
            try await Self.approve(client, paidTask, agent: agent, worker: worker)
            let (refunded, refundedSession) = try await CardFundingTests.checkout(stripe, agent)
            try await stripe.deliver(try stripe.fake.pay(refundedSession))
            _ = try await client.send(.post, "/v1/tasks/\(refunded)/cancel", token: agent)
            let refundID = try #require(stripe.fake.refundIDs().first)
            for event in try stripe.fake.settleRefund(refundID, succeeded: true) { try await stripe.deliver(event) }
            let (pending, pendingSession) = try await CardFundingTests.checkout(stripe, agent)
            try await stripe.deliver(try stripe.fake.pay(pendingSession))
            _ = try await client.send(.post, "/v1/tasks/\(pending)/cancel", token: agent)
            // The test connector: a deposit and a withdrawal.
            _ = try await client.send(.post, "/v1/wallet/deposits", token: agent, json: #"{"amount":"40.00","currency":"USD"}"#, idempotencyKey: "d1")
            _ = try await client.send(.post, "/v1/wallet/withdrawals", token: agent, json: #"{"amount":"15.00","currency":"USD"}"#, idempotencyKey: "w1")

            let clean = try await finance.reconcile()
            #expect(clean.breaks == [], "\(clean.breaks.map(\.detail))")
            #expect(clean.feeLinesBooked == 3)  // one fee per charge
            let stripeMatch = try #require(clean.connectors.first { $0.connector == "stripe" })
            #expect(stripeMatch.matchedByReference == 8)  // 3 charges, 3 fees, 1 transfer, 1 refund
            #expect(stripeMatch.matchedByAmount == 0)
            #expect(clean.connectors.first { $0.connector == "test" }?.matchedByReference == 2)

            // Break the books: each kind, once.
            let charges = stripe.fake.requests("POST", "/v1/transfers").compactMap { $0.params["source_transaction"] }
            let paidCharge = try #require(charges.first)
            stripe.fake.duplicateBalanceTransaction(of: paidCharge)
            stripe.fake.dropBalanceTransaction(of: refundID)
            let unknown = stripe.fake.bookUnknownTransfer(amount: 1_234, destination: "acct_1Stranger")
            let refundedCharge = try #require(stripe.fake.chargeID(ofSession: refundedSession))
            stripe.fake.shiftBalanceTransaction(of: refundedCharge, by: 1)
            let outsider = try DatabaseQueue(path: test.path)
            try await outsider.write { db in try db.execute(sql: "DELETE FROM test_connector_log WHERE kind = 'deposit'") }
            try outsider.close()
            test.clock.advance(seconds: 4 * 86_400)  // C's refund has been pending four days now

            let broken = try await finance.reconcile()
            let found = Set(broken.breaks.map { "\($0.kind.rawValue) \($0.connector)" })
            #expect(found == ["duplicated stripe", "missing_at_processor stripe", "missing_in_ledger stripe", "amount_mismatch stripe",
                              "missing_at_processor test", "clearing_drift stripe"], "\(broken.breaks.map(\.detail))")
            #expect(broken.breaks.count == 6)
            #expect(broken.breaks.first { $0.kind == .missingAtProcessor && $0.connector == "stripe" }?.reference == refundID)
            #expect(broken.breaks.first { $0.kind == .missingInLedger }?.reference == unknown)
            #expect(broken.breaks.first { $0.kind == .missingInLedger }?.processorMinor == -1_234)
            let mismatch = try #require(broken.breaks.first { $0.kind == .amountMismatch })
            #expect((mismatch.ledgerMinor, mismatch.processorMinor) == (2_750, 2_751))
            #expect(broken.breaks.first { $0.kind == .duplicated }?.processorMinor == 5_500)
            #expect(broken.breaks.first { $0.kind == .clearingDrift }?.detail.contains("clearing:stripe:test:USD has held 27.50 USD") == true)
            #expect(broken.newBreaks.count == 6)
            #expect(broken.previousRunID == clean.id)

            // The next run shows the same breaks as seen before, nothing new, nothing resolved.
            let again = try await finance.reconcile()
            #expect(again.breaks.count == 6)
            #expect(again.newBreaks.isEmpty)
            #expect(again.resolved.isEmpty)

            // Over HTTP: the latest run, and a run on demand.
            let admin = try await test.adminToken("finance@example.com")
            let (ok, body) = try await client.send(.get, "/v1/finance/reconciliations/latest", token: admin)
            #expect(ok == .ok)
            #expect((data(body)["breaks"] as? [[String: Any]])?.count == 6)
            try stripe.expectClean()
        }
    }
}
