public import LedgerCore
import Marketplace
public import MarketplaceViews

/// A journal row on the wire.
public struct TransferView: Codable, Sendable, Hashable {
    public let seq: Int64
    public let id: Int64
    public let kind: String
    public let debitAccountId: Int64
    public let creditAccountId: Int64
    public let money: MoneyView
    public let pendingId: Int64?
    public let reversesId: Int64?
    public let timeoutSeconds: Int64
    public let code: Int64
    public let timestamp: String
    public let metadata: String?
    public let hash: String

    public init(_ transfer: Transfer) {
        seq = transfer.seq
        id = transfer.id.rawValue
        kind = Self.kind(of: transfer)
        debitAccountId = transfer.debitAccountID.rawValue
        creditAccountId = transfer.creditAccountID.rawValue
        let asset = Asset.withID(transfer.assetID) ?? Asset(id: transfer.assetID, code: "?", scale: 0)
        money = MoneyView(minor: transfer.amountMinor, asset: asset)
        pendingId = transfer.pendingID?.rawValue
        reversesId = transfer.reversesID?.rawValue
        timeoutSeconds = transfer.timeoutSeconds
        code = transfer.code
        timestamp = Timestamps.format(transfer.timestamp)
        metadata = transfer.metadata
        hash = transfer.hash.hex
    }

    static func kind(of transfer: Transfer) -> String {
        switch transfer.flags {
        case .pending: "pending"
        case .postPending: "post_pending"
        case .voidPending: "void_pending"
        case [.voidPending, .expired]: "expired"
        default: transfer.reversesID == nil ? "posted" : "reversal"
        }
    }
}
