import BaseConnector
import BaseFake
import Connectors
import Foundation
import LedgerCore
import MCP
import Marketplace
import MarketplaceHTTP
import StripeConnector
import StripeFake
import Testing
@testable import MarketplaceMCP

/// fund_task's three kinds of answer, each through the real connector against its fake:
/// funds from the wallet (elsewhere), a Stripe checkout URL, and x402 payment requirements
/// that a payment signed by x402's own client then settles on (fake) Base.
@Suite(.serialized)
struct FundingAnswersTests {
    @Test func aCardFundingAnswersWithTheCheckoutURL() async throws {
        let clock = ManualClock()
        let fake = FakeStripe(nowSeconds: clock.now / 1_000_000)
        try await FakeStripeServer.run(fake) { baseURL in
            let connector = StripeConnector(secretKey: fake.secretKey, webhookSecrets: [fake.webhookSecret], baseURL: baseURL,
                                            retry: .init(attempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(2), rateLimitedDelay: .milliseconds(2)))
            let harness = try await Harness(card: CardPayments(connector: connector, successURL: "https://agents.example/ok", cancelURL: "https://agents.example/cancel"),
                                            clock: clock)
            defer { harness.close() }
            let agent = try await harness.caller("agent@example.com")
            let taskID = try #require(try await harness.call("create_task", ToolArgumentsTests.task, as: agent).string("id"))
            let answer = try await harness.call("fund_task", ["task_id": .string(taskID), "source": "card", "success_url": "https://agents.example/paid"], as: agent)
            #expect(answer.string("status") == "checkout", "\(answer.text)")
            #expect(answer.string("checkout.status") == "open")
            #expect(answer.string("checkout.checkout_url")?.hasPrefix("https://checkout.stripe.com/") == true)
            #expect(answer.string("checkout.amount.amount") == "27.50")
            let request = try #require(fake.requests("POST", "/v1/checkout/sessions").first)
            #expect(request.params["line_items[0][price_data][unit_amount]"] == "2750")
            #expect(request.params["success_url"] == "https://agents.example/paid")
            // Nothing is funded until Stripe says the card paid.
            #expect(try await harness.call("get_task", ["task_id": .string(taskID)], as: agent).string("status") == "published")
            #expect(try harness.ledger.verify().isClean)
        }
    }

    /// The hot wallet's throwaway key (0x0123…ef × 4), the payTo of the x402 fixtures.
    static var hotKey: [UInt8] { Hex.decode(String(repeating: "0123456789abcdef", count: 4))! }
    /// The fixtures' payer (a throwaway key from eth-account's docs).
    static var payerKey: [UInt8] { Hex.decode("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")! }

    /// A payment header from x402's own Python client (Fixtures/x402), for 1.050000 USDC.
    static func fixture(_ id: String) throws -> String {
        let fixtures = try JSONSerialization.jsonObject(with: Data(PackageResources.payments_json)) as? [[String: Any]] ?? []
        return try #require(fixtures.first { $0["id"] as? String == id }?["header_value"] as? String)
    }

    @Test func aUSDCFundingAnswersWithRequirementsAndASignedPaymentSettlesOnChain() async throws {
        let clock = ManualClock()
        let node = FakeBaseNode(network: .baseSepolia, startSeconds: clock.now / 1_000_000)
        let key = try HotWalletKey(privateKey: Self.hotKey)
        let payer = try Secp256k1.address(of: Self.payerKey)
        node.setETHBalance(of: key.address, wei: 1_000_000_000_000_000_000)
        node.mintUSDC(to: payer, amount: 2_000_000)
        try await FakeBaseServer.run(node) { url in
            let rpc = EthereumRPC(url: url, retry: .init(attempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
            let chain = ChainPayments(chain: BaseChain(network: .baseSepolia, rpc: rpc, key: key), mode: .test, replaceAfterSeconds: 60)
            let harness = try await Harness(chain: chain, clock: clock)
            defer { harness.close() }
            try await harness.services.settlement.startChain()
            let agent = try await harness.caller("agent@example.com")
            // 0.954545 USDC with the 10 % fee on top is 1.050000 USDC, the fixtures' price.
            let task = ToolArgumentsTests.task(["budget": ["amount": "0.954545", "currency": "USDC"]])
            let taskID = try #require(try await harness.call("create_task", task, as: agent).string("id"))

            let required = try await harness.call("fund_task", ["task_id": .string(taskID), "source": "usdc"], as: agent)
            #expect(required.string("status") == "payment_required", "\(required.text)")
            #expect(required.string("payment_requirements.amount.amount") == "1.050000")
            #expect(required.string("payment_requirements.amount_base_units") == "1050000")
            #expect(required.string("payment_requirements.pay_to") == key.address.checksummed)
            #expect(required.string("payment_requirements.network") == "base-sepolia")
            #expect(required.value("payment_requirements.chain_id") as? Int == 84_532)
            let accepts = try #require((required.value("payment_requirements.x402.accepts") as? [[String: Any]])?.first)
            #expect(accepts["payTo"] as? String == key.address.checksummed)  // x402's own spelling, untouched
            #expect(accepts["amount"] as? String == "1050000")
            #expect(accepts["network"] as? String == "eip155:84532")

            let refused = try await harness.call("fund_task", ["task_id": .string(taskID), "payment": .string(try Self.fixture("v2-invalid-signed-for-base-mainnet")),
                                                               "x402_version": 2], as: agent)
            #expect(refused.code == "PAYMENT_REQUIRED", "\(refused.text)")
            #expect(refused.field == "signature")
            #expect(refused.value("details.payment_requirements.amount_base_units") as? String == "1050000")

            let settling = try await harness.call("fund_task", ["task_id": .string(taskID), "payment": .string(try Self.fixture("v2-1050000-60s-server-built-402"))],
                                                  as: agent)
            #expect(settling.string("status") == "settling", "\(settling.text)")
            #expect(settling.string("settlement.payer") == payer.checksummed)
            #expect(settling.string("settlement.amount.amount") == "1.050000")
            node.mine()
            node.markSafe()
            #expect(await harness.services.settlement.advanceChain().settled == 1)
            let funded = try await harness.call("fund_task", ["task_id": .string(taskID), "source": "usdc"], as: agent)
            #expect(funded.string("status") == "funded")
            #expect(funded.string("funding.source") == "authorization")
            #expect(try harness.available(harness.escrowCode(taskID, asset: .usdc)) == 1_050_000)
            #expect(node.usdcBalance(of: payer) == 950_000)
            #expect(try harness.ledger.verify().isClean)
        }
    }
}
