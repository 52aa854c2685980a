/// Reads the writer's in-memory state back from the database: at start, and after a failed commit.
struct StateLoader {
    let connection: SQLiteConnection

    func load() throws(LedgerError) -> LedgerState {
        var state = LedgerState()
        let accounts = try connection.prepare("""
            SELECT a.id, asset_id, flags, debits_pending, debits_posted, credits_pending, credits_posted, code
            FROM accounts a JOIN account_balances b ON b.id = a.id ORDER BY a.id
            """)
        while try accounts.step() {
            // Ids are dense from 1 because the writer assigns them; a gap means someone else wrote here.
            guard accounts.int64(0) == Int64(state.accounts.count) else {
                throw .storage("account ids are not dense at \(accounts.int64(0))")
            }
            let balance = AccountBalance(debitsPending: accounts.int64(3), debitsPosted: accounts.int64(4),
                                         creditsPending: accounts.int64(5), creditsPosted: accounts.int64(6))
            state.accounts.append(AccountState(balance: balance, assetID: accounts.int64(1), flags: AccountFlags(rawValue: accounts.int64(2)),
                                               mode: LedgerMode(code: accounts.text(7) ?? "")))
        }
        let holds = try connection.prepare("""
            SELECT \(TransferColumns.qualifiedList) FROM transfer_links l JOIN transfers t ON t.seq = l.seq
            WHERE l.kind = \(LinkKind.openHold.rawValue)
            """)
        while try holds.step() {
            let hold = Hold(TransferColumns.transfer(from: holds))
            state.holds[hold.id] = hold
            if let expiresAt = hold.expiresAt { state.nextExpiryAt = min(state.nextExpiryAt ?? expiresAt, expiresAt) }
        }
        let maxID = try connection.prepare("SELECT COALESCE(MAX(id), 0) FROM transfers")
        _ = try maxID.step()
        state.maxTransferID = max(0, maxID.int64(0))
        let head = try connection.prepare("SELECT seq, timestamp, hash FROM transfers ORDER BY seq DESC LIMIT 1")
        if try head.step() {
            state.lastSeq = head.int64(0)
            state.lastTimestamp = head.int64(1)
            state.lastHash = JournalHash(bytes: head.blob(2)) ?? .genesis
        }
        // A closed period's end is a floor for every later stamp, even when no row came after it.
        let closed = try connection.prepare("SELECT COALESCE(MAX(ends_at), 0) FROM closed_periods")
        _ = try closed.step()
        state.lastTimestamp = max(state.lastTimestamp, closed.int64(0))
        return state
    }

    func lastCommitSeq() throws(LedgerError) -> Int64 {
        let statement = try connection.prepare("SELECT COALESCE(MAX(seq), 0) FROM commits")
        _ = try statement.step()
        return statement.int64(0)
    }

    /// Decodes a row of `SELECT id, code, type, asset_id, flags, owner_kind, owner_id, created_at, <4 balances>`.
    static func account(from row: PreparedStatement) -> Account {
        Account(id: AccountID(row.int64(0)), code: row.text(1) ?? "", type: AccountType(rawValue: row.text(2) ?? "") ?? .asset,
                asset: Asset.withID(row.int64(3)) ?? Asset(id: row.int64(3), code: "?", scale: 0),
                flags: AccountFlags(rawValue: row.int64(4)), ownerKind: row.text(5), ownerID: row.text(6), createdAt: row.int64(7),
                balance: AccountBalance(debitsPending: row.int64(8), debitsPosted: row.int64(9),
                                        creditsPending: row.int64(10), creditsPosted: row.int64(11)))
    }
}
