import Foundation

/// Money entering and leaving the platform through connectors, and what it costs.
extension PostingRecipes {
    /// Wei in one gwei, the minor unit of ETH in the ledger.
    public static let weiPerGwei: UInt64 = 1_000_000_000

    /// Credits money that arrived for a user: clearing -> wallet, `amountMinor`. Code `deposit`.
    public static func deposit(id: TransferID, clearing: AccountID, wallet: AccountID, amountMinor: Int64, asset: Asset,
                               metadata: String? = nil) -> [TransferRequest] {
        [.posted(id: id, debit: clearing, credit: wallet, amountMinor: amountMinor, asset: asset,
                 code: RecipeCode.deposit.rawValue, metadata: metadata)]
    }

    /// Records a withdrawal intent before asking a connector to pay out: pending wallet ->
    /// payouts in flight, `amountMinor`. No timeout by default: once money may have left,
    /// only the connector's answer resolves the intent. Code `withdrawalIntent`.
    public static func withdrawalIntent(id: TransferID, wallet: AccountID, inFlight: AccountID, amountMinor: Int64, asset: Asset,
                                        timeoutSeconds: Int64 = 0, metadata: String? = nil) -> [TransferRequest] {
        [.pending(id: id, debit: wallet, credit: inFlight, amountMinor: amountMinor, asset: asset,
                  timeoutSeconds: timeoutSeconds, code: RecipeCode.withdrawalIntent.rawValue, metadata: metadata)]
    }

    /// Settles a paid withdrawal: posts the intent for `amountMinor` (id `firstID`, code
    /// `withdrawalPost`) and moves payouts in flight -> clearing `amountMinor` (id `firstID + 1`,
    /// code `withdrawalSettle`), together.
    public static func withdrawalSucceeded(firstID: TransferID, intent: TransferID, inFlight: AccountID, clearing: AccountID,
                                           amountMinor: Int64, asset: Asset, metadata: String? = nil) throws(RecipeError) -> [TransferRequest] {
        guard amountMinor > 0 else { throw .amountInvalid(field: "amount", amountMinor: amountMinor) }
        return [
            .post(id: firstID, pending: intent, amountMinor: amountMinor, code: RecipeCode.withdrawalPost.rawValue, metadata: metadata),
            .posted(id: try derivedID(firstID, 1), debit: inFlight, credit: clearing, amountMinor: amountMinor, asset: asset,
                    code: RecipeCode.withdrawalSettle.rawValue, metadata: metadata),
        ]
    }

    /// Voids a withdrawal intent the connector reports failed; the wallet gets it back. Code `withdrawalVoid`.
    public static func withdrawalFailed(id: TransferID, intent: TransferID, metadata: String? = nil) -> [TransferRequest] {
        [.void(id: id, pending: intent, code: RecipeCode.withdrawalVoid.rawValue, metadata: metadata)]
    }

    /// Undoes a settled withdrawal that came back (a bank return, a failed Connect transfer):
    /// reverses the settlement (id `firstID`) then the posted intent (id `firstID + 1`), in
    /// that order so payouts in flight never goes below zero. Code `payoutReturned`.
    public static func payoutReturned(firstID: TransferID, settlement: TransferID, post: TransferID,
                                      metadata: String? = nil) throws(RecipeError) -> [TransferRequest] {
        [
            .reversal(id: firstID, of: settlement, code: RecipeCode.payoutReturned.rawValue, metadata: metadata),
            .reversal(id: try derivedID(firstID, 1), of: post, code: RecipeCode.payoutReturned.rawValue, metadata: metadata),
        ]
    }

    /// Books a fee the processor kept: processor-fee expense -> clearing, `amountMinor`. Code `processorFee`.
    public static func processorFee(id: TransferID, expense: AccountID, clearing: AccountID, amountMinor: Int64, asset: Asset,
                                    metadata: String? = nil) -> [TransferRequest] {
        [.posted(id: id, debit: expense, credit: clearing, amountMinor: amountMinor, asset: asset,
                 code: RecipeCode.processorFee.rawValue, metadata: metadata)]
    }

    /// Books gas paid on Base: gas expense -> clearing (ETH), `wei` rounded up to whole gwei
    /// so the expense never understates the cost; the exact wei (and `reference`, e.g. the
    /// transaction hash) go in the metadata as `{"reference":…,"wei":"…"}`. Code `gas`.
    public static func gas(id: TransferID, expense: AccountID, clearing: AccountID, wei: UInt64,
                           reference: String? = nil) throws(RecipeError) -> [TransferRequest] {
        guard wei > 0 else { throw .amountInvalid(field: "wei", amountMinor: 0) }
        return [.posted(id: id, debit: expense, credit: clearing, amountMinor: gweiRoundedUp(wei: wei), asset: .eth,
                        code: RecipeCode.gas.rawValue, metadata: gasMetadata(wei: wei, reference: reference))]
    }

    /// `wei` in whole gwei, rounded up.
    public static func gweiRoundedUp(wei: UInt64) -> Int64 {
        let (gwei, remainder) = wei.quotientAndRemainder(dividingBy: weiPerGwei)
        // UInt64.max wei is under 2^35 gwei, so this always fits.
        return Int64(gwei) + (remainder > 0 ? 1 : 0)
    }

    /// Books money the platform puts in, e.g. the gas float: clearing -> opening equity,
    /// `amountMinor`. Code `opening`.
    public static func opening(id: TransferID, clearing: AccountID, equity: AccountID, amountMinor: Int64, asset: Asset,
                               metadata: String? = nil) -> [TransferRequest] {
        [.posted(id: id, debit: clearing, credit: equity, amountMinor: amountMinor, asset: asset,
                 code: RecipeCode.opening.rawValue, metadata: metadata)]
    }

    private struct GasMetadata: Encodable {
        let reference: String?
        let wei: String
    }

    private static func gasMetadata(wei: UInt64, reference: String?) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(GasMetadata(reference: reference, wei: String(wei))), as: UTF8.self)
        } catch {
            // Two optional strings always encode; reaching this means Foundation broke.
            preconditionFailure("gas metadata did not encode: \(error)")
        }
    }
}
