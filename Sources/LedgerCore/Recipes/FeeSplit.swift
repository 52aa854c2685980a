/// How a task's escrow divides between the worker's payout and the platform's fee.
/// Holds `payoutMinor + feeMinor == escrowMinor` exactly, with every part non-negative.
public struct FeeSplit: Sendable, Hashable {
    /// What funding moves into escrow.
    public let escrowMinor: Int64
    /// What release moves to the worker.
    public let payoutMinor: Int64
    /// What release moves to fee revenue.
    public let feeMinor: Int64

    /// A split of `payoutMinor + feeMinor`; refuses negative parts, an empty escrow and overflow.
    public init(payoutMinor: Int64, feeMinor: Int64) throws(FeePolicyError) {
        guard payoutMinor >= 0 else { throw .invalid(field: "payout", value: payoutMinor, reason: "must not be negative") }
        guard feeMinor >= 0 else { throw .invalid(field: "fee", value: feeMinor, reason: "must not be negative") }
        let (escrowMinor, overflow) = payoutMinor.addingReportingOverflow(feeMinor)
        guard !overflow else { throw .overflow(field: "escrow") }
        guard escrowMinor > 0 else { throw .invalid(field: "escrow", value: escrowMinor, reason: "must be greater than zero") }
        self.escrowMinor = escrowMinor
        self.payoutMinor = payoutMinor
        self.feeMinor = feeMinor
    }

    /// The part of this split a partial release (a milestone) moves when it pays the worker
    /// `payoutPartMinor` after `releasedPayoutMinor` was paid by earlier releases.
    ///
    /// Rounding: the fee released once the worker has `r` of the payout is
    /// `fee × r / payout` rounded half up; each release takes the difference between that
    /// figure after and before it. So the fee shares never go negative, the release that
    /// completes the payout takes the remainder, and all parts sum to this split exactly.
    public func share(payoutPartMinor: Int64, releasedPayoutMinor: Int64) throws(FeePolicyError) -> FeeSplit {
        guard payoutMinor > 0 else { throw .invalid(field: "payout", value: payoutMinor, reason: "nothing to release in parts") }
        guard payoutPartMinor > 0 else {
            throw .invalid(field: "payout_part", value: payoutPartMinor, reason: "must be greater than zero")
        }
        guard releasedPayoutMinor >= 0, releasedPayoutMinor <= payoutMinor else {
            throw .invalid(field: "released_payout", value: releasedPayoutMinor, reason: "must be between 0 and \(payoutMinor)")
        }
        guard payoutPartMinor <= payoutMinor - releasedPayoutMinor else {
            throw .invalid(field: "payout_part", value: payoutPartMinor, reason: "exceeds the \(payoutMinor - releasedPayoutMinor) left to release")
        }
        let feeBeforeMinor = feeReleasedMinor(afterPayoutMinor: releasedPayoutMinor)
        let feeAfterMinor = feeReleasedMinor(afterPayoutMinor: releasedPayoutMinor + payoutPartMinor)
        return try FeeSplit(payoutMinor: payoutPartMinor, feeMinor: feeAfterMinor - feeBeforeMinor)
    }

    /// The fee released in total once the worker has been paid `releasedMinor` of the payout.
    public func feeReleasedMinor(afterPayoutMinor releasedMinor: Int64) -> Int64 {
        precondition(payoutMinor > 0 && releasedMinor >= 0 && releasedMinor <= payoutMinor)
        return FeePolicy.roundHalfUp(feeMinor, times: releasedMinor, over: payoutMinor)
    }
}
