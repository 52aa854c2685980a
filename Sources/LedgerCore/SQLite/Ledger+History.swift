import Foundation
import GRDB

/// A transfer's effect on posted balances: what finance reports read. Pending transfers and
/// voids move no posted money; a post of a pending transfer posts the amount it names.
public struct PostedMovement: Sendable, Hashable {
    public let transfer: Transfer
    /// True when the row moves posted money (a plain transfer, a reversal, or a post).
    public var isPosted: Bool { transfer.flags.isEmpty || transfer.flags.contains(.postPending) }
}

extension Ledger {
    /// Every account with its stored balances, in id order.
    public func allAccounts() throws(LedgerError) -> [Account] {
        try read { db in try Row.fetchAll(db, sql: "\(Self.accountQuery) ORDER BY a.id").map(Self.account) }
    }

    /// The last journal position stamped before `timestamp` (microseconds since 1970,
    /// exclusive), found through the commits' timestamp index: timestamps never decrease
    /// along the journal, so rows up to that position are exactly those before the time.
    static func lastSeq(before timestamp: Int64, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(last_transfer_seq) FROM commits WHERE timestamp < ?", arguments: [timestamp]) ?? 0
    }

    /// The stamp of the last commit before `timestamp` (exclusive), or nil for none.
    public func lastCommitTime(before timestamp: Int64) throws(LedgerError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(timestamp) FROM commits WHERE timestamp < ?", arguments: [timestamp]) }
    }

    /// Calls `body` with every journal row stamped in [`from`, `before`), in journal order,
    /// inside one read transaction (a consistent snapshot however long the walk).
    public func forEachTransfer(from: Int64 = .min, before: Int64, _ body: (Transfer) throws -> Void) throws(LedgerError) {
        try read { db in
            let first = from == .min ? 0 : try Self.lastSeq(before: from, db)
            let last = try Self.lastSeq(before: before, db)
            guard last > first else { return }
            let rows = try Row.fetchCursor(db, sql: "SELECT \(TransferColumns.list) FROM transfers WHERE seq > ? AND seq <= ? ORDER BY seq",
                                           arguments: [first, last])
            while let row = try rows.next() { try body(Self.transfer(row)) }
        }
    }

    /// Every account's balances as they stood before `timestamp` (exclusive), replayed from
    /// the journal with the same fold as `verify`. Accounts no row touched are absent.
    public func balances(before timestamp: Int64) throws(LedgerError) -> [AccountID: AccountBalance] {
        var balances: [AccountID: AccountBalance] = [:]
        var fold = BalanceFold()
        var failure: LedgerError?
        try forEachTransfer(before: timestamp) { transfer in
            guard failure == nil, let deltas = fold.deltas(of: transfer) else { return }
            let debitOK = balances[transfer.debitAccountID, default: .zero].apply(isDebit: true, pending: deltas.pending, posted: deltas.posted)
            let creditOK = balances[transfer.creditAccountID, default: .zero].apply(isDebit: false, pending: deltas.pending, posted: deltas.posted)
            if !debitOK || !creditOK { failure = .storage("the journal overflows a balance at seq \(transfer.seq)") }
        }
        if let failure { throw failure }
        return balances
    }
}
