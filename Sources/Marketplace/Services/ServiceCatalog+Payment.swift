import LedgerCore

extension ServiceCatalog {
    /// Prepares the owner-approved payment of an order (seed 000's prepare-order-payment):
    /// `amount` must be the order's price exactly (refused naming `amount` otherwise). Through
    /// an API key it records a funding approval for the order's escrow (price plus the fee on
    /// top), whatever the key's spend policy, which the account owner approves or declines,
    /// logged in, at /v1/funding-approvals; the owner's own logged-in request is the approval
    /// and funds the order from the wallet at once. An order funded already answers its funding.
    /// Milestones are not part of orders: a `milestoneID` is refused naming `milestone_id`.
    public func preparePayment(order orderID: String, amount: String, milestoneID: String?,
                               by caller: Principal) async throws(MarketplaceError) -> OrderPayment {
        try caller.require(.walletWrite)
        try caller.requirePoster()
        if milestoneID != nil {
            throw .validation(field: "milestone_id", message: "orders are paid whole: this order has no milestones; leave out milestone_id")
        }
        let task = try store.read { stores in try Self.bought(orderID, by: caller, stores) }
        let amountMinor = try ServiceDraft.amountMinor(amount, asset: task.spec.asset, field: "amount")
        guard amountMinor == task.spec.budgetMinor else {
            let price = MinorUnits.format(task.spec.budgetMinor, scale: task.spec.asset.scale)
            throw .validation(field: "amount", message: "amount must be the order's price, \(price) \(task.spec.asset.code)")
        }
        switch caller.credential {
        case .session:
            let outcome = try await FundingPipeline(settlement: settlement, work: work).fund(orderID, with: .wallet, by: caller)
            guard case .funded(let funding, _) = outcome else { throw .internalError("a logged-in owner's funding awaited approval") }
            return .funded(funding)
        case .apiKey(let keyID):
            return try await requestApproval(of: task, keyID: keyID, by: caller)
        case .taskToken:
            throw .forbidden("an order is paid by its buyer's account, not a task token")
        }
    }

    /// Records (or finds) the pending funding approval of an order asked through `keyID`.
    private func requestApproval(of task: MarketTask, keyID: String, by caller: Principal) async throws(MarketplaceError) -> OrderPayment {
        let now = clock.nowMicros()
        let settlement = settlement
        return try await store.write { stores in
            switch try settlement.prepareFunding(task.id, by: caller, nowMicros: now, stores) {
            case .funded(let funding, _): return .funded(funding)
            case .ready(let preparation):
                let price = MinorUnits.format(task.spec.budgetMinor, scale: task.spec.asset.scale)
                let reason = "owner-approved payment of order \(task.id) (\(price) \(task.spec.asset.code) and the fee)"
                return .awaitingApproval(try SettlementService.requestApproval(
                    taskID: task.id, userID: caller.userID, keyID: keyID, escrowMinor: preparation.split.escrowMinor, asset: task.spec.asset,
                    reason: reason, nowMicros: now, stores))
            }
        }
    }

    /// The caller's order, as its buyer; anyone else's (or a task that is no order) is "not found".
    /// The id of the caller's order numbered `number` (seed 000's integer `order_id`);
    /// another buyer's, or none, is "not found" naming `order_id`.
    public func orderID(number: Int64, for caller: Principal) throws(MarketplaceError) -> String {
        try caller.require(.tasksRead)
        return try store.read { stores in
            guard let order = try stores.serviceOrders.fetch(number: number), order.buyerID == caller.userID,
                  let task = try stores.tasks.fetch(order.taskID), task.mode == caller.mode else {
                throw MarketplaceError.notFound("no order \(number) of yours")
            }
            return order.taskID
        }
    }

    static func bought(_ orderID: String, by caller: Principal, _ stores: Stores) throws -> MarketTask {
        guard let order = try stores.serviceOrders.fetch(taskID: orderID), order.buyerID == caller.userID else {
            throw MarketplaceError.notFound("no order \(orderID)")
        }
        return try TaskService.owned(order.taskID, by: caller, stores)
    }
}
