import LedgerCore
import Marketplace
import MarketplaceHTTP

/// What the finance checks at the end of a run found.
struct FinanceCheck: Sendable {
    /// The ledger against what the fake Stripe, the fake Base node and the test connector's log
    /// say they did, as `marketplace reconcile` makes it.
    let reconciliation: ReconciliationRun
    /// The ledger's proof of itself, as `marketplace ledger verify` makes it.
    let verify: VerifyReport

    var isClean: Bool { reconciliation.isClean && verify.isClean }
}

extension Simulation {
    /// The books after a run: reconciliation of every connector (which also books Stripe's fees
    /// from its balance transactions), then the ledger's own verification (every balance
    /// recomputed from the journal, debits equal to credits per asset, every constraint, the
    /// hash chain).
    func checkFinance(_ world: SimulationWorld) async throws -> FinanceCheck {
        let reconciliation = try await FinanceService(settlement: world.services.settlement).reconcile()
        return FinanceCheck(reconciliation: reconciliation, verify: try world.ledger.verify())
    }
}
