import GRDB

/// Finance's report labels in SQLite: the `full_name` column of the `users` table.
struct SQLiteReportLabelStore: ReportLabelStore {
    let db: Database

    func fullName(ofUser id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT full_name FROM users WHERE id = ?", arguments: [id])
    }
}

extension Stores {
    var reportLabels: some ReportLabelStore { SQLiteReportLabelStore(db: db) }
}
