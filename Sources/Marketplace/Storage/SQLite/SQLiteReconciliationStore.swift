import GRDB

/// The reconciliation runs in SQLite: the `reconciliation_runs` and `reconciliation_breaks`
/// tables, amounts kept as decimal text.
struct SQLiteReconciliationStore: ReconciliationStore {
    let db: Database

    func lastRunID() throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM reconciliation_runs")
    }

    func lastRun() throws -> (id: Int64, startedAt: Int64, summary: String)? {
        try Row.fetchOne(db, sql: "SELECT id, started_at, summary FROM reconciliation_runs ORDER BY id DESC LIMIT 1").map { ($0[0], $0[1], $0[2]) }
    }

    func insertRun(startedAt: Int64, from: Int64, to: Int64, connectors: String, matched: Int, breakCount: Int, summary: String) throws -> Int64 {
        try db.run(sql: """
            INSERT INTO reconciliation_runs (started_at, from_at, to_at, connectors, matched, break_count, summary) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [startedAt, from, to, connectors, matched, breakCount, summary])
        return db.lastInsertedRowID
    }

    func insertBreak(_ item: ReconciliationBreak, runID: Int64) throws {
        try db.run(sql: """
            INSERT OR IGNORE INTO reconciliation_breaks (run_id, fingerprint, kind, connector, reference, asset, ledger_amount, processor_amount, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [runID, item.fingerprint, item.kind.rawValue, item.connector, item.reference, item.asset,
                             item.ledgerMinor.map(String.init), item.processorMinor.map(String.init), item.detail])
    }

    func breaks(ofRun id: Int64) throws -> [ReconciliationBreak] {
        try Row.fetchAll(db, sql: """
            SELECT kind, connector, reference, asset, ledger_amount, processor_amount, detail FROM reconciliation_breaks WHERE run_id = ? ORDER BY rowid
            """, arguments: [id]).map { row in
            ReconciliationBreak(kind: ReconciliationBreak.Kind(rawValue: row[0]) ?? .amountMismatch, connector: row[1], reference: row[2], asset: row[3],
                                ledgerMinor: (row[4] as String?).flatMap { Int64($0) }, processorMinor: (row[5] as String?).flatMap { Int64($0) }, detail: row[6])
        }
    }
}

extension Stores {
    var reconciliations: some ReconciliationStore { SQLiteReconciliationStore(db: db) }
}
