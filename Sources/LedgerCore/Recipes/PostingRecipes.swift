/// The posting recipes of `Ledger/posting-recipes.md` as pure functions: each turns one
/// business event into the transfers to commit together (one `Ledger.commit` call).
///
/// They do no I/O and read no balance; the ledger checks accounts, assets and constraints.
/// Transfer ids are the caller's, so a retry names the same transfers: a recipe with several
/// transfers takes `firstID` and uses `firstID + 0, +1, +2` at fixed positions (documented per
/// recipe), skipping a part whose amount is zero. `metadata` goes on every transfer.
public enum PostingRecipes {
    // MARK: - Funding

    /// Funds a task from the agent's wallet: wallet -> escrow, `split.escrowMinor` (budget
    /// plus fee when the agent pays on top). Code `fund`.
    public static func fundFromWallet(id: TransferID, wallet: AccountID, escrow: AccountID, split: FeeSplit, asset: Asset,
                                      metadata: String? = nil) -> [TransferRequest] {
        [.posted(id: id, debit: wallet, credit: escrow, amountMinor: split.escrowMinor, asset: asset,
                 code: RecipeCode.fund.rawValue, metadata: metadata)]
    }

    /// Records a funding intent before a connector collects the money (a card checkout, a
    /// USDC authorization): pending clearing -> escrow, `split.escrowMinor`. Code `fundIntent`.
    public static func fundIntent(id: TransferID, clearing: AccountID, escrow: AccountID, split: FeeSplit, asset: Asset,
                                  timeoutSeconds: Int64, metadata: String? = nil) -> [TransferRequest] {
        [.pending(id: id, debit: clearing, credit: escrow, amountMinor: split.escrowMinor, asset: asset,
                  timeoutSeconds: timeoutSeconds, code: RecipeCode.fundIntent.rawValue, metadata: metadata)]
    }

    /// Posts a funding intent in full once its connector event is verified. Code `fundIntentPost`.
    public static func fundIntentSucceeded(id: TransferID, intent: TransferID, metadata: String? = nil) -> [TransferRequest] {
        [.post(id: id, pending: intent, code: RecipeCode.fundIntentPost.rawValue, metadata: metadata)]
    }

    /// Voids a funding intent the connector reports failed or abandoned. Code `fundIntentVoid`.
    public static func fundIntentFailed(id: TransferID, intent: TransferID, metadata: String? = nil) -> [TransferRequest] {
        [.void(id: id, pending: intent, code: RecipeCode.fundIntentVoid.rawValue, metadata: metadata)]
    }

    /// Funds a task from a confirmed on-chain deposit to its own address: clearing -> escrow,
    /// `split.escrowMinor`. Code `fundDeposit`.
    public static func fundFromDeposit(id: TransferID, clearing: AccountID, escrow: AccountID, split: FeeSplit, asset: Asset,
                                       metadata: String? = nil) -> [TransferRequest] {
        [.posted(id: id, debit: clearing, credit: escrow, amountMinor: split.escrowMinor, asset: asset,
                 code: RecipeCode.fundDeposit.rawValue, metadata: metadata)]
    }

    // MARK: - Release

    /// Approves a task: escrow -> worker wallet `split.payoutMinor` (id `firstID`, code
    /// `approvePayout`) and escrow -> fee revenue `split.feeMinor` (id `firstID + 1`, code
    /// `approveFee`), together. They empty an escrow funded with `split.escrowMinor`.
    public static func approve(firstID: TransferID, escrow: AccountID, worker: AccountID, feeRevenue: AccountID, split: FeeSplit,
                               asset: Asset, metadata: String? = nil) throws(RecipeError) -> [TransferRequest] {
        try release(firstID: firstID, escrow: escrow, worker: worker, feeRevenue: feeRevenue, part: split, asset: asset,
                    codes: (.approvePayout, .approveFee), metadata: metadata)
    }

    /// Releases one milestone: escrow -> worker wallet `part.payoutMinor` (id `firstID`, code
    /// `releasePayout`) and escrow -> fee revenue `part.feeMinor` (id `firstID + 1`, code
    /// `releaseFee`). Take `part` from `FeeSplit.share(payoutPartMinor:releasedPayoutMinor:)`.
    public static func partialRelease(firstID: TransferID, escrow: AccountID, worker: AccountID, feeRevenue: AccountID,
                                      part: FeeSplit, asset: Asset, metadata: String? = nil) throws(RecipeError) -> [TransferRequest] {
        try release(firstID: firstID, escrow: escrow, worker: worker, feeRevenue: feeRevenue, part: part, asset: asset,
                    codes: (.releasePayout, .releaseFee), metadata: metadata)
    }

    /// Settles a dispute: escrow -> worker wallet `workerMinor` (id `firstID`), escrow -> agent
    /// wallet `agentMinor` (`firstID + 1`), escrow -> fee revenue `feeMinor` (`firstID + 2`).
    /// Refuses negative parts and parts that do not sum to `escrowMinor` exactly.
    public static func disputeSplit(firstID: TransferID, escrow: AccountID, worker: AccountID, agent: AccountID, feeRevenue: AccountID,
                                    escrowMinor: Int64, workerMinor: Int64, agentMinor: Int64, feeMinor: Int64, asset: Asset,
                                    metadata: String? = nil) throws(RecipeError) -> [TransferRequest] {
        let parts: [(AccountID, Int64, RecipeCode, String)] = [
            (worker, workerMinor, .disputeWorker, "worker"), (agent, agentMinor, .disputeAgent, "agent"), (feeRevenue, feeMinor, .disputeFee, "fee"),
        ]
        try checkParts(parts.map { ($0.1, $0.3) }, sumTo: escrowMinor)
        var transfers: [TransferRequest] = []
        for (offset, (credit, amountMinor, code, _)) in parts.enumerated() where amountMinor > 0 {
            transfers.append(.posted(id: try derivedID(firstID, offset), debit: escrow, credit: credit, amountMinor: amountMinor,
                                     asset: asset, code: code.rawValue, metadata: metadata))
        }
        return transfers
    }

    // MARK: - Refund

    /// Cancels a task (or expires an unassigned one) back to the agent's wallet: escrow ->
    /// wallet, `amountMinor` (what is left in escrow, fee included). Code `refund`.
    public static func cancelToWallet(id: TransferID, escrow: AccountID, wallet: AccountID, amountMinor: Int64, asset: Asset,
                                      metadata: String? = nil) -> [TransferRequest] {
        [.posted(id: id, debit: escrow, credit: wallet, amountMinor: amountMinor, asset: asset,
                 code: RecipeCode.refund.rawValue, metadata: metadata)]
    }

    /// Records a refund intent before asking the processor to refund the card: pending escrow
    /// -> clearing, `amountMinor`. Code `refundIntent`.
    public static func refundIntent(id: TransferID, escrow: AccountID, clearing: AccountID, amountMinor: Int64, asset: Asset,
                                    timeoutSeconds: Int64 = 0, metadata: String? = nil) -> [TransferRequest] {
        [.pending(id: id, debit: escrow, credit: clearing, amountMinor: amountMinor, asset: asset,
                  timeoutSeconds: timeoutSeconds, code: RecipeCode.refundIntent.rawValue, metadata: metadata)]
    }

    /// Posts a refund intent in full once the processor confirms the refund. Code `refundPost`.
    public static func refundSucceeded(id: TransferID, intent: TransferID, metadata: String? = nil) -> [TransferRequest] {
        [.post(id: id, pending: intent, code: RecipeCode.refundPost.rawValue, metadata: metadata)]
    }

    /// Voids a refund intent the processor reports failed; the money stays in escrow. Code `refundVoid`.
    public static func refundFailed(id: TransferID, intent: TransferID, metadata: String? = nil) -> [TransferRequest] {
        [.void(id: id, pending: intent, code: RecipeCode.refundVoid.rawValue, metadata: metadata)]
    }

    // MARK: - Helpers

    private static func release(firstID: TransferID, escrow: AccountID, worker: AccountID, feeRevenue: AccountID, part: FeeSplit,
                                asset: Asset, codes: (payout: RecipeCode, fee: RecipeCode), metadata: String?) throws(RecipeError) -> [TransferRequest] {
        var transfers: [TransferRequest] = []
        if part.payoutMinor > 0 {
            transfers.append(.posted(id: firstID, debit: escrow, credit: worker, amountMinor: part.payoutMinor, asset: asset,
                                     code: codes.payout.rawValue, metadata: metadata))
        }
        if part.feeMinor > 0 {
            transfers.append(.posted(id: try derivedID(firstID, 1), debit: escrow, credit: feeRevenue, amountMinor: part.feeMinor,
                                     asset: asset, code: codes.fee.rawValue, metadata: metadata))
        }
        return transfers
    }

    /// Refuses negative parts and parts whose (overflow-checked) sum is not `totalMinor`.
    static func checkParts(_ parts: [(amountMinor: Int64, field: String)], sumTo totalMinor: Int64) throws(RecipeError) {
        guard totalMinor > 0 else { throw .amountInvalid(field: "escrow", amountMinor: totalMinor) }
        var sumMinor: Int64 = 0
        for part in parts {
            guard part.amountMinor >= 0 else { throw .amountInvalid(field: part.field, amountMinor: part.amountMinor) }
            do {
                sumMinor = try MinorUnits.add(sumMinor, part.amountMinor)
            } catch {
                throw .partsDoNotSumToEscrow(escrowMinor: totalMinor, partsMinor: nil)
            }
        }
        guard sumMinor == totalMinor else { throw .partsDoNotSumToEscrow(escrowMinor: totalMinor, partsMinor: sumMinor) }
    }

    /// `base + offset`, refusing overflow.
    static func derivedID(_ base: TransferID, _ offset: Int) throws(RecipeError) -> TransferID {
        let (raw, overflow) = base.rawValue.addingReportingOverflow(Int64(offset))
        guard !overflow else { throw .transferIDOutOfRange(base: base, offset: Int64(offset)) }
        return TransferID(raw)
    }
}
