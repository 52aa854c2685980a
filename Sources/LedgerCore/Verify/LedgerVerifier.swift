import Foundation
import GRDB

extension Ledger {
    /// Recomputes every balance from the journal and checks the hash chain, debits = credits
    /// per asset, every constraint and every hold's state; reports the first fault.
    /// Reads one consistent snapshot, so it can run while the writer commits.
    public func verify() throws(LedgerError) -> VerifyReport {
        try read { db in
            var verifier = LedgerVerifier(db)
            return try verifier.run()
        }
    }
}

/// One run of the verifier over a read snapshot. It shares no code with the writer's
/// validation (only the canonical hash and the balance fold), so it checks, not repeats.
struct LedgerVerifier {
    private struct Found: Error { let fault: LedgerFault }
    private struct AccountRow {
        let assetID: Int64
        let mode: LedgerMode
        let flags: AccountFlags
        let stored: AccountBalance
        var journal = AccountBalance.zero
    }
    private struct OpenHold {
        let transfer: Transfer
    }

    private let db: Database
    private var accounts: [AccountRow?] = [nil]
    private var holds: [TransferID: OpenHold] = [:]
    private var encoder = CanonicalEncoder()
    private var fold = BalanceFold()
    private var reversed: [TransferID: Int64] = [:]
    /// The rows `transfer_links` must hold, rebuilt from the journal.
    private var links: Set<Link> = []
    private struct Link: Hashable, Comparable {
        let target: Int64, kind: Int64, seq: Int64, amount: Int64
        static func < (lhs: Link, rhs: Link) -> Bool { (lhs.seq, lhs.kind, lhs.target) < (rhs.seq, rhs.kind, rhs.target) }
    }

    init(_ db: Database) { self.db = db }

    mutating func run() throws -> VerifyReport {
        try loadAccounts()
        var checked: Int64 = 0
        var commits: Int64 = 0
        var head = JournalHash.genesis
        do {
            (checked, head) = try replayJournal()
            try compareBalances()
            try checkAssetsBalance()
            try checkOpenHolds(lastTimestamp: try Int64.fetchOne(db, sql: "SELECT MAX(timestamp) FROM transfers") ?? 0)
            commits = try checkCommits(lastSeq: checked)
            try checkLinks()
            try checkClosedPeriods()
        } catch let found as Found {
            return VerifyReport(transfersChecked: checked, accountsChecked: accounts.count - 1, commitsChecked: commits,
                                holdsOpen: holds.count, head: head, fault: found.fault)
        }
        return VerifyReport(transfersChecked: checked, accountsChecked: accounts.count - 1, commitsChecked: commits,
                            holdsOpen: holds.count, head: head, fault: nil)
    }

    /// A closed period still ends where the journal stood when it was closed: the same last row
    /// with the same hash, and nothing after it stamped inside the period.
    private func checkClosedPeriods() throws {
        for period in try Row.fetchAll(db, sql: "SELECT name, starts_at, ends_at, last_seq, last_hash, closed_at, closed_by FROM closed_periods").map(Ledger.period) {
            if period.lastSeq > 0 {
                let stored = try Data.fetchOne(db, sql: "SELECT hash FROM transfers WHERE seq = ?", arguments: [period.lastSeq]).flatMap { JournalHash(bytes: $0) }
                guard stored == period.lastHash else {
                    throw Found(fault: .closedPeriodChanged(name: period.name, reason: "row \(period.lastSeq) no longer has the hash recorded at closing"))
                }
            }
            if let next = try Int64.fetchOne(db, sql: "SELECT timestamp FROM transfers WHERE seq = ?", arguments: [period.lastSeq + 1]), next < period.endsAt {
                throw Found(fault: .closedPeriodChanged(name: period.name, reason: "row \(period.lastSeq + 1) is stamped inside the period after it was closed"))
            }
        }
    }

    private mutating func loadAccounts() throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT a.id, asset_id, code, flags, debits_pending, debits_posted, credits_pending, credits_posted
            FROM accounts a LEFT JOIN account_balances b ON b.id = a.id ORDER BY a.id
            """)
        while let row = try rows.next() {
            let id: Int64 = row[0]
            while Int64(accounts.count) < id { accounts.append(nil) }
            accounts.append(AccountRow(assetID: row[1], mode: LedgerMode(code: row[2]), flags: AccountFlags(rawValue: row[3]),
                                       stored: AccountBalance(debitsPending: row[4] ?? -1, debitsPosted: row[5] ?? -1, creditsPending: row[6] ?? -1, creditsPosted: row[7] ?? -1)))
        }
    }

    private mutating func replayJournal() throws -> (Int64, JournalHash) {
        var expectedSeq: Int64 = 1
        var previous = JournalHash.genesis
        var lastTimestamp = Int64.min
        let rows = try Row.fetchCursor(db, sql: "SELECT \(TransferColumns.list) FROM transfers ORDER BY seq")
        while let row = try rows.next() {
            let transfer = Ledger.transfer(row)
            guard transfer.seq == expectedSeq else { throw Found(fault: .journalGap(expectedSeq: expectedSeq, foundSeq: transfer.seq)) }
            let computed = encoder.hash(of: transfer.fields, previous: previous)
            guard computed == transfer.hash else {
                throw Found(fault: .hashMismatch(seq: transfer.seq, id: transfer.id, stored: transfer.hash, computed: computed))
            }
            guard transfer.timestamp >= lastTimestamp else { throw Found(fault: .timestampWentBack(seq: transfer.seq)) }
            try check(transfer)
            try apply(transfer)
            previous = computed
            lastTimestamp = transfer.timestamp
            expectedSeq += 1
        }
        return (expectedSeq - 1, previous)
    }

    /// The row's own rules: its accounts, asset, amount, flags, and what it resolves or reverses.
    private mutating func check(_ transfer: Transfer) throws {
        let seq = transfer.seq
        try checkAccount(transfer.debitAccountID, of: transfer)
        try checkAccount(transfer.creditAccountID, of: transfer)
        if let debit = accounts[Int(transfer.debitAccountID.rawValue)], let credit = accounts[Int(transfer.creditAccountID.rawValue)],
           debit.mode != credit.mode {
            throw Found(fault: .modesJoined(seq: seq, debit: transfer.debitAccountID, credit: transfer.creditAccountID))
        }
        guard transfer.amountMinor > 0 else { throw Found(fault: .invalidTransfer(seq: seq, reason: "amount \(transfer.amountMinor)")) }
        guard transfer.debitAccountID != transfer.creditAccountID else { throw Found(fault: .invalidTransfer(seq: seq, reason: "same account")) }
        switch transfer.flags {
        case []:
            if let original = transfer.reversesID { try checkReversal(transfer, of: original) }
        case .pending:
            holds[transfer.id] = OpenHold(transfer: transfer)
            links.insert(Link(target: transfer.id.rawValue, kind: LinkKind.openHold.rawValue, seq: transfer.seq, amount: transfer.amountMinor))
        case .postPending, .voidPending, .expiry:
            try checkResolution(transfer)
        default:
            throw Found(fault: .invalidTransfer(seq: seq, reason: "unknown flags \(transfer.flags.rawValue)"))
        }
    }

    private func checkAccount(_ account: AccountID, of transfer: Transfer) throws {
        guard account.rawValue > 0, account.rawValue < Int64(accounts.count), let row = accounts[Int(account.rawValue)] else {
            throw Found(fault: .unknownAccount(seq: transfer.seq, account: account))
        }
        guard row.assetID == transfer.assetID else { throw Found(fault: .assetMismatch(seq: transfer.seq, account: account)) }
    }

    private mutating func checkResolution(_ transfer: Transfer) throws {
        guard let pendingID = transfer.pendingID else {
            throw Found(fault: .invalidTransfer(seq: transfer.seq, reason: "resolution without pending_id"))
        }
        guard let hold = holds.removeValue(forKey: pendingID)?.transfer else {
            throw Found(fault: .holdStateInvalid(seq: transfer.seq, pendingID: pendingID, reason: "not an open hold"))
        }
        links.remove(Link(target: pendingID.rawValue, kind: LinkKind.openHold.rawValue, seq: hold.seq, amount: hold.amountMinor))
        links.insert(Link(target: pendingID.rawValue, kind: LinkKind.resolution.rawValue, seq: transfer.seq, amount: transfer.amountMinor))
        guard hold.debitAccountID == transfer.debitAccountID, hold.creditAccountID == transfer.creditAccountID, hold.assetID == transfer.assetID else {
            throw Found(fault: .holdStateInvalid(seq: transfer.seq, pendingID: pendingID, reason: "accounts differ from the hold's"))
        }
        let expiresAt = hold.expiresAt ?? .max
        if transfer.flags == .postPending {
            guard transfer.amountMinor <= hold.amountMinor else {
                throw Found(fault: .holdStateInvalid(seq: transfer.seq, pendingID: pendingID, reason: "posts more than held"))
            }
        } else if transfer.amountMinor != hold.amountMinor {
            throw Found(fault: .holdStateInvalid(seq: transfer.seq, pendingID: pendingID, reason: "voids another amount than held"))
        }
        if transfer.flags == .expiry {
            guard transfer.timestamp >= expiresAt, transfer.id == .expiry(of: pendingID) else {
                throw Found(fault: .holdStateInvalid(seq: transfer.seq, pendingID: pendingID, reason: "expired before its timeout"))
            }
        } else if transfer.timestamp >= expiresAt {
            throw Found(fault: .holdStateInvalid(seq: transfer.seq, pendingID: pendingID, reason: "resolved after it expired"))
        }
    }

    private mutating func checkReversal(_ transfer: Transfer, of originalID: TransferID) throws {
        guard let original = try Row.fetchOne(db, sql: "SELECT \(TransferColumns.list) FROM transfers WHERE id = ? AND seq < ?",
                                               arguments: [originalID.rawValue, transfer.seq]).map(Ledger.transfer) else {
            throw Found(fault: .reversalInvalid(seq: transfer.seq, reason: "transfer \(originalID) is not earlier in the journal"))
        }
        guard original.flags == [] || original.flags == .postPending, original.reversesID == nil,
              original.debitAccountID == transfer.creditAccountID, original.creditAccountID == transfer.debitAccountID else {
            throw Found(fault: .reversalInvalid(seq: transfer.seq, reason: "does not run back along transfer \(originalID)"))
        }
        reversed[originalID, default: 0] += transfer.amountMinor
        guard reversed[originalID]! <= original.amountMinor else {
            throw Found(fault: .reversalInvalid(seq: transfer.seq, reason: "reverses more than transfer \(originalID) moved"))
        }
        links.insert(Link(target: originalID.rawValue, kind: LinkKind.reversal.rawValue, seq: transfer.seq, amount: transfer.amountMinor))
    }

    /// `transfer_links` holds exactly the links the journal implies.
    private func checkLinks() throws {
        var stored: Set<Link> = []
        let rows = try Row.fetchCursor(db, sql: "SELECT target_id, kind, seq, amount FROM transfer_links")
        while let row = try rows.next() {
            stored.insert(Link(target: row[0], kind: row[1], seq: row[2], amount: row[3]))
        }
        if let extra = stored.subtracting(links).min() {
            throw Found(fault: .linkIndexBroken(seq: extra.seq, reason: "transfer_links has a row the journal does not imply"))
        }
        if let missing = links.subtracting(stored).min() {
            throw Found(fault: .linkIndexBroken(seq: missing.seq, reason: "transfer_links lacks a row the journal implies"))
        }
    }

    private mutating func apply(_ transfer: Transfer) throws {
        guard let deltas = fold.deltas(of: transfer) else {
            throw Found(fault: .holdStateInvalid(seq: transfer.seq, pendingID: transfer.pendingID ?? TransferID(0), reason: "unknown hold"))
        }
        try apply(deltas, to: transfer.debitAccountID, isDebit: true, seq: transfer.seq)
        try apply(deltas, to: transfer.creditAccountID, isDebit: false, seq: transfer.seq)
    }

    /// One side of a row, then that account's constraint (called twice per row: no array per row).
    private mutating func apply(_ deltas: (pending: Int64, posted: Int64), to account: AccountID, isDebit: Bool, seq: Int64) throws {
        let index = Int(account.rawValue)
        guard accounts[index]!.journal.apply(isDebit: isDebit, pending: deltas.pending, posted: deltas.posted) else {
            throw Found(fault: .balanceOverflow(seq: seq, account: account))
        }
        let row = accounts[index]!
        let balance = row.journal
        if row.flags.contains(.debitsMustNotExceedCredits), balance.debitsPending &+ balance.debitsPosted > balance.creditsPosted {
            throw Found(fault: .constraintBroken(seq: seq, account: account))
        }
        if row.flags.contains(.creditsMustNotExceedDebits), balance.creditsPending &+ balance.creditsPosted > balance.debitsPosted {
            throw Found(fault: .constraintBroken(seq: seq, account: account))
        }
    }

    private func compareBalances() throws {
        for (index, row) in accounts.enumerated() {
            guard let row, row.stored != row.journal else { continue }
            throw Found(fault: .balanceMismatch(account: AccountID(Int64(index)), stored: row.stored, journal: row.journal))
        }
    }

    /// Debits equal credits per asset, over the stored balances (the journal's sums equal by construction).
    private func checkAssetsBalance() throws {
        var sums: [Int64: (dp: Int64, dpo: Int64, cp: Int64, cpo: Int64)] = [:]
        for row in accounts.compactMap({ $0 }) {
            var sum = sums[row.assetID] ?? (0, 0, 0, 0)
            sum.dp &+= row.stored.debitsPending
            sum.dpo &+= row.stored.debitsPosted
            sum.cp &+= row.stored.creditsPending
            sum.cpo &+= row.stored.creditsPosted
            sums[row.assetID] = sum
        }
        for (assetID, sum) in sums.sorted(by: { $0.key < $1.key }) {
            let code = LedgerState.code(of: assetID)
            if sum.dpo != sum.cpo { throw Found(fault: .unbalanced(asset: code, debitsMinor: sum.dpo, creditsMinor: sum.cpo, kind: "posted")) }
            if sum.dp != sum.cp { throw Found(fault: .unbalanced(asset: code, debitsMinor: sum.dp, creditsMinor: sum.cp, kind: "pending")) }
        }
    }

    /// A hold still open although the journal moved past its timeout was never expired.
    private func checkOpenHolds(lastTimestamp: Int64) throws {
        for hold in holds.values.map(\.transfer).sorted(by: { $0.seq < $1.seq }) {
            if let expiresAt = hold.expiresAt, expiresAt < lastTimestamp {
                throw Found(fault: .holdNotExpired(pendingID: hold.id, expiresAt: expiresAt))
            }
        }
    }

    /// The commits table covers the journal without gaps or overlaps, in order.
    private func checkCommits(lastSeq: Int64) throws -> Int64 {
        var expectedFirst: Int64 = 1
        var count: Int64 = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, first_transfer_seq, last_transfer_seq FROM commits ORDER BY seq")
        while let row = try rows.next() {
            let seq: Int64 = row[0]
            let first: Int64 = row[1]
            let last: Int64 = row[2]
            guard first == expectedFirst, last >= first else {
                throw Found(fault: .commitIndexBroken(commitSeq: seq, reason: "covers \(first)...\(last), expected to start at \(expectedFirst)"))
            }
            expectedFirst = last + 1
            count += 1
        }
        guard expectedFirst == lastSeq + 1 else {
            throw Found(fault: .commitIndexBroken(commitSeq: count, reason: "commits end at \(expectedFirst - 1), journal at \(lastSeq)"))
        }
        return count
    }
}
