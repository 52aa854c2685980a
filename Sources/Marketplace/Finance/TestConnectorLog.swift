import LedgerCore

/// The test connector's own account of what it moved, written in the commit that booked the
/// movement (the test connector settles at once), one row per ledger transfer it answered.
/// Reconciliation reads it as the test connector's statement, like Stripe's balance
/// transactions or Base's logs.
enum TestConnectorLog {
    enum Kind: String { case deposit, funding, payout }

    /// One line of the log: what the test connector moved for one ledger transfer.
    struct Line: Sendable {
        let id: Int64
        /// The kind's raw value as it was written.
        let kind: String
        let asset: String
        /// Positive into the test connector's clearing account, negative out of it.
        let amountMinor: Int64
        let transferID: Int64
        let createdAt: Int64
    }

    static func record(_ kind: Kind, asset: Asset, amountMinor: Int64, transfer: TransferID, nowMicros: Int64, _ stores: Stores) throws {
        try stores.testConnectorLog.record(kind, asset: asset, amountMinor: amountMinor, transfer: transfer, nowMicros: nowMicros)
    }

    /// The log's lines in [from, to), as reconciliation items.
    static func items(from: Int64, to: Int64, _ stores: Stores) throws -> [ReconciliationItem] {
        try stores.testConnectorLog.lines(fromMicros: from, toMicros: to).map { line in
            ReconciliationItem(id: "log:\(line.id)", kind: line.amountMinor > 0 ? "in" : "out", amountMinor: line.amountMinor, asset: line.asset,
                               time: line.createdAt, references: ["transfer:\(line.transferID)"], label: line.kind)
        }
    }
}
