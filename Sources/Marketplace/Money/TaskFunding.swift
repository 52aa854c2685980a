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

    init(taskID: String, escrowAccountID: AccountID, asset: Asset, split: FeeSplit, feeRule: String, source: FundingSource) {
        self.taskID = taskID
        self.escrowAccountID = escrowAccountID
        self.asset = asset
        escrowMinor = split.escrowMinor
        payoutMinor = split.payoutMinor
        feeMinor = split.feeMinor
        self.feeRule = feeRule
        self.source = source
    }

    /// Records the funding (once per task), with when it was made and through which key.
    func insert(fundedAt: Int64, keyID: String?, _ stores: Stores) throws {
        let db = stores.db
        try db.run(sql: """
            INSERT OR IGNORE INTO task_funding (task_id, escrow_account_id, asset, escrow_minor, payout_minor, fee_minor, fee_rule, funded_at, source, key_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [taskID, escrowAccountID.rawValue, asset.code, escrowMinor, payoutMinor, feeMinor, feeRule, fundedAt, source.rawValue, keyID])
    }

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
    /// A card, through a connector's hosted checkout (recipes 2 + 3): funded when it is paid.
    case card
    /// A signed USDC authorization (EIP-3009, as x402 clients send it), settled on chain by the
    /// hot wallet: funded once the settlement is confirmed.
    case authorization
}

/// What asking to fund a task led to.
public enum FundingOutcome: Sendable, Hashable {
    /// Funded (now or before); `mockOperator` when the task asked for a test-mode mock operator,
    /// which starts once the task is funded.
    case funded(TaskFunding, mockOperator: Bool)
    /// Above the key's spend policy: waiting for the account owner.
    case awaitingApproval(FundingApproval)
    /// By card: the checkout the payer pays at (or paid: then it is `.paid`).
    case checkout(CardCheckout)
    /// In USDC without a payment (or one that did not verify): what to sign, as x402 asks;
    /// `reason` says why a payment was turned down, `field` what in it.
    case paymentRequired(X402.Requirements, reason: String?, field: String?)
    /// In USDC: verified and held; the settlement is on chain (its hash once broadcast).
    case settling(ChainSettling)
}

/// A USDC payment held while its settlement transaction is mined.
public struct ChainSettling: Sendable, Hashable {
    public let taskID: String
    public let transaction: String?
    public let payer: String
    public let network: String
    public let amountMinor: Int64
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
