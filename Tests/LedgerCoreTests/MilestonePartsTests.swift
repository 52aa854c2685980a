import LedgerCore
import PropertyBased
import Testing

/// `FeeSplit.milestoneParts`: a task's split divided into its milestones, the fee shared on the
/// running total over the budget in list order, rounded half up, the last taking the remainder.
@Suite struct MilestonePartsTests {
    @Test func unevenThirdsShareTheFeeOnTheRunningTotal() throws {
        // $100.00 at 10% on top: fee $10.00. Running totals 3.333, 6.666, 10.00 round to 3.33,
        // 6.67, 10.00, so the shares are 3.33, 3.34, 3.33; each worker part is its amount.
        let split = try FeePolicy(basisPoints: 1_000, payer: .agentOnTop).split(budgetMinor: 10_000)
        let parts = try split.milestoneParts(amountsMinor: [3_333, 3_333, 3_334], budgetMinor: 10_000, payer: .agentOnTop)
        #expect(parts.map(\.feeMinor) == [333, 334, 333])
        #expect(parts.map(\.payoutMinor) == [3_333, 3_333, 3_334])
        #expect(parts.map(\.escrowMinor) == [3_666, 3_667, 3_667])
        #expect(parts.map(\.escrowMinor).reduce(0, +) == split.escrowMinor)
    }

    @Test func feeFromThePayoutComesOutOfEachPart() throws {
        // $10.00 at 10% from the payout: fee $1.00, parts 3.33 / 3.33 / 3.34 carry 0.33 / 0.34 / 0.33.
        let split = try FeePolicy(basisPoints: 1_000, payer: .fromPayout).split(budgetMinor: 1_000)
        let parts = try split.milestoneParts(amountsMinor: [333, 333, 334], budgetMinor: 1_000, payer: .fromPayout)
        #expect(parts.map(\.escrowMinor) == [333, 333, 334])
        #expect(parts.map(\.feeMinor) == [33, 34, 33])
        #expect(parts.map(\.payoutMinor) == [300, 299, 301])
        #expect(parts.map(\.payoutMinor).reduce(0, +) == split.payoutMinor)
    }

    @Test func aFixedFeeIsSharedProRataToo() throws {
        // 2.9% + 0.30 on $10.00 on top: fee 0.59. A one-cent first part carries none (59 × 1 / 1000
        // rounds to 0); after 5.00 the running figure is exactly 29.5, which rounds half up to 30.
        let split = try FeePolicy(basisPoints: 290, fixedMinor: 30, payer: .agentOnTop).split(budgetMinor: 1_000)
        let parts = try split.milestoneParts(amountsMinor: [1, 499, 500], budgetMinor: 1_000, payer: .agentOnTop)
        #expect(parts.map(\.feeMinor) == [0, 30, 29])
        #expect(parts.map(\.feeMinor).reduce(0, +) == 59)
    }

    @Test func partsThatDoNotSumToTheBudgetAreRefused() throws {
        let split = try FeePolicy(basisPoints: 1_000, payer: .agentOnTop).split(budgetMinor: 1_000)
        #expect(throws: FeePolicyError.self) { try split.milestoneParts(amountsMinor: [500, 499], budgetMinor: 1_000, payer: .agentOnTop) }
        #expect(throws: FeePolicyError.self) { try split.milestoneParts(amountsMinor: [500, 501], budgetMinor: 1_000, payer: .agentOnTop) }
        #expect(throws: FeePolicyError.self) { try split.milestoneParts(amountsMinor: [1_000, 0], budgetMinor: 1_000, payer: .agentOnTop) }
        #expect(throws: FeePolicyError.self) { try split.milestoneParts(amountsMinor: [], budgetMinor: 1_000, payer: .agentOnTop) }
        #expect(throws: FeePolicyError.self) { try split.milestoneParts(amountsMinor: [.max, 2], budgetMinor: 1_000, payer: .agentOnTop) }
        // A split that is not the payer's shape of this budget.
        #expect(throws: FeePolicyError.self) { try split.milestoneParts(amountsMinor: [1_000], budgetMinor: 1_000, payer: .fromPayout) }
    }

    @Test func partsSumToTheWholeSplitForAnyAmountsAndPolicy() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 0...10_000), Gen.int(in: 0...5_000), Gen.bool,
                            Gen.int(in: 1...1_000_000).array(of: 1...FeeSplit.partsMax)) { bps, fixed, onTop, amounts in
            let payer: FeePolicy.Payer = onTop ? .agentOnTop : .fromPayout
            let amountsMinor = amounts.map(Int64.init)
            let budgetMinor = amountsMinor.reduce(0, +)
            let split = try FeePolicy(basisPoints: Int64(bps), fixedMinor: Int64(fixed), payer: payer).split(budgetMinor: budgetMinor)
            let parts = try split.milestoneParts(amountsMinor: amountsMinor, budgetMinor: budgetMinor, payer: payer)
            #expect(parts.map(\.escrowMinor).reduce(0, +) == split.escrowMinor)
            #expect(parts.map(\.payoutMinor).reduce(0, +) == split.payoutMinor)
            #expect(parts.map(\.feeMinor).reduce(0, +) == split.feeMinor)
            #expect(parts.allSatisfy { $0.feeMinor >= 0 && $0.payoutMinor >= 0 && $0.payoutMinor + $0.feeMinor == $0.escrowMinor })
            // The running fee never strays more than half a minor unit from the exact pro rata figure.
            var cumulativeMinor: Int64 = 0
            var feeSoFar: Int64 = 0
            for (amount, part) in zip(amountsMinor, parts) {
                cumulativeMinor += amount
                feeSoFar += part.feeMinor
                // |feeSoFar − fee × C / B| ≤ 1/2, in integers: 2 × |feeSoFar × B − fee × C| ≤ B.
                #expect(2 * abs(feeSoFar * budgetMinor - split.feeMinor * cumulativeMinor) <= budgetMinor)
            }
        }
    }
}
