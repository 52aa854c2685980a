import Foundation
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

    init(id: String, asset: Asset, amountMinor: Int64, connector: String, status: Status, createdAt: Int64, settledAt: Int64?) {
        self.id = id
        self.asset = asset
        self.amountMinor = amountMinor
        self.connector = connector
        self.status = status
        self.createdAt = createdAt
        self.settledAt = settledAt
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
        return try store.read { stores in try stores.walletTotals.totals(user: caller.userID, mode: caller.mode, assets: Self.walletAssets) }
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
        let (withdrawalID, intent) = try await store.write { stores -> (String, Operation) in
            let operation = try Operation.record(key: key + ":intent", in: stores, nowMicros: now) { first in
                PostingRecipes.withdrawalIntent(id: first, wallet: wallet, inFlight: inFlight, amountMinor: amountMinor, asset: asset,
                                                metadata: #"{"connector":"test"}"#)
            }
            let withdrawalID = "wdr_\(operation.id)"
            let withdrawal = Withdrawal(id: withdrawalID, asset: asset, amountMinor: amountMinor, connector: "test", status: .pending, createdAt: now, settledAt: nil)
            try stores.withdrawals.insertPending(withdrawal, userID: caller.userID, mode: caller.mode)
            return (withdrawalID, operation)
        }
        do {
            try await commit(intent)
        } catch where error.isTransient {
            throw .internalError("the withdrawal is recorded and will be retried: \(error)")
        } catch {
            try await forget(intent)
            try await store.write { stores in try stores.withdrawals.deletePending(withdrawalID) }
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
        let settle = try await store.write { stores in
            try Operation.record(key: settleKey, in: stores, nowMicros: now) { first in
                try PostingRecipes.withdrawalSucceeded(firstID: first, intent: intentID, inFlight: inFlight, clearing: clearing,
                                                       amountMinor: amountMinor, asset: asset, metadata: #"{"connector":"test"}"#)
            }
        }
        do { try await commit(settle) } catch { throw .internalError("the withdrawal's settlement is recorded and will be retried: \(error)") }
        return try await store.write { stores in
            try stores.withdrawals.markPaid(withdrawalID, nowMicros: now)
            // The settlement's second transfer (in flight -> clearing) is what the connector paid.
            try TestConnectorLog.record(.payout, asset: asset, amountMinor: -amountMinor, transfer: TransferID(settle.firstTransferID.rawValue + 1),
                                        nowMicros: now, stores)
            guard let withdrawal = try stores.withdrawals.fetch(withdrawalID) else { throw MarketplaceError.internalError("withdrawal \(withdrawalID) is not on record") }
            return withdrawal
        }
    }

    /// After a restart: every test-connector withdrawal still pending whose intent is in the
    /// ledger is settled (the connector pays at once); one whose intent never committed is
    /// marked failed (nothing moved). Returns how many it finished.
    func finishTestWithdrawals() async throws(MarketplaceError) -> Int {
        let pending = try store.read { stores in try stores.withdrawals.pendingThroughTestConnector() }
        for withdrawal in pending {
            let intentOperationID = Int64(withdrawal.id.dropFirst("wdr_".count)) ?? -1
            let intent = try store.read { stores in
                try stores.operations.key(of: intentOperationID).flatMap { try stores.operations.find(key: $0) }
            }
            guard let intent, intent.isCommitted else {
                let now = clock.nowMicros()
                try await store.write { stores in try stores.withdrawals.markFailed(withdrawal.id, nowMicros: now) }
                continue
            }
            _ = try await settleTestWithdrawal(intent: intent, withdrawalID: withdrawal.id, amountMinor: withdrawal.amountMinor, asset: withdrawal.asset)
        }
        return pending.count
    }
}
