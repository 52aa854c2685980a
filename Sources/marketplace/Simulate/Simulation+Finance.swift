import LedgerCore

/// What the finance checks at the end of a run found.
struct FinanceCheck: Sendable {
    /// The ledger's proof of itself, as `marketplace ledger verify` makes it.
    let verify: VerifyReport

    var isClean: Bool { verify.isClean }
}

extension Simulation {
    /// The books after a run. Reconciliation plugs in here: the ledger against what Stripe and
    /// the chain say they did (FinanceService), so a simulation proves both ends agree. For now
    /// it is the ledger's own verification: every balance recomputed from the journal, debits
    /// equal to credits per asset, every constraint, and the hash chain.
    func checkFinance(_ world: SimulationWorld) async throws -> FinanceCheck {
        FinanceCheck(verify: try world.ledger.verify())
    }
}
