import Foundation
import LedgerCore

/// Milestones (seed 000): a task's budget paid in parts. Each milestone's part of the task's
/// fee split (`FeeSplit.milestoneParts`: the fee shared by a running total over the budget in
/// list order, rounded half up, the last milestone taking the remainder) is fixed when it is
/// funded and is exactly what its release takes out of escrow, so the parts' payouts and fees
/// sum to the whole task's to the cent. Funding is whole (`fund`, every milestone not yet
/// funded, in one transfer) or one milestone at a time, from the wallet (or the test
/// connector); approving a milestone posts its part from escrow to the worker and fee revenue
/// (recipes 8 and 9), and the last one pays the task; a cancel refunds the escrow of the
/// funded milestones not released (recipe 10) and nothing of the rest.
extension SettlementService {
    /// Funds one milestone of the caller's task from the wallet (or, in test mode, through the
    /// test connector). A milestone funded already answers as it is, nothing moves. A key's
    /// funding above its spend policy is refused here (fund the task whole to have it wait for
    /// the owner's approval). The first milestone funded fixes the task's fee rule.
    public func fundMilestone(_ milestoneID: String, of taskID: String, from source: FundingSource = .wallet,
                              by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.walletWrite)
        try caller.requirePoster()
        let now = clock.nowMicros()
        return try await store.transaction { transaction -> MarketTask in
            let task = try TaskService.owned(taskID, by: caller, transaction.stores)
            guard task.milestones.contains(where: { $0.id == milestoneID }) else {
                throw MarketplaceError.notFound("no milestone \(milestoneID) on task \(taskID)")
            }
            _ = try fundMilestones(only: milestoneID, of: task, from: source, by: caller, nowMicros: now, in: transaction)
            return try Self.reread(taskID, transaction.stores)
        }
    }

    /// Approves one funded milestone of the caller's assigned (or submitted) task: its payout
    /// to the worker's wallet and its fee share to fee revenue, in one commit; when it is the
    /// last, the task moves to paid in that commit. Approving a released milestone again moves
    /// nothing and answers it as it is; an unfunded one is PAYMENT_REQUIRED.
    public func approveMilestone(_ milestoneID: String, of taskID: String, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        try caller.require(.tasksWrite)
        let now = clock.nowMicros()
        return try await store.transaction { transaction -> MarketTask in
            let stores = transaction.stores
            var task = try TaskService.owned(taskID, by: caller, stores)
            guard let milestone = task.milestones.first(where: { $0.id == milestoneID }) else {
                throw MarketplaceError.notFound("no milestone \(milestoneID) on task \(taskID)")
            }
            switch milestone.status {
            case .released: return task
            case .refunded: throw MarketplaceError.conflict(field: "status", message: "milestone \(milestoneID) was refunded when the task closed")
            case .pending: throw MarketplaceError.paymentRequired(taskID: taskID, fundURL: Self.fundURL(milestoneID, of: taskID))
            case .funded: break
            }
            guard let workerID = task.workerID, task.status == .assigned || task.status == .submitted else {
                throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue); a milestone is approved while a worker is assigned")
            }
            guard let funding = try Self.committedFunding(of: taskID, stores) else {
                throw MarketplaceError.internalError("task \(taskID) has a funded milestone and no funding")
            }
            try releaseMilestone(milestone, of: task, funding: funding, workerID: workerID, nowMicros: now, transaction)
            task.milestones = try stores.milestones.milestones(of: taskID, specs: task.spec.milestones)
            task.updatedAt = now
            if task.milestones.allSatisfy({ $0.status == .released }) {
                try Self.completeMilestones(&task, funding: funding, workerID: workerID, stores)
            } else {
                try stores.tasks.save(task, specChanged: false)
            }
            return task
        }
    }

    /// Refuses a card or USDC funding of a task with milestones: those settle after the request,
    /// through connector events that fund a task whole, while a milestone's part is fixed and
    /// marked in the commit that moves it. Such a task is funded from the wallet.
    func refuseConnectorFunding(of taskID: String, by caller: Principal) throws(MarketplaceError) {
        let task = try store.read { stores in try stores.tasks.fetch(taskID) }
        guard let task, task.mode == caller.mode, task.ownerID == caller.userID, !task.milestones.isEmpty else { return }
        throw .validation(field: "source", message: "a task with milestones is funded from the wallet (or the test connector in test mode), whole or milestone by milestone")
    }

    // MARK: - Inside a commit

    /// Funds the pending milestones of `task` (only `only`, when given) in one transfer from the
    /// caller's wallet or the test connector into the task's escrow. The first funding of the
    /// task records its whole split and fee rule under the operation `fund:<task>`, as a task
    /// funded whole does, so that accepting a worker, the wallet's frozen total and a crash's
    /// recovery see it; later ones are `fund:<task>:<first milestone>`.
    func fundMilestones(only: String?, of task: MarketTask, from source: FundingSource, by caller: Principal, nowMicros now: Int64,
                        in transaction: LedgerTransaction) throws -> FundingOutcome {
        let stores = transaction.stores
        guard task.status.isFundable else {
            throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue); it cannot be funded")
        }
        let existing = try Self.committedFunding(of: task.id, stores)
        let whole = try existing?.recordedSplit() ?? wholeSplit(of: task)
        let parts = try Self.parts(of: task, whole: whole)
        let targets = zip(task.milestones, parts).filter { $0.0.status == .pending && (only == nil || $0.0.id == only) }
        guard !targets.isEmpty else {
            guard let existing else { throw MarketplaceError.internalError("task \(task.id) has no pending milestone and no funding") }
            return .funded(existing, mockOperator: task.spec.mockOperator)
        }
        let sum = try Self.sum(targets.map(\.1))
        let keyID: String? = if case .apiKey(let id) = caller.credential { id } else { nil }
        if let keyID, let reason = try Self.policyRefusal(keyID: keyID, escrowMinor: sum.escrowMinor, asset: task.spec.asset, nowMicros: now, stores) {
            guard only == nil else {
                throw MarketplaceError.conflict(field: "milestone_id", message: "\(reason); fund the task whole to have it wait for the account owner's approval")
            }
            return .awaitingApproval(try Self.requestApproval(taskID: task.id, userID: caller.userID, keyID: keyID, escrowMinor: sum.escrowMinor,
                                                              asset: task.spec.asset, reason: reason, nowMicros: now, stores))
        }
        guard source == .wallet || (source == .connector && caller.mode == .test) else {
            throw MarketplaceError.validation(field: "source", message: "a task with milestones is funded from the wallet (or the test connector in test mode)")
        }
        let feeRule = existing?.feeRule ?? pricing.version
        let operation = try commitMilestoneFunding(targets.map(\.0.id), of: task, sum: sum, first: existing == nil, source: source, feeRule: feeRule,
                                                   caller: caller, nowMicros: now, transaction)
        let funding = existing ?? TaskFunding(taskID: task.id, escrowAccountID: operation.escrow, asset: task.spec.asset, split: whole,
                                              feeRule: feeRule, source: source)
        if existing == nil { try funding.insert(fundedAt: now, keyID: keyID, stores) }
        try Self.markFunded(targets, of: task, funding: funding, nowMicros: now, stores)
        return .funded(funding, mockOperator: task.spec.mockOperator)
    }

    /// Commits one funding of milestones: wallet (or test clearing) -> escrow, `sum.escrowMinor`.
    private func commitMilestoneFunding(_ ids: [String], of task: MarketTask, sum: FeeSplit, first: Bool, source: FundingSource, feeRule: String,
                                        caller: Principal, nowMicros now: Int64, _ transaction: LedgerTransaction) throws -> (escrow: AccountID, firstTransfer: TransferID) {
        let asset = task.spec.asset
        let payer = try transaction.account(source == .wallet ? walletAccount(caller, asset) : chart.clearing(connector: "test", mode: .test, asset: asset)!)
        let escrow = try transaction.account(chart.escrow(task: task.id, mode: caller.mode.ledger, asset: asset))
        let metadata = #"{"task":"\#(task.id)","milestones":"\#(ids.joined(separator: ","))","fee_rule":"\#(feeRule)"}"#
        let key = first ? "fund:\(task.id)" : "fund:\(task.id):\(ids[0])"
        let operation = try Operation.commit(key: key, in: transaction, nowMicros: now) { firstID in
            source == .wallet
                ? PostingRecipes.fundFromWallet(id: firstID, wallet: payer, escrow: escrow, split: sum, asset: asset, metadata: metadata)
                : PostingRecipes.fundFromDeposit(id: firstID, clearing: payer, escrow: escrow, split: sum, asset: asset, metadata: metadata)
        }
        if source == .connector {
            try TestConnectorLog.record(.funding, asset: asset, amountMinor: sum.escrowMinor, transfer: operation.firstTransferID, nowMicros: now,
                                        transaction.stores)
        }
        return (escrow, operation.firstTransferID)
    }

    /// Marks each funded milestone with its part and tells the owner; once every milestone is
    /// funded, the task is funded whole (`task.funded`).
    private static func markFunded(_ targets: [(Milestone, FeeSplit)], of task: MarketTask, funding: TaskFunding, nowMicros now: Int64,
                                   _ stores: Stores) throws {
        for (milestone, part) in targets {
            guard try stores.milestones.markFunded(milestone.id, taskID: task.id, escrowMinor: part.escrowMinor, payoutMinor: part.payoutMinor,
                                                   feeMinor: part.feeMinor, nowMicros: now) else {
                throw MarketplaceError.conflict(field: "milestone_id", message: "milestone \(milestone.id) is no longer pending")
            }
            try Outbox.emit(.milestoneFunded, to: [task.ownerID], mode: task.mode, task: task,
                            data: Outbox.milestone(milestone.spec, part: part, asset: funding.asset, feeRule: funding.feeRule), nowMicros: now, stores)
        }
        let fundedAll = try stores.milestones.milestones(of: task.id, specs: task.spec.milestones).allSatisfy { $0.status != .pending }
        if fundedAll {
            try Outbox.emit(.taskFunded, to: [task.ownerID], mode: task.mode, task: task, data: Outbox.funded(funding), nowMicros: now, stores)
        }
    }

    /// Posts one funded milestone's part from escrow: its payout to the worker's wallet and its
    /// fee share to fee revenue (recipes 8 and 9), and marks it released.
    func releaseMilestone(_ milestone: Milestone, of task: MarketTask, funding: TaskFunding, workerID: String, nowMicros now: Int64,
                          _ transaction: LedgerTransaction) throws {
        let stores = transaction.stores
        let part = try milestone.recordedPart(taskID: task.id)
        let worker = try transaction.account(walletAccount(user: workerID, mode: task.mode, funding.asset))
        let revenue = try transaction.account(feeRevenue(task.mode, funding.asset))
        let metadata = #"{"task":"\#(task.id)","milestone":"\#(milestone.id)","fee_rule":"\#(funding.feeRule)"}"#
        _ = try Operation.commit(key: "release:\(task.id):\(milestone.id)", in: transaction, nowMicros: now) { first in
            try PostingRecipes.partialRelease(firstID: first, escrow: funding.escrowAccountID, worker: worker, feeRevenue: revenue, part: part,
                                              asset: funding.asset, metadata: metadata)
        }
        guard try stores.milestones.markReleased(milestone.id, taskID: task.id, nowMicros: now) else {
            throw MarketplaceError.conflict(field: "milestone_id", message: "milestone \(milestone.id) is no longer funded")
        }
        let amount = MinorUnits.format(part.payoutMinor, scale: funding.asset.scale)
        try Notification.add(.paid, for: workerID, mode: task.mode, task: task.id,
                             "Milestone \"\(milestone.spec.title)\" of \"\(task.spec.title)\" was approved; \(amount) \(funding.asset.code) is in your wallet",
                             nowMicros: now, stores)
        var data = Outbox.milestone(milestone.spec, part: part, asset: funding.asset, feeRule: funding.feeRule)
        data["worker_id"] = workerID
        try Outbox.emit(.milestoneReleased, to: [task.ownerID, workerID], mode: task.mode, task: task, data: data, nowMicros: now, stores)
    }

    /// Approving a task with milestones whole releases every milestone not yet released; one
    /// still unfunded is PAYMENT_REQUIRED and nothing moves.
    func releaseRemainingMilestones(of task: MarketTask, funding: TaskFunding, workerID: String, nowMicros now: Int64,
                                    _ transaction: LedgerTransaction) throws {
        if let unfunded = task.milestones.first(where: { $0.status == .pending }) {
            throw MarketplaceError.paymentRequired(taskID: task.id, fundURL: Self.fundURL(unfunded.id, of: task.id))
        }
        for milestone in task.milestones where milestone.status == .funded {
            try releaseMilestone(milestone, of: task, funding: funding, workerID: workerID, nowMicros: now, transaction)
        }
    }

    /// The escrow a close refunds and the milestones it refunds (funded, not released), marked
    /// refunded; a task paid whole refunds its whole escrow.
    static func refundable(_ task: MarketTask, funding: TaskFunding, nowMicros now: Int64, _ stores: Stores) throws -> Int64 {
        guard !task.milestones.isEmpty else { return funding.escrowMinor }
        var refundMinor: Int64 = 0
        for milestone in task.milestones where milestone.status == .funded {
            refundMinor = try sum(refundMinor, try milestone.recordedPart(taskID: task.id).escrowMinor, field: "refund")
            guard try stores.milestones.markRefunded(milestone.id, taskID: task.id, nowMicros: now) else {
                throw MarketplaceError.conflict(field: "milestone_id", message: "milestone \(milestone.id) is no longer funded")
            }
        }
        return refundMinor
    }

    /// The last milestone released: assigned (or submitted) → completed → paid in the release's
    /// commit, the latest submitted entry approved, and the task's completion told.
    private static func completeMilestones(_ task: inout MarketTask, funding: TaskFunding, workerID: String, _ stores: Stores) throws {
        let submitted = task.status == .submitted
        task.status = try task.status.applying(submitted ? .approve : .complete).applying(.pay)
        try stores.tasks.save(task, specChanged: false)
        let parties = [task.ownerID, workerID]
        if submitted, let entry = try stores.submissions.latest(taskID: task.id), entry.status == .submitted {
            try stores.submissions.approve(entry.id, taskID: task.id)
            try Outbox.emit(.submissionApproved, to: parties, mode: task.mode, task: task, data: ["submission_id": entry.id, "worker_id": workerID],
                            nowMicros: task.updatedAt, stores)
        }
        try Outbox.emit(.taskCompleted, to: parties, mode: task.mode, task: task,
                        data: ["worker_id": workerID, "payout": Outbox.money(funding.payoutMinor, funding.asset),
                               "fee": Outbox.money(funding.feeMinor, funding.asset), "fee_rule": funding.feeRule], nowMicros: task.updatedAt, stores)
        try Outbox.emit(.taskPaid, to: parties, mode: task.mode, task: task,
                        data: ["worker_id": workerID, "payout": Outbox.money(funding.payoutMinor, funding.asset)], nowMicros: task.updatedAt, stores)
    }

    // MARK: - Parts

    /// The task's whole split under the fee rule in force (before its first funding).
    private func wholeSplit(of task: MarketTask) throws(MarketplaceError) -> FeeSplit {
        do { return try pricing.split(budgetMinor: task.spec.budgetMinor, paidBy: task.spec.feePaidBy) } catch {
            throw .validation(field: "budget", message: "the budget cannot carry the fee: \(error)")
        }
    }

    /// Each milestone's part of `whole`, in the task's list order.
    static func parts(of task: MarketTask, whole: FeeSplit) throws(MarketplaceError) -> [FeeSplit] {
        do {
            return try whole.milestoneParts(amountsMinor: task.spec.milestones.map(\.amountMinor), budgetMinor: task.spec.budgetMinor,
                                            payer: task.spec.feePaidBy.policyPayer)
        } catch {
            throw .internalError("the milestones of \(task.id) do not divide its split: \(error)")
        }
    }

    /// The parts together, as one split (what one funding transfer moves).
    private static func sum(_ parts: [FeeSplit]) throws(MarketplaceError) -> FeeSplit {
        var payoutMinor: Int64 = 0
        var feeMinor: Int64 = 0
        for part in parts {
            payoutMinor = try sum(payoutMinor, part.payoutMinor, field: "payout")
            feeMinor = try sum(feeMinor, part.feeMinor, field: "fee")
        }
        do { return try FeeSplit(payoutMinor: payoutMinor, feeMinor: feeMinor) } catch {
            throw .internalError("milestone parts do not split: \(error)")
        }
    }

    static func fundURL(_ milestoneID: String, of taskID: String) -> String { "/v1/tasks/\(taskID)/milestones/\(milestoneID)/fund" }

    /// The task as the commit now has it (its milestones' new statuses).
    private static func reread(_ taskID: String, _ stores: Stores) throws -> MarketTask {
        guard let task = try stores.tasks.fetch(taskID) else { throw MarketplaceError.notFound("no task \(taskID)") }
        return task
    }
}
