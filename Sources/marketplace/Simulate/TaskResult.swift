import LedgerCore
import NIOHTTP1

/// One task's money at the end of a run, in minor units of its asset, from what the API says:
/// its final status and its connector calls, with the escrow and dispute split its run was
/// told. Checks on the way that the task ended as planned.
struct TaskResult: Sendable {
    let id: String
    let plan: TaskPlan
    let fundedMinor: Int64
    private(set) var feeMinor: Int64 = 0
    /// What the worker earned (whether it then left through a connector or stayed in the wallet).
    private(set) var toWorkerMinor: Int64 = 0
    /// Earnings that left through a connector payout (a Stripe transfer, a USDC transfer).
    private(set) var paidOutMinor: Int64 = 0
    /// Payouts the connector refused or that reverted: back in the worker's wallet.
    private(set) var payoutsFailedMinor: Int64 = 0
    /// Back to the payer: to the wallet, or to the card once Stripe said the refund succeeded.
    private(set) var refundedMinor: Int64 = 0
    /// Card refunds that failed: the money stays in escrow.
    private(set) var refundsFailedMinor: Int64 = 0

    /// Still in the task's escrow.
    var frozenMinor: Int64 { fundedMinor - feeMinor - toWorkerMinor - refundedMinor }

    /// The status each outcome ends in.
    static func status(of outcome: TaskOutcome) -> String {
        switch outcome {
        case .approve, .revision, .payoutFails: "paid"
        case .cancel, .refundFails: "canceled"
        case .expire: "expired"
        case .dispute: "resolved"
        }
    }

    init(_ record: TaskRecord, status: String, calls: [APIAnswers.Payment]) throws {
        id = record.id
        plan = record.plan
        fundedMinor = record.escrowMinor
        guard status == Self.status(of: plan.outcome) else {
            throw SimulationError.mismatch("\(record.id) (\(plan.outcome.rawValue)) ended \(status)")
        }
        var cardRefundedMinor: Int64 = 0
        for call in calls {
            switch (call.kind, call.state) {
            case ("payout", "settled"): paidOutMinor += call.amountMinor
            case ("payout", "failed"): payoutsFailedMinor += call.amountMinor
            case ("refund", "settled"): cardRefundedMinor += call.amountMinor
            case ("refund", "failed"): refundsFailedMinor += call.amountMinor
            case (_, "pending"), (_, "sent"): throw SimulationError.stalled("\(record.id)'s \(call.kind) is still \(call.state)")
            default: break  // a settled checkout or authorization: the funding itself
            }
        }
        let card = plan.funding == .card
        switch plan.outcome {
        case .approve, .revision, .payoutFails:
            feeMinor = plan.split.feeMinor
            toWorkerMinor = plan.split.payoutMinor
        case .dispute:
            guard let split = record.dispute else { throw SimulationError.mismatch("\(record.id) was resolved without a split") }
            feeMinor = split.fee.amountMinor
            toWorkerMinor = split.toWorker.amountMinor
            refundedMinor = card ? cardRefundedMinor : split.toPayer.amountMinor
        case .cancel, .expire, .refundFails:
            // A milestone released before the cancel stays paid; the rest goes back.
            let released = record.released
            feeMinor = released?.feeMinor ?? 0
            toWorkerMinor = released?.payoutMinor ?? 0
            refundedMinor = card ? cardRefundedMinor : fundedMinor - (released?.escrowMinor ?? 0)
        }
        try check(record.id)
    }

    /// What the plan promised: a failing payout failed and nothing else did; a failing refund
    /// left the whole escrow frozen; everything else emptied it.
    private func check(_ id: String) throws {
        let failedPayoutsExpected = plan.outcome == .payoutFails
        guard (payoutsFailedMinor > 0) == failedPayoutsExpected, !failedPayoutsExpected || paidOutMinor == 0 else {
            throw SimulationError.mismatch("\(id): payouts \(paidOutMinor) paid, \(payoutsFailedMinor) failed, for \(plan.outcome.rawValue)")
        }
        let frozenExpected = plan.outcome == .refundFails ? fundedMinor : 0
        guard frozenMinor == frozenExpected, refundsFailedMinor == frozenExpected else {
            throw SimulationError.mismatch("\(id): \(frozenMinor) frozen and \(refundsFailedMinor) refunds failed; expected \(frozenExpected)")
        }
    }
}

extension Simulation {
    /// Reads a finished task back through the API, as its owner sees it.
    func tally(_ record: TaskRecord, by agent: AgentSession) async throws -> TaskResult {
        let task: APIAnswers.Task = try await world.api.call("read \(record.id)", .GET, "/v1/tasks/\(record.id)", token: agent.key)
        return try TaskResult(record, status: task.status, calls: try await payments(of: record.id, by: agent))
    }
}
