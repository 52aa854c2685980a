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

    /// A funding as stored.
    init(taskID: String, escrowAccountID: AccountID, asset: Asset, escrowMinor: Int64, payoutMinor: Int64, feeMinor: Int64,
         feeRule: String, source: FundingSource) {
        self.taskID = taskID
        self.escrowAccountID = escrowAccountID
        self.asset = asset
        self.escrowMinor = escrowMinor
        self.payoutMinor = payoutMinor
        self.feeMinor = feeMinor
        self.feeRule = feeRule
        self.source = source
    }

    /// Records the funding (once per task), with when it was made and through which key.
    func insert(fundedAt: Int64, keyID: String?, _ stores: Stores) throws {
        try stores.fundings.insert(self, fundedAt: fundedAt, keyID: keyID)
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

    init(id: String, taskID: String, keyID: String, asset: Asset, amountMinor: Int64, reason: String, status: Status, createdAt: Int64,
         decidedAt: Int64?) {
        self.id = id
        self.taskID = taskID
        self.keyID = keyID
        self.asset = asset
        self.amountMinor = amountMinor
        self.reason = reason
        self.status = status
        self.createdAt = createdAt
        self.decidedAt = decidedAt
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
