import BaseConnector
import BaseFake
import LedgerCore
import Marketplace
import NIOHTTP1

/// The money a plan spends, put in place before any task: each agent's wallet gets exactly what
/// its wallet-funded tasks will put in escrow (test deposits, and USDC deposited on chain from
/// its payer address, credited once the block is safe); its payer address holds what its x402
/// payments authorize; the hot wallet holds a float as large as every USDC payout could be,
/// since work funded by test deposits is paid out on chain too. The float is minted at the
/// fake node, outside the ledger (no recipe books a treasury top-up yet).
extension Simulation {
    func putMoneyInPlace(for agents: [AgentSession]) async throws {
        // A first round: the deposit watcher starts reading at the safe head it sees then.
        await world.chain.settle()
        _ = try await concurrently(agents) { agent in try await deposit(for: agent) }
        let floatMinor = plan.tasks.filter { $0.asset == .usdc }.reduce(0) { $0 + $1.split.payoutMinor }
        world.node.mintUSDC(to: world.hotWallet, amount: UInt64(floatMinor))
        for attempt in 1...Self.settleAttemptsMax {
            await world.chain.settle()
            let short = try await concurrently(agents) { agent in try await isShort(agent) }.filter { $0 }.count
            if short == 0 { return }
            if attempt == Self.settleAttemptsMax { throw SimulationError.stalled("\(short) agents' on-chain deposits were never credited") }
        }
    }

    private func deposit(for agent: AgentSession) async throws {
        struct Deposit: Encodable {
            let amount: String
            let currency: String
        }
        for asset in [Asset.usd, .usdc] {
            let amountMinor = plan.escrowMinor(of: agent.plan.index, funding: .wallet, asset: asset)
            guard amountMinor > 0 else { continue }
            let _: APIClient.Ignored = try await world.api.call(
                "deposit \(asset.code) for \(agent.plan.email)", .POST, "/v1/wallet/deposits", token: agent.key,
                payload: Deposit(amount: MinorUnits.format(amountMinor, scale: asset.scale), currency: asset.code),
                headers: [("Idempotency-Key", "simulate-deposit-\(agent.plan.index)-\(asset.code)")], expect: [201])
        }
        let onChainMinor = plan.escrowMinor(of: agent.plan.index, funding: .chainDeposit, asset: .usdc)
        let authorizedMinor = plan.escrowMinor(of: agent.plan.index, funding: .authorization, asset: .usdc)
        guard onChainMinor + authorizedMinor > 0 else { return }
        world.node.mintUSDC(to: agent.plan.payer, amount: UInt64(onChainMinor + authorizedMinor))
        guard onChainMinor > 0 else { return }
        struct Address: Encodable { let address: String }
        let _: APIClient.Ignored = try await world.api.call("register \(agent.plan.email)'s deposit address", .POST, "/v1/deposit-addresses",
                                                           token: agent.key, payload: Address(address: agent.plan.payer.checksummed), expect: [201])
        world.node.externalTransfer(from: agent.plan.payer, to: world.hotWallet, amount: UInt64(onChainMinor))
    }

    /// True while the agent's USDC wallet lacks a deposit it is owed.
    private func isShort(_ agent: AgentSession) async throws -> Bool {
        let owedMinor = plan.escrowMinor(of: agent.plan.index, funding: .wallet, asset: .usdc)
            + plan.escrowMinor(of: agent.plan.index, funding: .chainDeposit, asset: .usdc)
        guard plan.escrowMinor(of: agent.plan.index, funding: .chainDeposit, asset: .usdc) > 0 else { return false }
        let wallets: [APIAnswers.Wallet] = try await world.api.call("read \(agent.plan.email)'s wallets", .GET, "/v1/wallet", token: agent.key)
        let availableMinor = wallets.first { $0.asset == Asset.usdc.code }?.available.amountMinor ?? 0
        guard availableMinor <= owedMinor else {
            throw SimulationError.mismatch("\(agent.plan.email) holds \(availableMinor) USDC base units; it was owed \(owedMinor)")
        }
        return availableMinor < owedMinor
    }
}
