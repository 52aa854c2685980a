import GRDB
import LedgerCore

/// The test connector's own account of what it moved, written in the commit that booked the
/// movement (the test connector settles at once), one row per ledger transfer it answered.
/// Reconciliation reads it as the test connector's statement, like Stripe's balance
/// transactions or Base's logs.
enum TestConnectorLog {
    enum Kind: String { case deposit, funding, payout }

    static func record(_ kind: Kind, asset: Asset, amountMinor: Int64, transfer: TransferID, nowMicros: Int64, _ stores: Stores) throws {
        let db = stores.db
        try db.run(sql: """
            INSERT OR IGNORE INTO test_connector_log (kind, asset, amount_minor, transfer_id, created_at) VALUES (?, ?, ?, ?, ?)
            """, arguments: [kind.rawValue, asset.code, amountMinor, transfer.rawValue, nowMicros])
    }

    /// The log's lines in [from, to), as reconciliation items.
    static func items(from: Int64, to: Int64, _ stores: Stores) throws -> [ReconciliationItem] {
        let db = stores.db
        return try Row.fetchAll(db, sql: """
            SELECT id, kind, asset, amount_minor, transfer_id, created_at FROM test_connector_log WHERE created_at >= ? AND created_at < ? ORDER BY id
            """, arguments: [from, to]).map { row in
            let amount: Int64 = row[3]
            let transfer: Int64 = row[4]
            return ReconciliationItem(id: "log:\(row[0] as Int64)", kind: amount > 0 ? "in" : "out", amountMinor: amount, asset: row[2],
                                      time: row[5], references: ["transfer:\(transfer)"], label: row[1])
        }
    }
}
