import Foundation
import LedgerCore

extension SettlementService {
    /// Approves the submitted work: escrow pays the worker and the platform fee (payout + fee =
    /// escrow exactly) in the same commit that moves the task through completed to paid. On a
    /// bounty the owner names the winning entry (`submissionID`); the other entries are declined.
    /// A freeform task (seed 002: apply, accept, talk, done) is completed by its owner while it
    /// is assigned, without a submission: the assigned worker is paid.
    public func approve(_ taskID: String, submission submissionID: String? = nil, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        let now = clock.nowMicros()
        let approved = try await store.transaction { transaction -> MarketTask in
            let stores = transaction.stores
            var task = try TaskService.owned(taskID, by: caller, stores)
            guard let funding = try Self.committedFunding(of: taskID, stores) else {
                throw MarketplaceError.paymentRequired(taskID: taskID, fundURL: "/v1/tasks/\(taskID)/fund")
            }
            let completesFreeform = task.spec.deliveryType == .freeform && task.status == .assigned && submissionID == nil
            let entry = completesFreeform ? nil : try WorkService.targetSubmission(submissionID, of: task, stores)
            let workerID = task.spec.deliveryType == .bounty ? entry?.workerID : task.workerID
            guard let workerID, entry.map({ $0.workerID == workerID }) ?? true else {
                throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue)")
            }
            if let entry, entry.status != .submitted {
                throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue); the submission is \(entry.status.rawValue)")
            }
            // submitted (or a freeform task assigned) → completed → paid in this one commit: the
            // payout below lands with it.
            let event: TaskEvent = completesFreeform ? .complete : task.spec.deliveryType == .bounty ? .award : .approve
            task.status = try task.status.applying(event).applying(.pay)
            task.workerID = workerID
            task.updatedAt = now
            try stores.tasks.save(task, specChanged: false)
            if let entry { try stores.submissions.approve(entry.id, taskID: taskID) }
            try Notification.add(.paid, for: workerID, mode: task.mode, task: taskID,
                                 "\"\(task.spec.title)\" was approved; \(MinorUnits.format(funding.payoutMinor, scale: funding.asset.scale)) \(funding.asset.code) is in your wallet",
                                 nowMicros: task.updatedAt, stores)
            if task.milestones.isEmpty {
                let split = try funding.recordedSplit()
                let worker = try transaction.account(walletAccount(user: workerID, mode: caller.mode, funding.asset))
                let revenue = try transaction.account(feeRevenue(caller.mode, funding.asset))
                _ = try Operation.commit(key: "approve:\(taskID)", in: transaction, nowMicros: task.updatedAt) { first in
                    try PostingRecipes.approve(firstID: first, escrow: funding.escrowAccountID, worker: worker, feeRevenue: revenue, split: split,
                                               asset: funding.asset, metadata: #"{"task":"\#(taskID)","fee_rule":"\#(funding.feeRule)"}"#)
                }
            } else {
                try releaseRemainingMilestones(of: task, funding: funding, workerID: workerID, nowMicros: task.updatedAt, transaction)
            }
            let parties = [task.ownerID, workerID]
            if let entry {
                try Outbox.emit(.submissionApproved, to: parties, mode: task.mode, task: task, data: ["submission_id": entry.id, "worker_id": workerID],
                                nowMicros: task.updatedAt, stores)
            }
            try Outbox.emit(.taskCompleted, to: parties, mode: task.mode, task: task,
                            data: ["worker_id": workerID, "payout": Outbox.money(funding.payoutMinor, funding.asset), "fee": Outbox.money(funding.feeMinor, funding.asset),
                                   "fee_rule": funding.feeRule], nowMicros: task.updatedAt, stores)
            try Outbox.emit(.taskPaid, to: parties, mode: task.mode, task: task,
                            data: ["worker_id": workerID, "payout": Outbox.money(funding.payoutMinor, funding.asset)], nowMicros: task.updatedAt, stores)
            // Card-funded work goes on to the worker's Connect account, when linked. A task with
            // milestones was paid in parts to the wallet, where the worker withdraws them.
            guard task.milestones.isEmpty else { return task }
            try schedulePayout(task: task, workerID: workerID, amountMinor: funding.payoutMinor, funding: funding, nowMicros: now, transaction)
            return task
        }
        await sendPendingCalls(task: taskID)
        return approved
    }

    /// completed → paid once the payout is in the ledger (for a payout recorded before a stop
    /// by an older binary, which committed the two apart), and its operation marked committed.
    func markPaid(_ taskID: String, operation: Int64? = nil) async throws(MarketplaceError) -> MarketTask {
        try await store.write { stores in
            if let operation { try Operation.markCommitted(operation, in: stores) }
            guard var task = try stores.tasks.fetch(taskID) else { throw MarketplaceError.notFound("no task \(taskID)") }
            if task.status == .completed {
                task.status = try task.status.applying(.pay)
                task.updatedAt = clock.nowMicros()
                try stores.tasks.save(task, specChanged: false)
            }
            return task
        }
    }

    /// Fee revenue per mode: live fees go to the chart's account, test fees to their own, so
    /// rehearsals never mix with real revenue.
    func feeRevenue(_ mode: Mode, _ asset: Asset) -> NewAccount {
        chart.feeRevenue(mode: mode.ledger, asset: asset)!
    }
}
