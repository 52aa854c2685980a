import GRDB
public import LedgerCore

/// How a task was funded: its escrow account and the fee split fixed at that moment.
public struct TaskFunding: Sendable, Hashable {
    public let taskID: String
    public let escrowAccountID: AccountID
    public let asset: Asset
    public let escrowMinor: Int64
    public let payoutMinor: Int64
    public let feeMinor: Int64
    /// The version of the fee rule that produced the split.
    public let feeRule: String

    init(row: Row) {
        taskID = row["task_id"]
        escrowAccountID = AccountID(row["escrow_account_id"] as Int64)
        asset = Asset.named(row["asset"]) ?? .usd
        escrowMinor = row["escrow_minor"]
        payoutMinor = row["payout_minor"]
        feeMinor = row["fee_minor"]
        feeRule = row["fee_rule"]
    }
}
