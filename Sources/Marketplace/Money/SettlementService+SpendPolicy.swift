import Foundation
public import LedgerCore

extension SettlementService {
    /// Why a funding through `keyID` exceeds its spend policy, or nil when it fits (or there is none).
    static func policyRefusal(keyID: String, escrowMinor: Int64, asset: Asset, nowMicros: Int64, _ stores: Stores) throws -> String? {
        guard let policy = try stores.apiKeys.spendPolicy(ofKey: keyID) else { return nil }
        guard policy.asset == asset else { return "the key's spend policy covers \(policy.asset.code) only" }
        if let perTask = policy.perTaskMinor, escrowMinor > perTask {
            return "\(MinorUnits.format(escrowMinor, scale: asset.scale)) is over the key's cap of \(MinorUnits.format(perTask, scale: asset.scale)) per task"
        }
        if let perDay = policy.perDayMinor {
            let dayStart = nowMicros - nowMicros % 86_400_000_000  // UTC midnight
            let spent = try stores.fundings.fundedThroughKey(keyID, asset: asset, sinceMicros: dayStart)
            let (total, overflow) = spent.addingReportingOverflow(escrowMinor)
            if overflow || total > perDay {
                return "\(MinorUnits.format(spent, scale: asset.scale)) already funded today plus \(MinorUnits.format(escrowMinor, scale: asset.scale)) is over the key's cap of \(MinorUnits.format(perDay, scale: asset.scale)) per day"
            }
        }
        return nil
    }

    /// Records (or finds) the pending approval for a funding above a spend policy.
    static func requestApproval(taskID: String, userID: String, keyID: String, escrowMinor: Int64, asset: Asset, reason: String,
                                nowMicros: Int64, _ stores: Stores) throws -> FundingApproval {
        if let existing = try stores.fundingApprovals.pending(forTask: taskID) { return existing }
        let approval = FundingApproval(id: Secrets.id("fap"), taskID: taskID, keyID: keyID, asset: asset, amountMinor: escrowMinor, reason: reason,
                                       status: .pending, createdAt: nowMicros, decidedAt: nil)
        try stores.fundingApprovals.insert(approval, userID: userID)
        let mode = try stores.tasks.fetch(taskID)?.mode ?? .test
        try Notification.add(.fundingHeld, for: userID, mode: mode, task: taskID, "A key's funding waits for your approval: \(reason)", nowMicros: nowMicros, stores)
        return approval
    }

    /// The funding approvals of the caller's account, newest first (a logged-in session only).
    public func fundingApprovals(for caller: Principal) throws(MarketplaceError) -> [FundingApproval] {
        try caller.requireSession()
        return try store.read { stores in try stores.fundingApprovals.list(user: caller.userID, mode: caller.mode, limit: 500) }
    }

    /// The account owner, logged in, approves a funding awaiting approval: the task is funded from the
    /// wallet as an owner-approved payment, whatever the key's caps. The approval's state, the
    /// funding and the decision are one commit, so an approval and a decline racing each other
    /// cannot both win, and a funding that fails (a short wallet) leaves the approval pending.
    public func approveFunding(_ approvalID: String, by caller: Principal) async throws(MarketplaceError) -> (FundingApproval, TaskFunding) {
        try caller.requireSession()
        try caller.require(.walletWrite)
        try caller.requirePoster()
        let now = clock.nowMicros()
        return try await store.transaction { transaction in
            let approval = try Self.decide(approvalID, as: .approved, by: caller, nowMicros: now, transaction.stores)
            guard case .funded(let funding, _) = try fund(approval.taskID, from: .wallet, by: caller, nowMicros: now, in: transaction) else {
                throw MarketplaceError.internalError("a logged-in owner's funding awaited approval")
            }
            return (approval, funding)
        }
    }

    /// The account owner declines a funding awaiting approval; nothing moves.
    public func declineFunding(_ approvalID: String, by caller: Principal) async throws(MarketplaceError) -> FundingApproval {
        try caller.requireSession()
        let now = clock.nowMicros()
        return try await store.write { stores in try Self.decide(approvalID, as: .declined, by: caller, nowMicros: now, stores) }
    }

    /// Moves the caller's pending approval to `status` inside the caller's commit; another
    /// user's approval, or one of the other mode, is not found, and a decided one is a conflict.
    private static func decide(_ approvalID: String, as status: FundingApproval.Status, by caller: Principal, nowMicros: Int64,
                               _ stores: Stores) throws -> FundingApproval {
        guard let approval = try stores.fundingApprovals.fetch(approvalID, user: caller.userID, mode: caller.mode) else {
            throw MarketplaceError.notFound("no funding approval \(approvalID)")
        }
        guard try stores.fundingApprovals.decide(approvalID, as: status, nowMicros: nowMicros) else {
            throw MarketplaceError.conflict(field: "status", message: "the approval is already \(approval.status.rawValue)")
        }
        guard let decided = try stores.fundingApprovals.fetch(approvalID) else { throw MarketplaceError.notFound("no funding approval \(approvalID)") }
        return decided
    }
}
