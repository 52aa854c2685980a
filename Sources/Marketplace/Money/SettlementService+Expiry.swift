import Foundation
import GRDB
import LedgerCore

extension SettlementService {
    /// The most tasks one sweep expires; the next sweep takes the rest.
    public static let expiriesPerSweepMax = 500

    /// Expires every published task whose deadline has passed and refunds a funded one's
    /// escrow to its owner in full. Returns the tasks it expired.
    public func expireOverdueTasks() async throws(MarketplaceError) -> [String] {
        let now = clock.nowMicros()
        let overdue = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT id FROM tasks WHERE status = 'published' AND deadline IS NOT NULL AND deadline <= ? ORDER BY deadline, id LIMIT ?
                """, arguments: [now, Self.expiriesPerSweepMax])
        }
        var expired: [String] = []
        for taskID in overdue where try await expire(taskID, at: now) { expired.append(taskID) }
        return expired
    }

    /// published → expired, with the refund recorded in the same write; false when the task moved on meanwhile.
    private func expire(_ taskID: String, at now: Int64) async throws(MarketplaceError) -> Bool {
        let funding = try funding(of: taskID)
        guard let current = try store.read({ db in try TaskService.fetch(taskID, db) }) else { return false }
        var wallet: AccountID?
        if let funding { wallet = try await account(chart.wallet(user: "\(current.mode.rawValue):\(current.ownerID)", asset: funding.asset)) }
        // .none: the task moved on and nothing was written; .some(nil): expired, nothing to refund.
        let operation = try store.write { db -> Operation?? in
            guard var task = try TaskService.fetch(taskID, db), task.status == .published else { return .none }
            task.status = try task.status.applying(.expire)
            task.updatedAt = now
            try TaskService.save(task, db)
            guard let funding, let wallet else { return .some(nil) }
            return .some(try Operation.record(key: "refund:\(taskID)", in: db, nowMicros: now) { first in
                PostingRecipes.cancelToWallet(id: first, escrow: funding.escrowAccountID, wallet: wallet, amountMinor: funding.escrowMinor,
                                              asset: funding.asset, metadata: #"{"task":"\#(taskID)","reason":"expired"}"#)
            })
        }
        guard case .some(let refund) = operation else { return false }
        if let refund {
            do { try await commit(refund) } catch { throw .internalError("the refund of \(taskID) is recorded and will be retried: \(error)") }
        }
        return true
    }
}
