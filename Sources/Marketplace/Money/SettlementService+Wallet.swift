import Foundation
import GRDB
public import LedgerCore

/// A withdrawal of wallet money through a connector.
public struct Withdrawal: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable { case pending, paid, failed }

    public let id: String
    public let asset: Asset
    public let amountMinor: Int64
    public let connector: String
    public let status: Status
    public let createdAt: Int64
    public let settledAt: Int64?

    init(row: Row) {
        id = row["id"]
        asset = Asset.named(row["asset"]) ?? .usd
        amountMinor = row["amount_minor"]
        connector = row["connector"]
        status = Status(rawValue: row["status"]) ?? .pending
        createdAt = row["created_at"]
        settledAt = row["settled_at"]
    }
}

/// A user's lifetime figures in one asset, from the marketplace's records of committed operations.
public struct WalletTotals: Sendable, Hashable {
    public let asset: Asset
    /// Put into the escrow of the user's own tasks.
    public var fundedMinor: Int64 = 0
    /// Paid from the user's tasks to workers (approvals and dispute splits).
    public var paidOutMinor: Int64 = 0
    /// Returned from the user's tasks' escrow (cancel, expiry, dispute splits).
    public var refundedMinor: Int64 = 0
    /// Platform fees on the user's tasks.
    public var feesMinor: Int64 = 0
    /// Received as a worker.
    public var earnedMinor: Int64 = 0
    /// Withdrawn and paid out by a connector.
    public var withdrawnMinor: Int64 = 0
}

/// One row of a wallet's history: a ledger entry on the wallet account, named for people.
public struct WalletTransaction: Sendable, Hashable {
    public let type: String
    public let entry: StatementEntry

    /// The wallet-facing name of each recipe that touches a wallet.
    public static let types: [Int64: String] = [
        RecipeCode.deposit.rawValue: "deposit", RecipeCode.fund.rawValue: "funding", RecipeCode.refund.rawValue: "refund",
        RecipeCode.approvePayout.rawValue: "earning", RecipeCode.releasePayout.rawValue: "earning",
        RecipeCode.disputeWorker.rawValue: "dispute_payout", RecipeCode.disputeAgent.rawValue: "dispute_refund",
        RecipeCode.withdrawalIntent.rawValue: "withdrawal", RecipeCode.withdrawalPost.rawValue: "withdrawal_paid",
        RecipeCode.withdrawalVoid.rawValue: "withdrawal_failed", RecipeCode.payoutReturned.rawValue: "withdrawal_returned",
    ]
}

extension SettlementService {
    /// The caller's lifetime figures per wallet asset.
    public func totals(for caller: Principal) throws(MarketplaceError) -> [WalletTotals] {
        try caller.require(.walletRead)
        return try store.readDB { db in
            var totals = Dictionary(uniqueKeysWithValues: Self.walletAssets.map { ($0.code, WalletTotals(asset: $0)) })
            /// Adds each row's sums (after the asset column) into the totals through `apply`.
            func add(_ sql: String, _ apply: (inout WalletTotals, [Int64]) -> Void) throws {
                for row in try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: [caller.userID, caller.mode.rawValue]) {
                    guard let code = row[0] as String?, totals[code] != nil else { continue }
                    apply(&totals[code]!, (1..<row.count).map { (row[$0] as Int64?) ?? 0 })
                }
            }
            // The caller's own tasks: each funding, and whether its payout or refund committed.
            try add("""
                SELECT f.asset,
                       SUM(CASE WHEN fo.state = 'committed' THEN f.escrow_minor ELSE 0 END),
                       SUM(CASE WHEN ao.state = 'committed' THEN f.payout_minor ELSE 0 END),
                       SUM(CASE WHEN ao.state = 'committed' THEN f.fee_minor ELSE 0 END),
                       SUM(CASE WHEN ro.state = 'committed' THEN f.escrow_minor ELSE 0 END)
                FROM task_funding f JOIN tasks t ON t.id = f.task_id
                LEFT JOIN operations fo ON fo.key = 'fund:' || f.task_id
                LEFT JOIN operations ao ON ao.key = 'approve:' || f.task_id
                LEFT JOIN operations ro ON ro.key = 'refund:' || f.task_id
                WHERE t.owner_id = ? AND t.mode = ? GROUP BY f.asset
                """) { $0.fundedMinor += $1[0]; $0.paidOutMinor += $1[1]; $0.feesMinor += $1[2]; $0.refundedMinor += $1[3] }
            // Resolved disputes on the caller's own tasks.
            try add("""
                SELECT f.asset, SUM(d.to_worker_minor), SUM(d.fee_minor), SUM(d.to_payer_minor)
                FROM disputes d JOIN tasks t ON t.id = d.task_id JOIN task_funding f ON f.task_id = d.task_id
                WHERE t.owner_id = ? AND t.mode = ? AND d.status = 'resolved' GROUP BY f.asset
                """) { $0.paidOutMinor += $1[0]; $0.feesMinor += $1[1]; $0.refundedMinor += $1[2] }
            // As a worker: approved payouts and dispute shares.
            try add("""
                SELECT f.asset, SUM(f.payout_minor) FROM task_funding f JOIN tasks t ON t.id = f.task_id
                JOIN operations ao ON ao.key = 'approve:' || f.task_id AND ao.state = 'committed'
                WHERE t.worker_id = ? AND t.mode = ? GROUP BY f.asset
                """) { $0.earnedMinor += $1[0] }
            try add("""
                SELECT f.asset, SUM(d.to_worker_minor) FROM disputes d JOIN tasks t ON t.id = d.task_id JOIN task_funding f ON f.task_id = d.task_id
                WHERE t.worker_id = ? AND t.mode = ? AND d.status = 'resolved' GROUP BY f.asset
                """) { $0.earnedMinor += $1[0] }
            try add("SELECT asset, SUM(amount_minor) FROM withdrawals WHERE user_id = ? AND mode = ? AND status = 'paid' GROUP BY asset") {
                $0.withdrawnMinor += $1[0]
            }
            return Self.walletAssets.compactMap { totals[$0.code] }
        }
    }

    /// The caller's wallet history in `asset`, oldest first, optionally of one type, paged by
    /// the ledger's statement cursor.
    public func transactions(for caller: Principal, asset code: String, type: String?, cursor: String?,
                             limit: Int) async throws(MarketplaceError) -> (transactions: [WalletTransaction], nextCursor: String?) {
        try caller.require(.walletRead)
        guard let asset = Asset.named(code), Self.walletAssets.contains(asset) else {
            throw .validation(field: "asset", message: "asset must be USD or USDC")
        }
        if let type, !Set(WalletTransaction.types.values).contains(type) {
            throw .validation(field: "type", message: "type must be one of \(Set(WalletTransaction.types.values).sorted().joined(separator: ", "))")
        }
        guard (1...100).contains(limit) else { throw .validation(field: "limit", message: "limit must be 1 to 100") }
        var after: StatementCursor?
        if let cursor {
            guard let parsed = StatementCursor(cursor) else { throw .validation(field: "cursor", message: "cursor is not one this API returned") }
            after = parsed
        }
        let wallet = try await account(walletAccount(caller, asset))
        var found: [WalletTransaction] = []
        // Scan statement pages until the page is full; a type filter may skip entries.
        while found.count < limit {
            let page: StatementPage?
            do { page = try ledger.statement(of: wallet, after: after, limit: 1_000) } catch { throw .internalError("ledger: \(error)") }
            guard let page else { break }
            for entry in page.entries {
                let name = WalletTransaction.types[Int64(entry.transfer.code)] ?? "other"
                if type == nil || name == type { found.append(WalletTransaction(type: name, entry: entry)) }
                after = StatementCursor("\(entry.commitSeq).\(entry.transfer.seq)")
                if found.count == limit { break }
            }
            if found.count == limit || page.nextCursor == nil { break }
        }
        let more: Bool
        if found.count == limit, let last = after {
            do { more = try ledger.statement(of: wallet, after: last, limit: 1)?.entries.isEmpty == false } catch { throw .internalError("ledger: \(error)") }
        } else {
            more = false
        }
        return (found, more ? after?.description : nil)
    }

    /// Withdraws from the caller's wallet through the test connector, which pays at once: the
    /// intent holds the money (recipe 15), then the payout settles (16 + 17). Test mode only.
    public func withdraw(amount: String, currency: String, idempotencyKey: String, by caller: Principal) async throws(MarketplaceError) -> Withdrawal {
        try caller.require(.walletWrite)
        guard caller.mode == .test else {
            throw .forbidden("live withdrawals are not built: live earnings go to your linked Stripe account or Base address when a task is approved (PUT /v1/payout-account); a live wallet balance stays in the wallet, where it funds tasks")
        }
        let (asset, amountMinor) = try Self.money(amount, currency)
        let key = try Self.clientKey(idempotencyKey, scope: "withdraw:\(caller.userID)", suffixLength: ":intent".count)
        let wallet = try await account(walletAccount(caller, asset))
        let inFlight = try await account(chart.payoutsInFlight(connector: "test", mode: .test, asset: asset)!)
        let now = clock.nowMicros()
        let (withdrawalID, intent) = try await store.writeDB { db -> (String, Operation) in
            let operation = try Operation.record(key: key + ":intent", in: Stores(db), nowMicros: now) { first in
                PostingRecipes.withdrawalIntent(id: first, wallet: wallet, inFlight: inFlight, amountMinor: amountMinor, asset: asset,
                                                metadata: #"{"connector":"test"}"#)
            }
            let withdrawalID = "wdr_\(operation.id)"
            try db.run(sql: """
                INSERT OR IGNORE INTO withdrawals (id, user_id, mode, asset, amount_minor, connector, status, created_at) VALUES (?, ?, ?, ?, ?, 'test', 'pending', ?)
                """, arguments: [withdrawalID, caller.userID, caller.mode.rawValue, asset.code, amountMinor, now])
            return (withdrawalID, operation)
        }
        do {
            try await commit(intent)
        } catch where error.isTransient {
            throw .internalError("the withdrawal is recorded and will be retried: \(error)")
        } catch {
            try await forget(intent)
            try await store.writeDB { db in try db.run(sql: "DELETE FROM withdrawals WHERE id = ? AND status = 'pending'", arguments: [withdrawalID]) }
            if case .exceedsCredits(_, _, let available, let requested) = error {
                throw .insufficientBalance(availableMinor: available, requiredMinor: requested, asset: asset.code)
            }
            throw .internalError("the ledger refused the withdrawal: \(error)")
        }
        return try await settleTestWithdrawal(intent: intent, withdrawalID: withdrawalID, amountMinor: amountMinor, asset: asset)
    }

    /// The test connector pays at once: posts the committed intent and moves the money from
    /// payouts in flight to the connector's clearing (16 + 17), then marks the withdrawal paid.
    func settleTestWithdrawal(intent: Operation, withdrawalID: String, amountMinor: Int64, asset: Asset) async throws(MarketplaceError) -> Withdrawal {
        let inFlight = try await account(chart.payoutsInFlight(connector: "test", mode: .test, asset: asset)!)
        let clearing = try await account(chart.clearing(connector: "test", mode: .test, asset: asset)!)
        let intentID = intent.firstTransferID
        let now = clock.nowMicros()
        let settleKey = String(intent.key.dropLast(":intent".count)) + ":settle"
        let settle = try await store.writeDB { db in
            try Operation.record(key: settleKey, in: Stores(db), nowMicros: now) { first in
                try PostingRecipes.withdrawalSucceeded(firstID: first, intent: intentID, inFlight: inFlight, clearing: clearing,
                                                       amountMinor: amountMinor, asset: asset, metadata: #"{"connector":"test"}"#)
            }
        }
        do { try await commit(settle) } catch { throw .internalError("the withdrawal's settlement is recorded and will be retried: \(error)") }
        return try await store.writeDB { db in
            try db.run(sql: "UPDATE withdrawals SET status = 'paid', settled_at = COALESCE(settled_at, ?) WHERE id = ?", arguments: [now, withdrawalID])
            // The settlement's second transfer (in flight -> clearing) is what the connector paid.
            try TestConnectorLog.record(.payout, asset: asset, amountMinor: -amountMinor, transfer: TransferID(settle.firstTransferID.rawValue + 1),
                                        nowMicros: now, Stores(db))
            return Withdrawal(row: try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM withdrawals WHERE id = ?"), arguments: [withdrawalID])!)
        }
    }

    /// After a restart: every test-connector withdrawal still pending whose intent is in the
    /// ledger is settled (the connector pays at once); one whose intent never committed is
    /// marked failed (nothing moved). Returns how many it finished.
    func finishTestWithdrawals() async throws(MarketplaceError) -> Int {
        let pending = try store.readDB { db in
            try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM withdrawals WHERE status = 'pending' AND connector = 'test'"))
        }
        for row in pending {
            let withdrawal = Withdrawal(row: row)
            let intentOperationID = Int64(withdrawal.id.dropFirst("wdr_".count)) ?? -1
            let intent = try store.readDB { db in
                try Row.fetchOne(try db.cachedStatement(sql: "SELECT key FROM operations WHERE id = ?"), arguments: [intentOperationID])
                    .flatMap { try Operation.find(key: $0["key"], in: Stores(db)) }
            }
            guard let intent, intent.isCommitted else {
                try await store.writeDB { db in
                    try db.run(sql: "UPDATE withdrawals SET status = 'failed', settled_at = ? WHERE id = ? AND status = 'pending'",
                               arguments: [clock.nowMicros(), withdrawal.id])
                }
                continue
            }
            _ = try await settleTestWithdrawal(intent: intent, withdrawalID: withdrawal.id, amountMinor: withdrawal.amountMinor, asset: withdrawal.asset)
        }
        return pending.count
    }
}
