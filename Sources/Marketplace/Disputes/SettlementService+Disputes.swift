import Connectors
import Foundation
import LedgerCore

extension SettlementService {
    /// Either side of an assigned task opens a dispute with a reason. The task leaves the normal
    /// flow (no approval, cancel or expiry) until an admin resolves it.
    public func openDispute(on taskID: String, reason: String, by caller: Principal) async throws(MarketplaceError) -> Dispute {
        try caller.require(.tasksWrite)
        let reason = try TaskDraft.text(reason, field: "reason", max: Dispute.reasonLengthMax)
        return try await store.write { stores in
            guard var task = try stores.tasks.fetch(taskID), task.mode == caller.mode,
                  task.ownerID == caller.userID || task.workerID == caller.userID else {
                throw MarketplaceError.notFound("no task \(taskID)")
            }
            // A ruling divides the whole escrow; once milestones were released (or while some
            // are unfunded) the escrow is only part of the task, so each milestone settles alone.
            guard task.milestones.allSatisfy({ $0.status == .funded }) else {
                throw MarketplaceError.conflict(field: "milestones", message: "a dispute divides the whole escrow; this task's milestones are not all funded and unreleased")
            }
            task.status = try task.status.applying(.dispute)
            task.updatedAt = clock.nowMicros()
            try stores.tasks.save(task, specChanged: false)
            let dispute = Dispute(id: Secrets.id("dsp"), taskID: taskID, openedBy: caller.userID, reason: reason, status: .open, split: nil,
                                  resolution: nil, createdAt: clock.nowMicros(), resolvedAt: nil)
            try stores.disputes.insert(dispute)
            if let other = caller.userID == task.ownerID ? task.workerID : task.ownerID {
                try Notification.add(.disputeOpened, for: other, mode: task.mode, task: taskID,
                                     "A dispute was opened on \"\(task.spec.title)\": \(reason)", nowMicros: dispute.createdAt, stores)
            }
            try Outbox.emit(.taskDisputed, to: [task.ownerID] + (task.workerID.map { [$0] } ?? []), mode: task.mode, task: task,
                            data: ["dispute_id": dispute.id, "opened_by": caller.userID, "reason": reason], nowMicros: dispute.createdAt, stores)
            return dispute
        }
    }

    /// The task's dispute, for its owner, its worker, or an admin.
    public func dispute(of taskID: String, for caller: Principal) throws(MarketplaceError) -> Dispute {
        try caller.require(.tasksRead)
        return try store.read { stores in
            guard let task = try stores.tasks.fetch(taskID), task.mode == caller.mode,
                  caller.isAdmin || task.ownerID == caller.userID || task.workerID == caller.userID,
                  let dispute = try stores.disputes.dispute(onTask: taskID) else {
                throw MarketplaceError.notFound("no dispute on task \(taskID)")
            }
            return dispute
        }
    }

    /// Open disputes in the admin's mode, oldest first.
    public func openDisputes(for caller: Principal) throws(MarketplaceError) -> [Dispute] {
        try caller.requireAdmin()
        return try store.read { stores in try stores.disputes.open(mode: caller.mode, limit: 500) }
    }

    /// An admin resolves a dispute. `toWorker` (at most the worker's payout) goes to the worker.
    /// Without `toPayer`, the platform keeps the fee pro rata to what the worker receives
    /// (rounded half up, as for milestones) and the rest goes back to the payer; with it, the
    /// fee is what remains and may not exceed the task's fee. The three parts always sum to the
    /// escrow exactly and are posted in one commit.
    public func resolveDispute(_ disputeID: String, toWorker: String, toPayer: String?, resolution: String,
                               by caller: Principal) async throws(MarketplaceError) -> Dispute {
        try caller.requireAdmin()
        let resolution = try TaskDraft.text(resolution, field: "resolution", max: Dispute.reasonLengthMax)
        let (task, dispute) = try store.read { stores -> (MarketTask, Dispute) in
            guard let dispute = try stores.disputes.fetch(disputeID), let task = try stores.tasks.fetch(dispute.taskID), task.mode == caller.mode else {
                throw MarketplaceError.notFound("no dispute \(disputeID)")
            }
            return (task, dispute)
        }
        guard dispute.status == .open else { throw .conflict(field: "status", message: "the dispute is already resolved") }
        guard let funding = try funding(of: task.id), let workerID = task.workerID else {
            throw .internalError("the disputed task \(task.id) has no funding or worker")
        }
        let split = try Self.split(funding, toWorker: toWorker, toPayer: toPayer)
        let workerAccount = walletAccount(user: workerID, mode: task.mode, funding.asset)
        let payerAccount = walletAccount(user: task.ownerID, mode: task.mode, funding.asset)
        let revenueAccount = feeRevenue(task.mode, funding.asset)
        let now = clock.nowMicros()
        try await store.transaction { transaction in
            let stores = transaction.stores
            guard var current = try stores.tasks.fetch(task.id) else { throw MarketplaceError.notFound("no task \(task.id)") }
            current.status = try current.status.applying(.resolve)
            current.updatedAt = now
            try stores.tasks.save(current, specChanged: false)
            guard try stores.disputes.resolve(disputeID, split: split, resolution: resolution, nowMicros: now) else { throw MarketplaceError.conflict(field: "status", message: "the dispute is already resolved") }
            for party in [task.ownerID, workerID] {
                try Notification.add(.disputeResolved, for: party, mode: task.mode, task: task.id, "The dispute on \"\(task.spec.title)\" was resolved: \(resolution)",
                                     nowMicros: now, stores)
            }
            try Outbox.emit(.disputeResolved, to: [task.ownerID, workerID], mode: task.mode, task: current,
                            data: ["dispute_id": disputeID, "resolution": resolution, "to_worker": Outbox.money(split.toWorkerMinor, funding.asset),
                                   "to_payer": Outbox.money(split.toPayerMinor, funding.asset), "fee": Outbox.money(split.feeMinor, funding.asset)],
                            nowMicros: now, stores)
            let worker = try transaction.account(workerAccount)
            let payer = try transaction.account(payerAccount)
            let revenue = try transaction.account(revenueAccount)
            // A card-funded task: the payer's part goes back to the card (a partial refund) and
            // the worker's on to their Connect account (a partial transfer), when linked.
            let toCard = funding.source == .card && card != nil ? split.toPayerMinor : 0
            // All of it back to the card leaves the split nothing to post (a batch needs a transfer).
            if funding.escrowMinor > toCard {
                _ = try Operation.commit(key: "dispute:\(task.id)", in: transaction, nowMicros: now) { first in
                    try PostingRecipes.disputeSplit(firstID: first, escrow: funding.escrowAccountID, worker: worker, agent: payer, feeRevenue: revenue,
                                                    escrowMinor: funding.escrowMinor - toCard, workerMinor: split.toWorkerMinor,
                                                    agentMinor: split.toPayerMinor - toCard, feeMinor: split.feeMinor, asset: funding.asset,
                                                    metadata: #"{"task":"\#(task.id)","dispute":"\#(disputeID)","fee_rule":"\#(funding.feeRule)"}"#)
                }
            }
            if toCard > 0, let card {
                _ = try refundToCard(funding, amountMinor: toCard, reason: "dispute", connector: card.connector.name, nowMicros: now, transaction)
            }
            try schedulePayout(task: current, workerID: workerID, amountMinor: split.toWorkerMinor, funding: funding, nowMicros: now, transaction)
        }
        await sendPendingCalls(task: task.id)
        return try self.dispute(of: task.id, for: caller)
    }

    /// The exact three-way split of a funding for a resolution; refuses amounts that do not fit.
    static func split(_ funding: TaskFunding, toWorker: String, toPayer: String?) throws(MarketplaceError) -> Dispute.Split {
        let workerMinor = try amount(toWorker, field: "to_worker", asset: funding.asset)
        guard workerMinor <= funding.payoutMinor else {
            throw .validation(field: "to_worker", message: "to_worker may be at most the worker's payout, \(MinorUnits.format(funding.payoutMinor, scale: funding.asset.scale))")
        }
        let feeMinor: Int64
        let payerMinor: Int64
        if let toPayer {
            payerMinor = try amount(toPayer, field: "to_payer", asset: funding.asset)
            feeMinor = funding.escrowMinor - workerMinor - payerMinor  // no overflow: both parts are within the escrow
            guard payerMinor <= funding.escrowMinor, (0...funding.feeMinor).contains(feeMinor) else {
                throw .validation(field: "to_payer", message: "to_worker + to_payer must leave between 0 and the task's fee (\(MinorUnits.format(funding.feeMinor, scale: funding.asset.scale))) of the escrow")
            }
        } else {
            let total = try funding.recordedSplit()
            feeMinor = funding.payoutMinor == 0 ? 0 : total.feeReleasedMinor(afterPayoutMinor: workerMinor)
            payerMinor = funding.escrowMinor - workerMinor - feeMinor
        }
        return Dispute.Split(asset: funding.asset, toWorkerMinor: workerMinor, toPayerMinor: payerMinor, feeMinor: feeMinor)
    }

    private static func amount(_ text: String, field: String, asset: Asset) throws(MarketplaceError) -> Int64 {
        let minor: Int64
        do { minor = try MinorUnits.parse(text, scale: asset.scale) } catch { throw .validation(field: field, message: "\(field): \(error)") }
        guard minor >= 0 else { throw .validation(field: field, message: "\(field) must not be negative") }
        return minor
    }
}
