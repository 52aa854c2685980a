/// The platform's fee on a task, as policy: a percentage in basis points plus a fixed amount,
/// paid either by the agent on top of the budget or out of the worker's payout.
///
/// Rounding: the percentage part is `budget × basisPoints / 10_000` rounded half up (a
/// remainder of exactly one half rounds up), computed in 128-bit integers, never floating
/// point; the fixed part is added to it. With `.fromPayout` the fee is capped at the budget,
/// so the payout is never negative. Either way `payout + fee = escrow` exactly.
public struct FeePolicy: Sendable, Hashable {
    /// Who bears the fee.
    public enum Payer: String, Sendable, Hashable, CaseIterable {
        /// The agent funds budget + fee; the worker receives the whole budget.
        case agentOnTop = "agent_on_top"
        /// The agent funds the budget; the worker receives budget − fee.
        case fromPayout = "from_payout"
    }

    /// The percentage part, in hundredths of a percent (1_000 is 10%).
    public let basisPoints: Int64
    /// The fixed part, in the task asset's minor units.
    public let fixedMinor: Int64
    public let payer: Payer

    /// 100%, in basis points.
    public static let basisPointsMax: Int64 = 10_000

    /// A policy; refuses basis points outside 0...10_000 and a negative fixed part.
    public init(basisPoints: Int64, fixedMinor: Int64 = 0, payer: Payer) throws(FeePolicyError) {
        guard (0...Self.basisPointsMax).contains(basisPoints) else {
            throw .invalid(field: "basis_points", value: basisPoints, reason: "must be between 0 and \(Self.basisPointsMax)")
        }
        guard fixedMinor >= 0 else { throw .invalid(field: "fixed_minor", value: fixedMinor, reason: "must not be negative") }
        self.basisPoints = basisPoints
        self.fixedMinor = fixedMinor
        self.payer = payer
    }

    /// The fee on `budgetMinor` before any cap: the rounded percentage plus the fixed part.
    public func feeMinor(budgetMinor: Int64) throws(FeePolicyError) -> Int64 {
        guard budgetMinor > 0 else { throw .invalid(field: "budget", value: budgetMinor, reason: "must be greater than zero") }
        let percentMinor = Self.roundHalfUp(budgetMinor, times: basisPoints, over: Self.basisPointsMax)
        let (feeMinor, overflow) = percentMinor.addingReportingOverflow(fixedMinor)
        guard !overflow else { throw .overflow(field: "fee") }
        return feeMinor
    }

    /// What funding a task with `budgetMinor` puts in escrow, and how approval splits it.
    public func split(budgetMinor: Int64) throws(FeePolicyError) -> FeeSplit {
        let feeMinor = try feeMinor(budgetMinor: budgetMinor)
        switch payer {
        case .agentOnTop:
            return try FeeSplit(payoutMinor: budgetMinor, feeMinor: feeMinor)
        case .fromPayout:
            let cappedMinor = min(feeMinor, budgetMinor)
            return try FeeSplit(payoutMinor: budgetMinor - cappedMinor, feeMinor: cappedMinor)
        }
    }

    /// `value × numerator / denominator` rounded half up, exactly, for non-negative inputs
    /// whose result fits in 64 bits (the callers keep numerator ≤ denominator).
    static func roundHalfUp(_ value: Int64, times numerator: Int64, over denominator: Int64) -> Int64 {
        precondition(value >= 0 && numerator >= 0 && denominator > 0 && numerator <= denominator)
        let product = Int128(value) * Int128(numerator)
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: Int128(denominator))
        let rounded = remainder >= Int128(denominator) - remainder ? quotient + 1 : quotient
        return Int64(rounded)
    }
}
