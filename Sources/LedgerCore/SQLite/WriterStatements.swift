/// The writer's prepared statements, made once per connection.
struct WriterStatements {
    let insertTransfer: PreparedStatement
    let updateBalance: PreparedStatement
    let insertAccount: PreparedStatement
    let insertBalance: PreparedStatement
    let accountByCode: PreparedStatement
    let insertCommit: PreparedStatement
    let insertAccountCommit: PreparedStatement
    let insertIdempotencyKey: PreparedStatement
    let idempotencyKey: PreparedStatement
    let transferExists: PreparedStatement
    let transferByID: PreparedStatement
    let resolution: PreparedStatement
    let reversedSum: PreparedStatement
    let transfersInRange: PreparedStatement
    let insertLink: PreparedStatement
    let deleteOpenHold: PreparedStatement
    let begin: PreparedStatement
    let commit: PreparedStatement
    let rollback: PreparedStatement
    /// One transaction job's savepoint inside the group commit.
    let savepoint: PreparedStatement
    let releaseSavepoint: PreparedStatement
    let rollbackToSavepoint: PreparedStatement

    init(_ connection: SQLiteConnection) throws(LedgerError) {
        insertTransfer = try connection.prepare("""
            INSERT INTO transfers (\(TransferColumns.list)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
            """)
        updateBalance = try connection.prepare("""
            UPDATE account_balances SET debits_pending = ?2, debits_posted = ?3, credits_pending = ?4, credits_posted = ?5 WHERE id = ?1
            """)
        insertAccount = try connection.prepare("""
            INSERT INTO accounts (id, code, type, asset_id, flags, owner_kind, owner_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
        insertBalance = try connection.prepare("INSERT INTO account_balances (id) VALUES (?1)")
        accountByCode = try connection.prepare("""
            SELECT a.id, code, type, asset_id, flags, owner_kind, owner_id, created_at,
                   debits_pending, debits_posted, credits_pending, credits_posted
            FROM accounts a JOIN account_balances b ON b.id = a.id WHERE code = ?1
            """)
        insertCommit = try connection.prepare("""
            INSERT INTO commits (seq, first_transfer_seq, last_transfer_seq, timestamp, wide_accounts) VALUES (?1, ?2, ?3, ?4, ?5)
            """)
        insertAccountCommit = try connection.prepare("INSERT INTO account_commits (account_id, commit_seq) VALUES (?1, ?2)")
        insertIdempotencyKey = try connection.prepare("""
            INSERT INTO idempotency_keys (key, request_hash, first_transfer_seq, transfer_count, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
            """)
        idempotencyKey = try connection.prepare(
            "SELECT request_hash, first_transfer_seq, transfer_count FROM idempotency_keys WHERE key = ?1")
        transferExists = try connection.prepare("SELECT 1 FROM transfers WHERE id = ?1")
        transferByID = try connection.prepare("SELECT \(TransferColumns.list) FROM transfers WHERE id = ?1")
        resolution = try connection.prepare("""
            SELECT \(TransferColumns.qualifiedList) FROM transfer_links l JOIN transfers t ON t.seq = l.seq
            WHERE l.target_id = ?1 AND l.kind = \(LinkKind.resolution.rawValue) LIMIT 1
            """)
        reversedSum = try connection.prepare(
            "SELECT COALESCE(SUM(amount), 0) FROM transfer_links WHERE target_id = ?1 AND kind = \(LinkKind.reversal.rawValue)")
        insertLink = try connection.prepare("INSERT INTO transfer_links (target_id, kind, seq, amount) VALUES (?1, ?2, ?3, ?4)")
        deleteOpenHold = try connection.prepare(
            "DELETE FROM transfer_links WHERE target_id = ?1 AND kind = \(LinkKind.openHold.rawValue)")
        transfersInRange = try connection.prepare(
            "SELECT \(TransferColumns.list) FROM transfers WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq")
        begin = try connection.prepare("BEGIN IMMEDIATE")
        commit = try connection.prepare("COMMIT")
        rollback = try connection.prepare("ROLLBACK")
        savepoint = try connection.prepare("SAVEPOINT ledger_job")
        releaseSavepoint = try connection.prepare("RELEASE ledger_job")
        rollbackToSavepoint = try connection.prepare("ROLLBACK TO ledger_job")
    }

    /// Finalizes every statement, so the connection they belong to can close.
    func finalize() {
        for child in Mirror(reflecting: self).children { (child.value as? PreparedStatement)?.finalize() }
    }
}
