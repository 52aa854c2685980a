import GRDB

/// The payout accounts in SQLite: the `payout_accounts` table, unique per (user, mode, connector).
struct SQLitePayoutAccountStore: PayoutAccountStore {
    let db: Database

    func link(userID: String, mode: Mode, connector: String, accountID: String, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT INTO payout_accounts (user_id, mode, connector, account_id, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (user_id, mode, connector) DO UPDATE SET account_id = excluded.account_id, created_at = excluded.created_at
            """, arguments: [userID, mode.rawValue, connector, accountID, nowMicros])
    }

    func unlink(userID: String, mode: Mode, connector: String) throws {
        try db.run(sql: "DELETE FROM payout_accounts WHERE user_id = ? AND mode = ? AND connector = ?", arguments: [userID, mode.rawValue, connector])
    }

    func fetch(userID: String, mode: Mode, connector: String) throws -> PayoutAccount? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT account_id FROM payout_accounts WHERE user_id = ? AND mode = ? AND connector = ?"),
                            arguments: [userID, mode.rawValue, connector]).map { PayoutAccount(connector: connector, accountID: $0) }
    }
}

extension Stores {
    var payoutAccounts: some PayoutAccountStore { SQLitePayoutAccountStore(db: db) }
}
