import BaseConnector
import Connectors
import Foundation
import LedgerCore
import Marketplace
import NIOHTTP1
import StripeFake

/// Funding a task the way its plan says; each answers the escrow the API named, which must be
/// the budget plus the fee the pricing gives it.
extension Simulation {
    private struct Source: Encodable { let source: String }

    func fund(_ task: TaskPlan, id: String, by agent: AgentSession) async throws -> Int64 {
        let escrowMinor: Int64
        switch task.funding {
        case .wallet, .chainDeposit, .testConnector:
            let funding: APIAnswers.Funding = try await world.api.call("fund \(id)", .POST, "/v1/tasks/\(id)/fund", token: agent.key,
                                                                       payload: Source(source: task.funding == .testConnector ? "connector" : "wallet"))
            guard funding.fee.amountMinor == task.split.feeMinor else {
                throw SimulationError.mismatch("\(id)'s fee is \(funding.fee.amountMinor); the pricing says \(task.split.feeMinor)")
            }
            escrowMinor = funding.escrow.amountMinor
        case .card:
            escrowMinor = try await fundByCard(id, by: agent)
        case .authorization:
            escrowMinor = try await fundByAuthorization(task, id: id, by: agent)
        }
        guard escrowMinor == task.split.escrowMinor else {
            throw SimulationError.mismatch("\(id)'s escrow is \(escrowMinor); the pricing says \(task.split.escrowMinor)")
        }
        return escrowMinor
    }

    /// A checkout opened through the API, paid at the fake Stripe, and its signed
    /// `checkout.session.completed` delivered to the webhook route, which funds the task.
    private func fundByCard(_ id: String, by agent: AgentSession) async throws -> Int64 {
        let checkout: APIAnswers.Checkout = try await world.api.call("open \(id)'s checkout", .POST, "/v1/tasks/\(id)/fund", token: agent.key,
                                                                     payload: Source(source: "card"), expect: [202])
        guard let session = checkout.sessionId, let amount = checkout.amount else {
            throw SimulationError.mismatch("\(id)'s checkout names no session or amount")
        }
        let outcome = try await world.stripe.deliver(try world.stripe.fake.pay(session))
        guard outcome == "applied" else { throw SimulationError.mismatch("\(id)'s paid checkout was \(outcome)") }
        return amount.amountMinor
    }

    /// x402 as its client pays: the 402 names the price and where to pay; the agent signs an
    /// EIP-3009 authorization for it and sends it again in X-PAYMENT; the hot wallet settles it
    /// on chain, and the task is funded once the block is safe.
    private func fundByAuthorization(_ task: TaskPlan, id: String, by agent: AgentSession) async throws -> Int64 {
        let path = "/v1/tasks/\(id)/fund"
        let body = try Array(APIClient.encoder.encode(Source(source: "usdc")))
        let required = try await world.api.send(.POST, path, token: agent.key, body: body)
        guard required.status == 402 else { throw SimulationError.unexpected(step: "ask \(id)'s price", status: required.status, body: required.text) }
        guard let requirement = try APIClient.decode(X402Payment.Required.self, from: required, step: "read \(id)'s price").accepts.first else {
            throw SimulationError.mismatch("\(id)'s 402 accepts no payment")
        }
        let header = try X402Payment.header(for: requirement, payer: agent.plan, nonce: task.authorizationNonce, nowSeconds: world.clock.now / 1_000_000)
        let response = try await world.api.send(.POST, path, token: agent.key, body: body, headers: [(X402.v1PaymentHeader, header)])
        let settling: APIAnswers.Settling = try APIClient.data(of: response, step: "pay for \(id)", expect: [202])
        let calls = try await settleCalls(of: id, asset: .usdc, by: agent, refundSucceeds: true)
        guard calls.contains(where: { $0.kind == "authorization" && $0.state == "settled" }) else {
            throw SimulationError.mismatch("\(id)'s authorization did not settle: \(calls.map { "\($0.kind):\($0.state)" })")
        }
        return settling.amount.amountMinor
    }
}

/// An agent's x402 payment (version 1, scheme "exact"): a USDC EIP-3009 authorization for what
/// the 402 asked, signed with the agent's payer key, as x402's own client builds it.
enum X402Payment {
    struct Requirement: Decodable, Sendable {
        let network: String
        let maxAmountRequired: String
        let payTo: String
        let maxTimeoutSeconds: Int64
    }

    struct Required: Decodable, Sendable { let accepts: [Requirement] }

    static func header(for requirement: Requirement, payer: AgentPlan, nonce: [UInt8], nowSeconds: Int64) throws -> String {
        guard let network = BaseNetwork.named(requirement.network), let amount = UInt64(requirement.maxAmountRequired) else {
            throw SimulationError.mismatch("a 402 asks for \(requirement.maxAmountRequired) on \(requirement.network)")
        }
        let validBefore = UInt64(nowSeconds + requirement.maxTimeoutSeconds)
        let authorization = TransferAuthorization(from: payer.payer, to: try EthereumAddress(requirement.payTo), value: UInt256(amount),
                                                  validAfter: UInt256(0), validBefore: UInt256(validBefore), nonce: nonce)
        let signature = try authorization.signed(on: network, privateKey: payer.payerKey)
        return X402.encode([
            "x402Version": 1, "scheme": "exact", "network": requirement.network,
            "payload": [
                "signature": Hex.encode(signature.bytes65),
                "authorization": ["from": payer.payer.checksummed, "to": authorization.to.checksummed, "value": String(amount), "validAfter": "0",
                                  "validBefore": String(validBefore), "nonce": Hex.encode(nonce)],
            ] as [String: Any],
        ])
    }
}
