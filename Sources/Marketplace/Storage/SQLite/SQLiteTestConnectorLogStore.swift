import GRDB
import LedgerCore

/// The test connector's log in SQLite: the `test_connector_log` table.
struct SQLiteTestConnectorLogStore: TestConnectorLogStore {
    let db: Database

    func record(_ kind: TestConnectorLog.Kind, asset: Asset, amountMinor: Int64, transfer: TransferID, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT OR IGNORE INTO test_connector_log (kind, asset, amount_minor, transfer_id, created_at) VALUES (?, ?, ?, ?, ?)
            """, arguments: [kind.rawValue, asset.code, amountMinor, transfer.rawValue, nowMicros])
    }

    func lines(fromMicros: Int64, toMicros: Int64) throws -> [TestConnectorLog.Line] {
        try Row.fetchAll(db, sql: """
            SELECT id, kind, asset, amount_minor, transfer_id, created_at FROM test_connector_log WHERE created_at >= ? AND created_at < ? ORDER BY id
            """, arguments: [fromMicros, toMicros]).map { row in
            TestConnectorLog.Line(id: row[0], kind: row[1], asset: row[2], amountMinor: row[3], transferID: row[4], createdAt: row[5])
        }
    }
}

extension Stores {
    var testConnectorLog: some TestConnectorLogStore { SQLiteTestConnectorLogStore(db: db) }
}
