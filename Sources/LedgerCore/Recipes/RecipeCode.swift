/// The `code` each posting recipe stamps on its transfers, as listed in
/// `Ledger/posting-recipes.md`. Reports and reconciliation group the journal by it.
/// Numbers are never reused: a retired recipe keeps its number.
public enum RecipeCode: Int64, Sendable, Hashable, CaseIterable {
    /// Agent wallet -> escrow.
    case fund = 1
    /// Escrow -> worker wallet on approval.
    case approvePayout = 2
    /// Escrow -> fee revenue on approval.
    case approveFee = 3
    /// Pending clearing -> escrow: a card checkout or a USDC authorization under way.
    case fundIntent = 4
    /// Posts a funding intent once the connector's event is verified.
    case fundIntentPost = 5
    /// Voids a funding intent the connector reports failed or expired.
    case fundIntentVoid = 6
    /// Clearing -> escrow: a confirmed on-chain deposit made straight to the task.
    case fundDeposit = 7
    /// Escrow -> worker wallet for one milestone.
    case releasePayout = 8
    /// Escrow -> fee revenue, the milestone's pro-rata share.
    case releaseFee = 9
    /// Escrow -> agent wallet on cancellation or expiry.
    case refund = 10
    /// Pending escrow -> clearing: a refund to the card under way.
    case refundIntent = 11
    /// Posts a refund intent once the processor confirms it.
    case refundPost = 12
    /// Voids a refund intent the processor reports failed.
    case refundVoid = 13
    /// Clearing -> user wallet: money arrived for a user.
    case deposit = 14
    /// Pending wallet -> payouts in flight: a withdrawal handed to a connector.
    case withdrawalIntent = 15
    /// Posts a withdrawal intent once the connector reports it paid.
    case withdrawalPost = 16
    /// Payouts in flight -> clearing: the paid withdrawal leaves the platform's balance.
    case withdrawalSettle = 17
    /// Voids a withdrawal intent the connector reports failed.
    case withdrawalVoid = 18
    /// Reverses a settled withdrawal that came back (a returned payout).
    case payoutReturned = 19
    /// Processor-fee expense -> clearing.
    case processorFee = 20
    /// Gas expense -> clearing:base:ETH, in gwei with exact wei in metadata.
    case gas = 21
    /// Escrow -> worker wallet in a dispute ruling.
    case disputeWorker = 22
    /// Escrow -> agent wallet in a dispute ruling.
    case disputeAgent = 23
    /// Escrow -> fee revenue in a dispute ruling.
    case disputeFee = 24
    /// Clearing -> equity: money the platform puts in (e.g. the gas float).
    case opening = 25
    /// A finance correction: the reversal of a posted transfer (often one in a closed period),
    /// stamped in the open period and naming what it corrects and why.
    case correction = 26
}
