import Foundation
import LedgerCore
import MCP
import Marketplace
import MarketplaceViews

/// Funding a task: from the wallet or the test connector, by card (a checkout URL), or in USDC
/// (x402 payment requirements, then a signed authorization), as POST /v1/tasks/{id}/fund does.
enum FundingTools {
    static let definitions = [fundTask]

    static let sources = ["wallet", "connector", "card", "usdc"]

    static let fundTask = ToolDefinition(
        name: "fund_task", title: "Fund a task",
        description: """
            Puts the task's money (budget plus the fee on top, see get_pricing_info) into its escrow, which is \
            what lets you accept a worker. Funding twice returns the first funding. Answers with status: \
            "funded" (source wallet, default: from your wallet, INSUFFICIENT_BALANCE if short; source connector: \
            test mode only, the test connector pays at once); "awaiting_approval" (above your key's spend policy: it awaits \
            the account owner's approval, see approval.approve_url); "checkout" (source card: send the payer to \
            checkout.checkout_url, the task is funded when the card payment succeeds); "payment_required" \
            (source usdc without payment: sign an EIP-3009 TransferWithAuthorization for payment_requirements and \
            call again with payment); "settling" (the USDC settlement is on chain; get_task shows it funded once \
            confirmed). Needs wallet:write.
            """,
        input: Schema.object([
            "task_id": Schema.taskID,
            "source": Schema.string("Where the money comes from; wallet by default.", oneOf: sources),
            "success_url": Schema.string("card: where the checkout page sends the payer after paying."),
            "cancel_url": Schema.string("card: where the checkout page sends the payer who gives up."),
            "payment": Schema.string("""
                usdc: the x402 payment, base64 of its JSON exactly as the PAYMENT-SIGNATURE (x402 v2) or X-PAYMENT (v1) \
                header carries it, signed for the payment_requirements an earlier call returned.
                """),
            "x402_version": Schema.integer("usdc: the x402 version of payment (default 2).", minimum: 1, maximum: 2),
        ], required: ["task_id"]),
        idempotent: true, openWorld: true
    ) { call in
        let arguments = call.arguments
        let taskID = try arguments.requiredString("task_id")
        let source = arguments.string("source") ?? (arguments.string("payment") != nil ? "usdc" : "wallet")
        try arguments.refuse((source == "card" ? [] : ["success_url", "cancel_url"]) + (source == "usdc" ? [] : ["payment", "x402_version"]),
                             with: "source \(source)")
        let method: FundingMethod
        switch source {
        case "card": method = .card(successURL: arguments.string("success_url"), cancelURL: arguments.string("cancel_url"))
        case "usdc": method = .usdc(payment: try usdcPayment(call), resource: "/v1/tasks/\(taskID)/fund")
        case "connector": method = .testConnector
        default: method = .wallet
        }
        return try answer(try await call.tools.funding.fund(taskID, with: method, by: call.caller))
    }

    /// The outcome as fund_task answers it; a payment that did not verify is a refusal
    /// carrying the requirements, as x402's 402 does.
    private static func answer(_ outcome: FundingOutcome) throws -> FundingAnswer {
        switch outcome {
        case .funded(let funding, _): return FundingAnswer.funded(FundingView(funding))
        case .awaitingApproval(let approval): return FundingAnswer.awaitingApproval(FundingApprovalView(approval))
        case .checkout(let checkout): return FundingAnswer.checkout(CheckoutView(checkout))
        case .paymentRequired(let requirements, let reason, let field):
            let view = try PaymentRequirementsView(requirements, error: reason ?? "a signed payment is required")
            guard let reason else { return FundingAnswer.paymentRequired(view) }
            let details = try JSONDecoder().decode(Value.self, from: ToolOutput.encoder.encode(["payment_requirements": view] as [String: PaymentRequirementsView]))
            throw ToolRefusal(code: "PAYMENT_REQUIRED", message: reason, field: field ?? "payment", details: details)
        case .settling(let settling):
            return FundingAnswer.settling(SettlingView(taskId: settling.taskID, transaction: settling.transaction, payer: settling.payer,
                                                       network: settling.network, amount: MoneyView(minor: settling.amountMinor, asset: .usdc)))
        }
    }

    /// Reads the x402 payment; the parser names the HTTP header or a field inside it, which
    /// here is the argument `payment`.
    private static func payment(_ header: String, version: Int) throws(MarketplaceError) -> X402.Payment {
        do throws(MarketplaceError) {
            return try X402.payment(header: header, version: version)
        } catch {
            guard case .validation(let field, let message) = error else { throw error }
            let name = version == 1 ? X402.v1PaymentHeader : X402.v2PaymentHeader
            throw .validation(field: field == name ? "payment" : "payment.\(field)", message: message)
        }
    }

    /// The `payment` argument read as an x402 payment of `x402_version` (2 by default).
    private static func usdcPayment(_ call: ToolCall) throws -> X402.Payment? {
        let version = call.arguments.int("x402_version") ?? 2
        return try call.arguments.string("payment").map { (header) throws(MarketplaceError) -> X402.Payment in
            try Self.payment(header, version: version)
        }
    }
}

/// fund_task's answer: its status, the one part that status fills, and what to do next.
struct FundingAnswer: Encodable, Sendable {
    let status: String
    var funding: FundingView?
    var approval: FundingApprovalView?
    var checkout: CheckoutView?
    var paymentRequirements: PaymentRequirementsView?
    var settlement: SettlingView?
    let next: String

    static func funded(_ funding: FundingView) -> FundingAnswer {
        FundingAnswer(status: "funded", funding: funding,
                      next: "The escrow holds the money. Accept an applicant with respond_to_application (list_applications shows them).")
    }

    static func awaitingApproval(_ approval: FundingApprovalView) -> FundingAnswer {
        FundingAnswer(status: "awaiting_approval", approval: approval,
                      next: "Above this key's spend policy: the account owner approves at approval.approve_url, then the task is funded.")
    }

    static func checkout(_ checkout: CheckoutView) -> FundingAnswer {
        let next = switch CardCheckout.Status(rawValue: checkout.status) {
        case .paid?: "Paid: the task is funded."
        case .failed?: "The checkout expired or the payment failed; call fund_task with source card again for a new one."
        default: "Send the payer to checkout.checkout_url; the task is funded once the card payment succeeds (get_task shows it)."
        }
        return FundingAnswer(status: "checkout", checkout: checkout, next: next)
    }

    static func paymentRequired(_ requirements: PaymentRequirementsView) -> FundingAnswer {
        FundingAnswer(status: "payment_required", paymentRequirements: requirements,
                      next: "Sign an EIP-3009 TransferWithAuthorization of payment_requirements.amount_base_units USDC to pay_to, then call fund_task with payment.")
    }

    static func settling(_ settlement: SettlingView) -> FundingAnswer {
        FundingAnswer(status: "settling", settlement: settlement,
                      next: "The payment is held and its settlement is on chain; get_task shows the task funded once it is confirmed.")
    }
}

/// What a USDC funding costs, in x402's "exact" scheme: the fields to sign, and x402's own
/// v2 PAYMENT-REQUIRED object verbatim (camelCase, as x402 clients read it).
struct PaymentRequirementsView: Encodable, Sendable {
    let scheme = "exact"
    let network: String
    let chainId: UInt64
    let asset: String
    let payTo: String
    let amount: MoneyView
    /// The exact value to authorize, in USDC base units (6 decimals).
    let amountBaseUnits: String
    let maxTimeoutSeconds: Int64
    let resource: String
    let description: String
    let eip712Domain: [String: String]
    let x402: Value

    init(_ requirements: X402.Requirements, error: String) throws {
        network = requirements.network
        chainId = requirements.chainID
        asset = requirements.asset
        payTo = requirements.payTo
        amount = MoneyView(minor: requirements.amountMinor, asset: .usdc)
        amountBaseUnits = String(requirements.amountMinor)
        maxTimeoutSeconds = requirements.maxTimeoutSeconds
        resource = requirements.resource
        description = requirements.description
        eip712Domain = ["name": requirements.domainName, "version": requirements.domainVersion]
        let object = try JSONSerialization.data(withJSONObject: requirements.v2Object(error: error), options: [.sortedKeys])
        x402 = try JSONDecoder().decode(Value.self, from: object)
    }
}

/// A USDC payment held and being settled on chain.
struct SettlingView: Encodable, Sendable {
    let taskId: String
    let transaction: String?
    let payer: String
    let network: String
    let amount: MoneyView
}
