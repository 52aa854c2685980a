public import LedgerCore
public import Marketplace

/// One wallet (one asset): available, pending, frozen, and what went through it.
public struct WalletView: Encodable, Sendable {
    public struct Totals: Encodable, Sendable {
        public let funded: MoneyView
        public let paidOut: MoneyView
        public let refunded: MoneyView
        public let fees: MoneyView
        public let earned: MoneyView
        public let withdrawn: MoneyView

        public init(_ totals: WalletTotals) {
            let asset = totals.asset
            funded = MoneyView(minor: totals.fundedMinor, asset: asset)
            paidOut = MoneyView(minor: totals.paidOutMinor, asset: asset)
            refunded = MoneyView(minor: totals.refundedMinor, asset: asset)
            fees = MoneyView(minor: totals.feesMinor, asset: asset)
            earned = MoneyView(minor: totals.earnedMinor, asset: asset)
            withdrawn = MoneyView(minor: totals.withdrawnMinor, asset: asset)
        }
    }

    public let asset: String
    public let accountId: Int64
    public let available: MoneyView
    public let pending: MoneyView
    public let frozen: MoneyView
    public let lifetime: Totals?

    public init(_ wallet: Wallet, totals: WalletTotals?) {
        asset = wallet.asset.code
        accountId = wallet.accountID.rawValue
        available = MoneyView(minor: wallet.availableMinor, asset: wallet.asset)
        pending = MoneyView(minor: wallet.pendingMinor, asset: wallet.asset)
        frozen = MoneyView(minor: wallet.frozenMinor, asset: wallet.asset)
        lifetime = totals.map(Totals.init)
    }
}

/// One movement on a wallet, named for people ("funding", "refund", "earning", …).
public struct TransactionView: Encodable, Sendable {
    public let type: String
    public let direction: String
    public let amount: MoneyView
    public let transferId: Int64
    public let code: Int64
    public let pending: Bool
    public let metadata: String?
    public let timestamp: String

    public init(_ transaction: WalletTransaction) {
        let transfer = transaction.entry.transfer
        type = transaction.type
        direction = transaction.entry.isDebit ? "out" : "in"
        amount = MoneyView(minor: transfer.amountMinor, asset: Asset.withID(transfer.assetID) ?? Asset(id: transfer.assetID, code: "?", scale: 0))
        transferId = transfer.id.rawValue
        code = Int64(transfer.code)
        pending = transfer.flags == .pending
        metadata = transfer.metadata
        timestamp = Timestamps.format(transfer.timestamp)
    }
}

/// A page of wallet movements.
public struct TransactionPageView: Encodable, Sendable {
    public let transactions: [TransactionView]
    public let hasMore: Bool
    public let nextCursor: String?

    public init(transactions: [TransactionView], hasMore: Bool, nextCursor: String?) {
        self.transactions = transactions
        self.hasMore = hasMore
        self.nextCursor = nextCursor
    }
}
