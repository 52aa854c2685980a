import Foundation
import GRDB
import LedgerCore

extension SettlementService {
    /// Approves the submitted work: escrow pays the worker and the platform fee in one commit
    /// (payout + fee = escrow exactly), and the task becomes paid.
    public func approve(_ taskID: String, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        guard let funding = try funding(of: taskID) else { throw .paymentRequired(taskID: taskID, fundURL: "/v1/tasks/\(taskID)/fund") }
        let current = try store.read { db in try TaskService.owned(taskID, by: caller, db) }
        guard let workerID = current.workerID else { throw .conflict(field: "status", message: "the task is \(current.status.rawValue)") }
        let worker = try await account(chart.wallet(user: "\(caller.mode.rawValue):\(workerID)", asset: funding.asset))
        let revenue = try await account(feeRevenue(caller.mode, funding.asset))
        let split: FeeSplit
        do { split = try FeeSplit(payoutMinor: funding.payoutMinor, feeMinor: funding.feeMinor) } catch {
            throw .internalError("the funding of \(taskID) does not split: \(error)")
        }
        let operation = try store.write { db -> Operation in
            var task = try TaskService.owned(taskID, by: caller, db)
            task.status = try task.status.applying(.approve)
            task.updatedAt = clock.nowMicros()
            try TaskService.save(task, db)
            try db.execute(sql: """
                UPDATE submissions SET status = 'approved'
                WHERE id = (SELECT id FROM submissions WHERE task_id = ? ORDER BY created_at DESC, id DESC LIMIT 1)
                """, arguments: [taskID])
            return try Operation.record(key: "approve:\(taskID)", in: db, nowMicros: clock.nowMicros()) { first in
                try PostingRecipes.approve(firstID: first, escrow: funding.escrowAccountID, worker: worker, feeRevenue: revenue, split: split,
                                           asset: funding.asset, metadata: #"{"task":"\#(taskID)","fee_rule":"\#(funding.feeRule)"}"#)
            }
        }
        do { try await commit(operation) } catch { throw .internalError("the payout of \(taskID) is recorded and will be retried: \(error)") }
        return try markPaid(taskID)
    }

    /// completed → paid, once the payout is in the ledger.
    func markPaid(_ taskID: String) throws(MarketplaceError) -> MarketTask {
        try store.write { db in
            guard var task = try TaskService.fetch(taskID, db) else { throw MarketplaceError.notFound("no task \(taskID)") }
            if task.status == .completed {
                task.status = try task.status.applying(.pay)
                task.updatedAt = clock.nowMicros()
                try TaskService.save(task, db)
            }
            return task
        }
    }

    /// Fee revenue per mode: live fees go to the chart's account, test fees to their own, so
    /// rehearsals never mix with real revenue.
    func feeRevenue(_ mode: Mode, _ asset: Asset) -> NewAccount {
        mode == .live ? chart.feeRevenue(asset: asset)!
            : NewAccount(code: "revenue:fees:test:\(asset.code)", type: .revenue, asset: asset, ownerKind: "platform", ownerID: "test")
    }
}
