import Foundation
import GRDB

extension Ledger {
    /// The longest statement page.
    public static let statementPageMax = 500
    /// The longest page of accounts.
    public static let accountsPageMax = 1_000

    /// Selects an account with its balances; append a WHERE on `a.`.
    static let accountQuery = """
        SELECT a.id, code, type, asset_id, flags, owner_kind, owner_id, created_at,
               debits_pending, debits_posted, credits_pending, credits_posted
        FROM accounts a JOIN account_balances b ON b.id = a.id
        """

    /// An account with its stored balances, or nil.
    public func account(_ id: AccountID) throws(LedgerError) -> Account? {
        try read { db in
            try Row.fetchOne(db, sql: "\(Self.accountQuery) WHERE a.id = ?", arguments: [id.rawValue]).map(Self.account)
        }
    }

    /// An account by its chart-of-accounts code, or nil.
    public func account(code: String) throws(LedgerError) -> Account? {
        try read { db in
            try Row.fetchOne(db, sql: "\(Self.accountQuery) WHERE a.code = ?", arguments: [code]).map(Self.account)
        }
    }

    /// Accounts in id order after `after`, at most `limit`, optionally of one asset.
    public func accounts(after: AccountID? = nil, limit: Int = 100, asset: Asset? = nil) throws(LedgerError) -> [Account] {
        let limit = max(1, min(limit, Self.accountsPageMax))
        return try read { db in
            try Row.fetchAll(db, sql: """
                \(Self.accountQuery) WHERE a.id > ? AND (? IS NULL OR a.asset_id = ?) ORDER BY a.id LIMIT ?
                """, arguments: [after?.rawValue ?? 0, asset?.id, asset?.id, limit]).map(Self.account)
        }
    }

    /// A journal row by transfer id, or nil.
    public func transfer(_ id: TransferID) throws(LedgerError) -> Transfer? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(TransferColumns.list) FROM transfers WHERE id = ?", arguments: [id.rawValue]).map(Self.transfer)
        }
    }

    /// Every journal row with `seq` in the range, in order.
    public func journal(seqs: ClosedRange<Int64>) throws(LedgerError) -> [Transfer] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(TransferColumns.list) FROM transfers WHERE seq BETWEEN ? AND ? ORDER BY seq",
                             arguments: [seqs.lowerBound, seqs.upperBound]).map(Self.transfer)
        }
    }

    /// The journal's length and the hash at its head.
    public func head() throws(LedgerError) -> (seq: Int64, hash: JournalHash) {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM transfers ORDER BY seq DESC LIMIT 1") else { return (0, .genesis) }
            return (row[0], JournalHash(bytes: row[1] as Data) ?? .genesis)
        }
    }

    /// An account's statement, oldest first, `limit` entries after `cursor`.
    public func statement(of id: AccountID, after cursor: StatementCursor? = nil, limit: Int = 100) throws(LedgerError) -> StatementPage? {
        let limit = max(1, min(limit, Self.statementPageMax))
        return try read { db -> StatementPage? in
            guard let row = try Row.fetchOne(db, sql: "\(Self.accountQuery) WHERE a.id = ?", arguments: [id.rawValue]) else {
                return nil
            }
            let account = Self.account(row)
            var entries: [StatementEntry] = []
            try Self.forEachEntry(db, account: id, after: cursor) { entry in
                entries.append(entry)
                return entries.count <= limit
            }
            let hasMore = entries.count > limit
            if hasMore { entries.removeLast() }
            let next = hasMore ? entries.last.map { StatementCursor(commitSeq: $0.commitSeq, transferSeq: $0.transfer.seq) } : nil
            return StatementPage(account: account, entries: entries, nextCursor: next)
        }
    }

    /// An account's balances as they stood at `timestamp` (microseconds since 1970), replayed
    /// from the journal: every row committed at or before that time counts.
    public func balance(of id: AccountID, asOf timestamp: Int64) throws(LedgerError) -> AccountBalance? {
        try read { db -> AccountBalance? in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE id = ?", arguments: [id.rawValue]) == true else { return nil }
            var balance = AccountBalance.zero
            var fold = BalanceFold()
            try Self.forEachEntry(db, account: id, after: nil) { entry in
                guard entry.transfer.timestamp <= timestamp else { return false }
                if let deltas = fold.deltas(of: entry.transfer) {
                    _ = balance.apply(isDebit: entry.isDebit, pending: deltas.pending, posted: deltas.posted)
                }
                return true
            }
            return balance
        }
    }

    /// Calls `body` with each of the account's journal rows after `cursor`, in order, until it returns false.
    ///
    /// Candidate commits come from `account_commits` (narrow commits) and from the account
    /// blobs of wide commits; each candidate's rows are read by their contiguous `seq` range.
    static func forEachEntry(_ db: Database, account: AccountID, after cursor: StatementCursor?, _ body: (StatementEntry) throws -> Bool) throws {
        var fromCommit = cursor?.commitSeq ?? 1
        let afterSeq = cursor?.transferSeq ?? 0
        var wide: (seq: Int64, first: Int64, last: Int64)?
        var wideExhausted = false
        while true {
            let narrow = try Row.fetchOne(db, sql: """
                SELECT c.seq, c.first_transfer_seq, c.last_transfer_seq FROM account_commits a JOIN commits c ON c.seq = a.commit_seq
                WHERE a.account_id = ? AND a.commit_seq >= ? ORDER BY a.commit_seq LIMIT 1
                """, arguments: [account.rawValue, fromCommit]).map { (seq: $0[0] as Int64, first: $0[1] as Int64, last: $0[2] as Int64) }
            if !wideExhausted, (wide?.seq ?? 0) < fromCommit {
                wide = try Self.nextWideCommit(db, account: account, from: fromCommit)
                wideExhausted = wide == nil
            }
            guard let commit = [narrow, wide].compactMap({ $0 }).min(by: { $0.seq < $1.seq }) else { return }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(TransferColumns.list) FROM transfers
                WHERE seq BETWEEN ? AND ? AND (debit_account_id = ? OR credit_account_id = ?) ORDER BY seq
                """, arguments: [max(commit.first, afterSeq + 1), commit.last, account.rawValue, account.rawValue])
            while let row = try rows.next() {
                let transfer = Self.transfer(row)
                let entry = StatementEntry(commitSeq: commit.seq, transfer: transfer, isDebit: transfer.debitAccountID == account)
                guard try body(entry) else { return }
            }
            fromCommit = commit.seq + 1
        }
    }

    private static func nextWideCommit(_ db: Database, account: AccountID, from: Int64) throws -> (seq: Int64, first: Int64, last: Int64)? {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT seq, first_transfer_seq, last_transfer_seq, wide_accounts FROM commits
            WHERE wide_accounts IS NOT NULL AND seq >= ? ORDER BY seq
            """, arguments: [from])
        while let row = try rows.next() {
            let accounts = Array(row[3] as Data)
            if AccountSet.contains(accounts, account.rawValue) { return (row[0], row[1], row[2]) }
        }
        return nil
    }

    static func account(_ row: Row) -> Account {
        let assetID: Int64 = row[3]
        return Account(
            id: AccountID(row[0] as Int64), code: row[1], type: AccountType(rawValue: row[2] as String) ?? .asset,
            asset: Asset.withID(assetID) ?? Asset(id: assetID, code: "?", scale: 0), flags: AccountFlags(rawValue: row[4]),
            ownerKind: row[5], ownerID: row[6], createdAt: row[7],
            balance: AccountBalance(debitsPending: row[8], debitsPosted: row[9], creditsPending: row[10], creditsPosted: row[11]))
    }

    static func transfer(_ row: Row) -> Transfer {
        Transfer(
            seq: row[0], id: TransferID(row[1] as Int64), debitAccountID: AccountID(row[2] as Int64),
            creditAccountID: AccountID(row[3] as Int64), amountMinor: row[4], assetID: row[5], flags: TransferFlags(rawValue: row[6]),
            pendingID: (row[7] as Int64?).map(TransferID.init(rawValue:)), reversesID: (row[8] as Int64?).map(TransferID.init(rawValue:)),
            timeoutSeconds: row[9], code: row[10], timestamp: row[11], metadata: row[12],
            hash: JournalHash(bytes: row[13] as Data) ?? .genesis)
    }
}

extension Ledger {
    /// How many durable commits wrote transfers.
    public func commitCount() throws(LedgerError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM commits") ?? 0 }
    }
}
