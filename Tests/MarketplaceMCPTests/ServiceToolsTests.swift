import Foundation
import HTTPTypes
import LedgerCore
import MCP
import Marketplace
import Testing
@testable import MarketplaceMCP

/// Seed 000's service tools over the same catalog REST calls: publish, search, read, order with
/// funding in one step (or nothing written), and the owner-approved payment of an order.
struct ServiceToolsTests {
    static let service: [String: Value] = [
        "title": "Translate a menu", "description": "French to English, one page", "category": "translation",
        "price": ["amount": "40.00", "currency": "USD"], "delivery_days": 3,
    ]

    @Test func aServiceIsPublishedSearchedOrderedAndPaidThroughTheTools() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let provider = try await harness.caller("provider@example.com", role: "human")
        let agent = try await harness.caller("agent@example.com")
        let published = try await harness.call("create_service", Self.service, as: provider)
        #expect(!published.isError, "\(published.text)")
        let serviceID = try #require(published.string("id"))
        #expect(published.string("price.amount") == "40.00")
        #expect(published.value("price.amount_minor") as? Int == 4_000)
        #expect(published.string("provider.id") == provider.userID)

        func found(_ arguments: [String: Value]) async throws -> [String] {
            let page = try await harness.call("search_services", arguments, as: agent)
            #expect(!page.isError, "\(page.text)")
            return (page["services"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try await found(["query": "MENU", "category": "translation", "max_price": "40.00"]) == [serviceID])
        #expect(try await found(["max_price": "39.99"]).isEmpty)
        #expect(try await found(["location_type": "local"]).isEmpty)
        let details = try await harness.call("get_service_details", ["service_id": .string(serviceID)], as: agent)
        #expect(details.string("title") == "Translate a menu")
        #expect(!details.text.contains("provider@example.com"))

        // A short wallet: nothing is written.
        let before = try harness.snapshot()
        let short = try await harness.call("order_service", ["service_id": .string(serviceID), "fund": ["source": "wallet"]], as: agent)
        #expect(short.code == "INSUFFICIENT_BALANCE")
        #expect(try harness.snapshot() == before)

        try await harness.withREST { client in
            let (deposited, _) = try await client.send(.post, "/v1/wallet/deposits", token: agent.key, json: #"{"amount":"100.00","currency":"USD"}"#,
                                                       idempotencyKey: "d1")
            #expect(deposited == .created)
        }
        let order = try await harness.call("order_service", ["service_id": .string(serviceID), "fund": ["source": "wallet"]], as: agent)
        #expect(!order.isError, "\(order.text)")
        let orderID = try #require(order.string("id"))
        #expect(order.string("task.status") == "assigned")
        #expect(order.string("task.worker_id") == provider.userID)
        #expect(order.string("funding.escrow.amount") == "44.00")  // 40.00 and the 10% fee on top
        #expect(try harness.available(harness.walletCode(agent.userID)) == 5_600)
        #expect(try harness.available(harness.escrowCode(orderID)) == 4_400)

        let own = try await harness.call("order_service", ["service_id": .string(serviceID)], as: provider)
        #expect(own.code == "CONFLICT")

        // An unfunded order, paid through the owner's approval.
        let later = try #require(try await harness.call("order_service", ["service_id": .string(serviceID)], as: agent).string("id"))
        let wrong = try await harness.call("prepare_order_payment", ["order_id": .string(later), "amount": "39.00"], as: agent)
        #expect(wrong.code == "VALIDATION_ERROR")
        #expect(wrong.field == "amount")
        let milestone = try await harness.call("prepare_order_payment", ["order_id": .string(later), "amount": "40.00", "milestone_id": "ms_1"], as: agent)
        #expect(milestone.field == "milestone_id")
        let prepared = try await harness.call("prepare_order_payment", ["order_id": .string(later), "amount": "40.00"], as: agent)
        #expect(prepared.string("status") == "awaiting_approval", "\(prepared.text)")
        #expect(prepared.string("approval.amount.amount") == "44.00")
        #expect(try harness.available(harness.walletCode(agent.userID)) == 5_600)  // nothing moves before the owner approves
        let approvalID = try #require(prepared.string("approval.id"))
        try await harness.withREST { client in
            let (approved, body) = try await client.send(.post, "/v1/funding-approvals/\(approvalID)/approve", token: agent.session)
            #expect(approved == .ok, "\(body)")
        }
        #expect(try harness.available(harness.walletCode(agent.userID)) == 1_200)
        #expect(try harness.available(harness.escrowCode(later)) == 4_400)
        let again = try await harness.call("prepare_order_payment", ["order_id": .string(later), "amount": "40.00"], as: agent)
        #expect(again.string("status") == "funded")
        #expect(try harness.ledger.verify().isClean)
    }
}
