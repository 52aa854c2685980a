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
    /// Where the money came from.
    public let source: FundingSource

    init(row: Row) {
        taskID = row["task_id"]
        escrowAccountID = AccountID(row["escrow_account_id"] as Int64)
        asset = Asset.named(row["asset"]) ?? .usd
        escrowMinor = row["escrow_minor"]
        payoutMinor = row["payout_minor"]
        feeMinor = row["fee_minor"]
        feeRule = row["fee_rule"]
        source = FundingSource(rawValue: row["source"]) ?? .wallet
    }
}

/// Where a task's money comes from.
public enum FundingSource: String, Sendable, Hashable, CaseIterable {
    /// The owner's prepaid wallet (recipe 1).
    case wallet
    /// A payment connector straight into escrow (recipe 7); in test mode it settles at once.
    case connector
}

/// What asking to fund a task led to.
public enum FundingOutcome: Sendable, Hashable {
    case funded(TaskFunding)
    /// Above the key's spend policy: waiting for the account owner.
    case awaitingApproval(FundingApproval)
}

/// A funding an API key asked for above its spend policy, waiting for the account owner.
public struct FundingApproval: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable { case pending, approved, declined }

    public let id: String
    public let taskID: String
    public let keyID: String
    public let asset: Asset
    public let amountMinor: Int64
    public let reason: String
    public var status: Status
    public let createdAt: Int64
    public var decidedAt: Int64?

    init(row: Row) {
        id = row["id"]
        taskID = row["task_id"]
        keyID = row["key_id"]
        asset = Asset.named(row["asset"]) ?? .usd
        amountMinor = row["amount_minor"]
        reason = row["reason"]
        status = Status(rawValue: row["status"]) ?? .pending
        createdAt = row["created_at"]
        decidedAt = row["decided_at"]
    }
}

/// A key's spend policy: caps per task and per UTC day, in one asset.
public struct SpendPolicy: Sendable, Hashable {
    public let asset: Asset
    public let perTaskMinor: Int64?
    public let perDayMinor: Int64?

    public init(asset: Asset, perTaskMinor: Int64?, perDayMinor: Int64?) {
        self.asset = asset
        self.perTaskMinor = perTaskMinor
        self.perDayMinor = perDayMinor
    }
}
