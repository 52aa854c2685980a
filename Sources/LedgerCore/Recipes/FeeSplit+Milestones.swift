extension FeeSplit {
    /// The most parts one split divides into (a task's milestones).
    public static let partsMax = 50

    /// Divides this split (a task's whole escrow, payout and fee for `budgetMinor`) into one
    /// part per milestone, `amountsMinor` in list order, which must sum to the budget exactly.
    /// Each part is what that milestone's funding puts in escrow and its release takes out.
    ///
    /// Rounding: the fee carried by the first `k` milestones together is
    /// `round_half_up(fee × (a₁ + … + a_k) / budget)`, the same rule as the whole task's fee and
    /// as `share(payoutPartMinor:releasedPayoutMinor:)`, taken over the budget in list order; a
    /// milestone's fee is that running figure after it minus the one before it. So no share is
    /// negative, the last milestone takes the remainder, and the parts' escrow, payout and fee
    /// each sum to this split's exactly. With the fee on top a milestone pays its worker its
    /// amount and its escrow is amount + fee share; with the fee from the payout its escrow is
    /// its amount and its worker gets amount − fee share (never negative: the fee is at most
    /// the budget). Parts are fixed by list order, never by the order milestones are funded or
    /// approved, so funding and release of one milestone always move the same amounts.
    public func milestoneParts(amountsMinor: [Int64], budgetMinor: Int64, payer: FeePolicy.Payer) throws(FeePolicyError) -> [FeeSplit] {
        guard budgetMinor > 0 else { throw .invalid(field: "budget", value: budgetMinor, reason: "must be greater than zero") }
        guard !amountsMinor.isEmpty, amountsMinor.count <= Self.partsMax else {
            throw .invalid(field: "milestones", value: Int64(amountsMinor.count), reason: "must be 1 to \(Self.partsMax) parts")
        }
        try checkBudgetShape(budgetMinor: budgetMinor, payer: payer)
        var cumulativeMinor: Int64 = 0
        var feeBeforeMinor: Int64 = 0
        var parts: [FeeSplit] = []
        for amountMinor in amountsMinor {
            guard amountMinor > 0 else { throw .invalid(field: "milestones.amount", value: amountMinor, reason: "must be greater than zero") }
            let (next, overflow) = cumulativeMinor.addingReportingOverflow(amountMinor)
            guard !overflow, next <= budgetMinor else {
                throw .invalid(field: "milestones", value: next, reason: "the amounts exceed the budget of \(budgetMinor)")
            }
            cumulativeMinor = next
            let feeAfterMinor = FeePolicy.roundHalfUp(feeMinor, times: cumulativeMinor, over: budgetMinor)
            parts.append(try part(amountMinor: amountMinor, feeShareMinor: feeAfterMinor - feeBeforeMinor, payer: payer))
            feeBeforeMinor = feeAfterMinor
        }
        guard cumulativeMinor == budgetMinor else {
            throw .invalid(field: "milestones", value: cumulativeMinor, reason: "the amounts must sum to the budget of \(budgetMinor)")
        }
        return parts
    }

    /// Refuses a split that is not the one `payer` makes of `budgetMinor`: budget + fee on
    /// top, or the budget with the fee (at most the budget) inside it.
    private func checkBudgetShape(budgetMinor: Int64, payer: FeePolicy.Payer) throws(FeePolicyError) {
        switch payer {
        case .agentOnTop:
            guard payoutMinor == budgetMinor else { throw .invalid(field: "payout", value: payoutMinor, reason: "must equal the budget when the fee is on top") }
        case .fromPayout:
            guard escrowMinor == budgetMinor else { throw .invalid(field: "escrow", value: escrowMinor, reason: "must equal the budget when the fee is from the payout") }
        }
    }

    /// One milestone's part: its amount and its share of the fee, arranged as `payer` bears it.
    private func part(amountMinor: Int64, feeShareMinor: Int64, payer: FeePolicy.Payer) throws(FeePolicyError) -> FeeSplit {
        switch payer {
        case .agentOnTop: try FeeSplit(payoutMinor: amountMinor, feeMinor: feeShareMinor)
        case .fromPayout: try FeeSplit(payoutMinor: amountMinor - feeShareMinor, feeMinor: feeShareMinor)
        }
    }
}
