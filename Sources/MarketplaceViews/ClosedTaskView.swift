public import Marketplace
import LedgerCore

/// A canceled task: the task's fields, as `TaskView` gives them, then whether its escrow was
/// refunded (`refunded`) and how (`refund`: the amount, where it went, the ledger transfer).
public struct ClosedTaskView: Encodable, Sendable {
    public let task: TaskView
    public let refund: RefundView?

    public struct RefundView: Encodable, Sendable {
        public let amount: MoneyView
        /// `wallet` (credited in the same commit) or `card` (sent to the processor after it).
        public let to: String
        /// The refund's ledger transfer, as the wallet's transactions name it.
        public let transferId: Int64
    }

    public init(_ closed: ClosedTask) {
        task = TaskView(closed.task)
        refund = closed.refund.map {
            RefundView(amount: MoneyView(minor: $0.amountMinor, asset: $0.asset), to: $0.to.rawValue, transferId: $0.transferID.rawValue)
        }
    }

    private enum Key: String, CodingKey { case refunded, refund }

    public func encode(to encoder: any Encoder) throws {
        try task.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(refund != nil, forKey: .refunded)
        try container.encode(refund, forKey: .refund)
    }
}
