import Connectors
import Foundation
import LedgerCore

extension SettlementService {
    /// The most tasks one sweep expires; the next sweep takes the rest.
    public static let expiriesPerSweepMax = 500

    /// Expires every published task whose deadline has passed and refunds a funded one's
    /// escrow to its owner in full. Returns the tasks it expired.
    public func expireOverdueTasks() async throws(MarketplaceError) -> [String] {
        let now = clock.nowMicros()
        let overdue = try store.read { stores in try stores.tasks.pastDeadline(nowMicros: now, limit: Self.expiriesPerSweepMax) }
        var expired: [String] = []
        for taskID in overdue where try await close(taskID, on: .expire, reason: "expired", owner: nil) != nil { expired.append(taskID) }
        return expired
    }

    /// Moves a task to a closing status (cancel, expire) and, in the same commit, refunds
    /// whatever its funding put in escrow. The funding is read inside that commit, so a funding
    /// made concurrently is either refunded too or refused by the task's new status. With an `owner`, only the owner's task
    /// closes and an illegal move is a conflict; without one (the sweeper), a task that moved
    /// on is left alone and nil comes back.
    func close(_ taskID: String, on event: TaskEvent, reason: String, owner caller: Principal?) async throws(MarketplaceError) -> ClosedTask? {
        let current = try store.read { stores in
            try caller.map { try TaskService.owned(taskID, by: $0, stores) } ?? stores.tasks.fetch(taskID)
        }
        guard let current else { return nil }
        if (try? current.status.applying(event)) != nil { try await closeOpenCheckouts(of: taskID) }
        let walletAccount = walletAccount(user: current.ownerID, mode: current.mode, current.spec.asset)
        let closed = try await store.transaction { transaction -> ClosedTask? in
            let stores = transaction.stores
            guard var task = try caller.map({ try TaskService.owned(taskID, by: $0, stores) }) ?? stores.tasks.fetch(taskID) else { return nil }
            if caller == nil, (try? task.status.applying(event)) == nil { return nil }
            task.status = try task.status.applying(event)
            task.updatedAt = clock.nowMicros()
            try stores.tasks.save(task, specChanged: false)
            if event == .expire {
                try Notification.add(.taskExpired, for: task.ownerID, mode: task.mode, task: taskID,
                                     "\"\(task.spec.title)\" passed its deadline unassigned; any funding is back in your wallet", nowMicros: task.updatedAt, stores)
            } else if let worker = task.workerID {
                try Notification.add(.taskCanceled, for: worker, mode: task.mode, task: taskID,
                                     "\"\(task.spec.title)\" was canceled by its owner", nowMicros: task.updatedAt, stores)
            }
            let recorded = try stores.fundings.recorded(of: taskID)
            // What is left in escrow: all of it, or for milestones the funded ones not released.
            let refundMinor = try recorded.map { try Self.refundable(task, funding: $0, nowMicros: task.updatedAt, stores) } ?? 0
            if !task.milestones.isEmpty { task.milestones = try stores.milestones.milestones(of: taskID, specs: task.spec.milestones) }
            let refund: Any = recorded.map { funding -> Any in
                guard refundMinor > 0 else { return NSNull() }
                return Outbox.money(refundMinor, funding.asset).merging(["to": funding.source == .card ? "card" : "wallet"]) { $1 }
            } ?? NSNull()
            try Outbox.emit(event == .expire ? .taskExpired : .taskCanceled, to: [task.ownerID] + (task.workerID.map { [$0] } ?? []), mode: task.mode,
                            task: task, data: ["reason": reason, "refund": refund], nowMicros: task.updatedAt, stores)
            guard let funding = recorded, refundMinor > 0 else { return ClosedTask(task: task, refund: nil) }
            // A funding recorded apart from its batch (before a stop, by an older binary) goes
            // first: the refund needs its money in escrow.
            if let fund = try Operation.find(key: "fund:\(taskID)", in: stores) { _ = try fund.committed(in: transaction) }
            if funding.source == .card, let card {
                let intent = try refundToCard(funding, amountMinor: refundMinor, reason: reason, connector: card.connector.name, nowMicros: task.updatedAt, transaction)
                return ClosedTask(task: task, refund: TaskRefund(amountMinor: refundMinor, asset: funding.asset, to: .card, transferID: intent))
            }
            let wallet = try transaction.account(walletAccount)
            let refunded = try Operation.commit(key: "refund:\(taskID)", in: transaction, nowMicros: task.updatedAt) { first in
                PostingRecipes.cancelToWallet(id: first, escrow: funding.escrowAccountID, wallet: wallet, amountMinor: refundMinor,
                                              asset: funding.asset, metadata: #"{"task":"\#(taskID)","reason":"\#(reason)"}"#)
            }
            return ClosedTask(task: task, refund: TaskRefund(amountMinor: refundMinor, asset: funding.asset, to: .wallet, transferID: refunded.firstTransferID))
        }
        if closed != nil { await sendPendingCalls(task: taskID) }
        return closed
    }
}
