import LedgerCore
import Marketplace

/// One wallet (one asset): available, pending, frozen, and what went through it.
struct WalletView: Encodable, Sendable {
    struct Totals: Encodable, Sendable {
        let funded: MoneyView
        let paidOut: MoneyView
        let refunded: MoneyView
        let fees: MoneyView
        let earned: MoneyView
        let withdrawn: MoneyView

        init(_ totals: WalletTotals) {
            let asset = totals.asset
            funded = MoneyView(minor: totals.fundedMinor, asset: asset)
            paidOut = MoneyView(minor: totals.paidOutMinor, asset: asset)
            refunded = MoneyView(minor: totals.refundedMinor, asset: asset)
            fees = MoneyView(minor: totals.feesMinor, asset: asset)
            earned = MoneyView(minor: totals.earnedMinor, asset: asset)
            withdrawn = MoneyView(minor: totals.withdrawnMinor, asset: asset)
        }
    }

    let asset: String
    let accountId: Int64
    let available: MoneyView
    let pending: MoneyView
    let frozen: MoneyView
    let lifetime: Totals?

    init(_ wallet: Wallet, totals: WalletTotals?) {
        asset = wallet.asset.code
        accountId = wallet.accountID.rawValue
        available = MoneyView(minor: wallet.availableMinor, asset: wallet.asset)
        pending = MoneyView(minor: wallet.pendingMinor, asset: wallet.asset)
        frozen = MoneyView(minor: wallet.frozenMinor, asset: wallet.asset)
        lifetime = totals.map(Totals.init)
    }
}

/// One movement on a wallet, named for people ("funding", "refund", "earning", …).
struct TransactionView: Encodable, Sendable {
    let type: String
    let direction: String
    let amount: MoneyView
    let transferId: Int64
    let code: Int64
    let pending: Bool
    let metadata: String?
    let timestamp: String

    init(_ transaction: WalletTransaction) {
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
struct TransactionPageView: Encodable, Sendable {
    let transactions: [TransactionView]
    let hasMore: Bool
    let nextCursor: String?
}
