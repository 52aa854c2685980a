import Foundation
import GRDB
public import LedgerCore

extension SettlementService {
    /// Why a funding through `keyID` exceeds its spend policy, or nil when it fits (or there is none).
    static func policyRefusal(keyID: String, escrowMinor: Int64, asset: Asset, nowMicros: Int64, _ stores: Stores) throws -> String? {
        let db = stores.db
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT spend_asset, spend_per_task_minor, spend_per_day_minor FROM api_keys WHERE id = ?"),
                                         arguments: [keyID]),
              let policyAsset = (row["spend_asset"] as String?).flatMap(Asset.named) else { return nil }
        guard policyAsset == asset else { return "the key's spend policy covers \(policyAsset.code) only" }
        if let perTask = row["spend_per_task_minor"] as Int64?, escrowMinor > perTask {
            return "\(MinorUnits.format(escrowMinor, scale: asset.scale)) is over the key's cap of \(MinorUnits.format(perTask, scale: asset.scale)) per task"
        }
        if let perDay = row["spend_per_day_minor"] as Int64? {
            let dayStart = nowMicros - nowMicros % 86_400_000_000  // UTC midnight
            let spent = try Int64.fetchOne(try db.cachedStatement(sql: """
                SELECT COALESCE(SUM(f.escrow_minor), 0) FROM task_funding f JOIN operations o ON o.key = 'fund:' || f.task_id
                WHERE f.key_id = ? AND f.asset = ? AND f.funded_at >= ?
                """), arguments: [keyID, asset.code, dayStart]) ?? 0
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
                                    let db = stores.db
        if let existing = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM funding_approvals WHERE task_id = ? AND status = 'pending'"), arguments: [taskID]) {
            return FundingApproval(row: existing)
        }
        let id = Secrets.id("fap")
        try db.run(sql: """
            INSERT INTO funding_approvals (id, task_id, user_id, key_id, amount_minor, asset, reason, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)
            """, arguments: [id, taskID, userID, keyID, escrowMinor, asset.code, reason, nowMicros])
        let mode = try String.fetchOne(try db.cachedStatement(sql: "SELECT mode FROM tasks WHERE id = ?"), arguments: [taskID]).flatMap(Mode.init) ?? .test
        try Notification.add(.fundingHeld, for: userID, mode: mode, task: taskID, "A key's funding waits for your approval: \(reason)", nowMicros: nowMicros, Stores(db))
        return FundingApproval(row: try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM funding_approvals WHERE id = ?"), arguments: [id])!)
    }

    /// The funding approvals of the caller's account, newest first (a logged-in session only).
    public func fundingApprovals(for caller: Principal) throws(MarketplaceError) -> [FundingApproval] {
        try caller.requireSession()
        return try store.readDB { db in
            try Row.fetchAll(try db.cachedStatement(sql: """
                SELECT a.* FROM funding_approvals a JOIN tasks t ON t.id = a.task_id WHERE a.user_id = ? AND t.mode = ?
                ORDER BY a.created_at DESC, a.id DESC LIMIT 500
                """), arguments: [caller.userID, caller.mode.rawValue]).map(FundingApproval.init)
        }
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
        return try await store.writeDB { db in try Self.decide(approvalID, as: .declined, by: caller, nowMicros: now, Stores(db)) }
    }

    /// Moves the caller's pending approval to `status` inside the caller's commit; another
    /// user's approval, or one of the other mode, is not found, and a decided one is a conflict.
    private static func decide(_ approvalID: String, as status: FundingApproval.Status, by caller: Principal, nowMicros: Int64,
                               _ stores: Stores) throws -> FundingApproval {
                                   let db = stores.db
        let approval = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT a.* FROM funding_approvals a JOIN tasks t ON t.id = a.task_id WHERE a.id = ? AND a.user_id = ? AND t.mode = ?
            """), arguments: [approvalID, caller.userID, caller.mode.rawValue]).map(FundingApproval.init)
        guard let approval else { throw MarketplaceError.notFound("no funding approval \(approvalID)") }
        try db.run(sql: "UPDATE funding_approvals SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
                   arguments: [status.rawValue, nowMicros, approvalID])
        guard db.changesCount == 1 else {
            throw MarketplaceError.conflict(field: "status", message: "the approval is already \(approval.status.rawValue)")
        }
        return FundingApproval(row: try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM funding_approvals WHERE id = ?"), arguments: [approvalID])!)
    }
}
