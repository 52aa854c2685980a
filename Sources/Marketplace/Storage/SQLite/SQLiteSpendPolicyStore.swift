import GRDB
import LedgerCore

/// The spend policies in SQLite: the `spend_*` columns of `api_keys`.
struct SQLiteSpendPolicyStore: SpendPolicyStore {
    let db: Database

    func policy(ofKey keyID: String) throws -> SpendPolicy? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT spend_asset, spend_per_task_minor, spend_per_day_minor FROM api_keys WHERE id = ?"),
                                         arguments: [keyID]),
              let asset = (row["spend_asset"] as String?).flatMap(Asset.named) else { return nil }
        return SpendPolicy(asset: asset, perTaskMinor: row["spend_per_task_minor"], perDayMinor: row["spend_per_day_minor"])
    }
}

extension Stores {
    var spendPolicies: some SpendPolicyStore { SQLiteSpendPolicyStore(db: db) }
}
