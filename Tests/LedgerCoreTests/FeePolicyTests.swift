import LedgerCore
import PropertyBased
import Testing

@Suite struct FeePolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let budgetMinor: Int64
        let basisPoints: Int64
        let fixedMinor: Int64
        let payer: FeePolicy.Payer
        let escrowMinor: Int64
        let payoutMinor: Int64
        let feeMinor: Int64
        var testDescription: String { "\(budgetMinor) at \(basisPoints) bps + \(fixedMinor), \(payer.rawValue)" }
    }

    static let cases: [Case] = [
        // 10% of $100.00 on top: exact.
        Case(budgetMinor: 10_000, basisPoints: 1_000, fixedMinor: 0, payer: .agentOnTop, escrowMinor: 11_000, payoutMinor: 10_000, feeMinor: 1_000),
        // 10% of 5 cents is 0.5: exactly one half rounds up.
        Case(budgetMinor: 5, basisPoints: 1_000, fixedMinor: 0, payer: .agentOnTop, escrowMinor: 6, payoutMinor: 5, feeMinor: 1),
        // 10% of 4 cents is 0.4: rounds down.
        Case(budgetMinor: 4, basisPoints: 1_000, fixedMinor: 0, payer: .agentOnTop, escrowMinor: 4, payoutMinor: 4, feeMinor: 0),
        // 2.5% of 1999 is 49.975: rounds up to 50.
        Case(budgetMinor: 1_999, basisPoints: 250, fixedMinor: 0, payer: .fromPayout, escrowMinor: 1_999, payoutMinor: 1_949, feeMinor: 50),
        // 2.5% of 1981 is 49.525: rounds up (more than a half).
        Case(budgetMinor: 1_981, basisPoints: 250, fixedMinor: 0, payer: .fromPayout, escrowMinor: 1_981, payoutMinor: 1_931, feeMinor: 50),
        // 2.5% of 1979 is 49.475: rounds down (less than a half).
        Case(budgetMinor: 1_979, basisPoints: 250, fixedMinor: 0, payer: .fromPayout, escrowMinor: 1_979, payoutMinor: 1_930, feeMinor: 49),
        // 2.9% + 30 cents on $10.00, the Stripe shape.
        Case(budgetMinor: 1_000, basisPoints: 290, fixedMinor: 30, payer: .agentOnTop, escrowMinor: 1_059, payoutMinor: 1_000, feeMinor: 59),
        // A fixed fee larger than the budget is capped when it comes from the payout.
        Case(budgetMinor: 20, basisPoints: 0, fixedMinor: 50, payer: .fromPayout, escrowMinor: 20, payoutMinor: 0, feeMinor: 20),
        // ...but not when the agent pays it on top.
        Case(budgetMinor: 20, basisPoints: 0, fixedMinor: 50, payer: .agentOnTop, escrowMinor: 70, payoutMinor: 20, feeMinor: 50),
        // 100% from the payout leaves nothing for the worker.
        Case(budgetMinor: 777, basisPoints: 10_000, fixedMinor: 0, payer: .fromPayout, escrowMinor: 777, payoutMinor: 0, feeMinor: 777),
        // No fee at all.
        Case(budgetMinor: 1, basisPoints: 0, fixedMinor: 0, payer: .fromPayout, escrowMinor: 1, payoutMinor: 1, feeMinor: 0),
        // Near the top of Int64, the 128-bit product stays exact: (max × 1) / 10_000 rounds half up.
        Case(budgetMinor: .max, basisPoints: 1, fixedMinor: 0, payer: .fromPayout, escrowMinor: .max,
             payoutMinor: .max - 922_337_203_685_478, feeMinor: 922_337_203_685_478),
    ]

    @Test(arguments: cases)
    func splitRoundsHalfUpAndAddsUp(_ c: Case) throws {
        let policy = try FeePolicy(basisPoints: c.basisPoints, fixedMinor: c.fixedMinor, payer: c.payer)
        let split = try policy.split(budgetMinor: c.budgetMinor)
        #expect(split.escrowMinor == c.escrowMinor)
        #expect(split.payoutMinor == c.payoutMinor)
        #expect(split.feeMinor == c.feeMinor)
        #expect(split.payoutMinor + split.feeMinor == split.escrowMinor)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let basisPoints: Int64
        let fixedMinor: Int64
        let payer: FeePolicy.Payer
        let budgetMinor: Int64
        let field: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "bps above 100%", basisPoints: 10_001, fixedMinor: 0, payer: .agentOnTop, budgetMinor: 100, field: "basis_points"),
        Refusal(name: "negative bps", basisPoints: -1, fixedMinor: 0, payer: .agentOnTop, budgetMinor: 100, field: "basis_points"),
        Refusal(name: "negative fixed", basisPoints: 100, fixedMinor: -1, payer: .fromPayout, budgetMinor: 100, field: "fixed_minor"),
        Refusal(name: "zero budget", basisPoints: 100, fixedMinor: 0, payer: .fromPayout, budgetMinor: 0, field: "budget"),
        Refusal(name: "negative budget", basisPoints: 100, fixedMinor: 0, payer: .agentOnTop, budgetMinor: -5, field: "budget"),
        Refusal(name: "escrow overflows on top", basisPoints: 1, fixedMinor: 0, payer: .agentOnTop, budgetMinor: .max, field: "escrow"),
        Refusal(name: "fee overflows", basisPoints: 10_000, fixedMinor: 1, payer: .fromPayout, budgetMinor: .max, field: "fee"),
        Refusal(name: "fixed fee overflows escrow", basisPoints: 0, fixedMinor: .max, payer: .agentOnTop, budgetMinor: 1, field: "escrow"),
    ]

    @Test(arguments: refusals)
    func badInputIsRefusedNamingTheField(_ r: Refusal) {
        do {
            let policy = try FeePolicy(basisPoints: r.basisPoints, fixedMinor: r.fixedMinor, payer: r.payer)
            let split = try policy.split(budgetMinor: r.budgetMinor)
            Issue.record("accepted: \(split)")
        } catch {
            #expect(error.field == r.field)
        }
    }

    @Test func overflowIsReportedAsOverflowNotAsInvalid() throws {
        let policy = try FeePolicy(basisPoints: 1, payer: .agentOnTop)
        #expect(throws: FeePolicyError.overflow(field: "escrow")) { try policy.split(budgetMinor: .max) }
    }

    // MARK: - Pro-rata release

    @Test func milestoneFeeSharesRoundHalfUpOnTheRunningTotal() throws {
        // fee 2 on a payout of 4, released a cent at a time: running totals 0.5, 1, 1.5, 2
        // round to 1, 1, 2, 2, so the shares are 1, 0, 1, 0 (never 1 each, which would overpay).
        let split = try FeeSplit(payoutMinor: 4, feeMinor: 2)
        var shares: [Int64] = []
        for released in 0..<4 {
            shares.append(try split.share(payoutPartMinor: 1, releasedPayoutMinor: Int64(released)).feeMinor)
        }
        #expect(shares == [1, 0, 1, 0])
    }

    @Test func lastMilestoneTakesTheRemainder() throws {
        let split = try FeePolicy(basisPoints: 1_000, payer: .fromPayout).split(budgetMinor: 1_001)  // fee 100, payout 901
        let first = try split.share(payoutPartMinor: 300, releasedPayoutMinor: 0)
        let second = try split.share(payoutPartMinor: 300, releasedPayoutMinor: 300)
        let last = try split.share(payoutPartMinor: 301, releasedPayoutMinor: 600)
        #expect([first.feeMinor, second.feeMinor, last.feeMinor] == [33, 34, 33])
        #expect(first.escrowMinor + second.escrowMinor + last.escrowMinor == split.escrowMinor)
    }

    @Test func shareRefusesReleasingMoreThanIsLeft() throws {
        let split = try FeeSplit(payoutMinor: 100, feeMinor: 10)
        #expect(throws: FeePolicyError.self) { try split.share(payoutPartMinor: 51, releasedPayoutMinor: 50) }
        #expect(throws: FeePolicyError.self) { try split.share(payoutPartMinor: 0, releasedPayoutMinor: 0) }
        #expect(throws: FeePolicyError.self) { try split.share(payoutPartMinor: 1, releasedPayoutMinor: -1) }
        #expect(throws: FeePolicyError.self) { try FeeSplit(payoutMinor: 0, feeMinor: 5).share(payoutPartMinor: 1, releasedPayoutMinor: 0) }
    }

    @Test func splitRefusesNegativeEmptyAndOverflowingParts() {
        #expect(throws: FeePolicyError.invalid(field: "payout", value: -1, reason: "must not be negative")) { try FeeSplit(payoutMinor: -1, feeMinor: 2) }
        #expect(throws: FeePolicyError.self) { try FeeSplit(payoutMinor: 0, feeMinor: 0) }
        #expect(throws: FeePolicyError.overflow(field: "escrow")) { try FeeSplit(payoutMinor: .max, feeMinor: 1) }
    }

    // MARK: - Properties

    @Test func payoutPlusFeeIsEscrowForAnyBudgetAndPolicy() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 1...1_000_000_000), Gen.int(in: 0...10_000), Gen.int(in: 0...100_000), Gen.bool) {
            budget, bps, fixed, onTop in
            let payer: FeePolicy.Payer = onTop ? .agentOnTop : .fromPayout
            let policy = try FeePolicy(basisPoints: Int64(bps), fixedMinor: Int64(fixed), payer: payer)
            let split = try policy.split(budgetMinor: Int64(budget))
            #expect(split.payoutMinor + split.feeMinor == split.escrowMinor)
            #expect(split.payoutMinor >= 0 && split.feeMinor >= 0)
            // Half up: the percentage part is within half a minor unit of the exact value.
            let exactTimes10k = Int64(budget) * Int64(bps)
            let percent = try policy.feeMinor(budgetMinor: Int64(budget)) - Int64(fixed)
            #expect(abs(percent * 10_000 - exactTimes10k) <= 5_000)
            switch payer {
            case .agentOnTop: #expect(split.payoutMinor == Int64(budget))
            case .fromPayout: #expect(split.escrowMinor == Int64(budget))
            }
        }
    }

    @Test func proRataPartsSumToTheWholeExactly() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 1...1_000_000_000), Gen.int(in: 0...10_000),
                            Gen.int(in: 1...1_000_000_000).array(of: 1...8)) { budget, bps, cuts in
            let split = try FeePolicy(basisPoints: Int64(bps), payer: .fromPayout).split(budgetMinor: Int64(budget))
            guard split.payoutMinor > 0 else { return }
            var released: Int64 = 0
            var feeReleased: Int64 = 0
            var escrowReleased: Int64 = 0
            for (index, cut) in cuts.enumerated() {
                let left = split.payoutMinor - released
                guard left > 0 else { break }
                let part = index == cuts.count - 1 ? left : max(1, Int64(cut) % left)
                let share = try split.share(payoutPartMinor: part, releasedPayoutMinor: released)
                #expect(share.feeMinor >= 0)
                released += share.payoutMinor
                feeReleased += share.feeMinor
                escrowReleased += share.escrowMinor
            }
            #expect(released == split.payoutMinor)
            #expect(feeReleased == split.feeMinor)
            #expect(escrowReleased == split.escrowMinor)
        }
    }
}
