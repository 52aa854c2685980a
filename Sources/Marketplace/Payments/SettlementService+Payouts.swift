public import Connectors
import Foundation
public import LedgerCore

/// A person's account at a payout connector (a Stripe Connect account, `acct_…`).
public struct PayoutAccount: Sendable, Hashable {
    public let connector: String
    public let accountID: String
}

/// Payouts of card-funded work to the worker's Connect account: a withdrawal intent (pending
/// wallet -> payouts in flight) and the transfer call in the commit that pays the wallet; the
/// transfer's creation settles it; a reversal gives the worker's balance back.
extension SettlementService {
    public static let payoutConnector = "stripe"

    /// Links (or replaces) the caller's Connect account for payouts in the caller's mode.
    public func linkPayoutAccount(_ accountID: String, by caller: Principal) async throws(MarketplaceError) -> PayoutAccount {
        try caller.require(.walletWrite)
        let trimmed = accountID.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("acct_"), (6...255).contains(trimmed.count),
              trimmed.dropFirst(5).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .validation(field: "account_id", message: "account_id must be a Stripe Connect account id (acct_ followed by letters and digits)")
        }
        let now = clock.nowMicros()
        try await store.write { stores in
            try stores.payoutAccounts.link(userID: caller.userID, mode: caller.mode, connector: Self.payoutConnector, accountID: trimmed, nowMicros: now)
        }
        return PayoutAccount(connector: Self.payoutConnector, accountID: trimmed)
    }

    public func payoutAccount(for caller: Principal) throws(MarketplaceError) -> PayoutAccount? {
        try caller.require(.walletRead)
        return try store.read { stores in try stores.payoutAccounts.fetch(userID: caller.userID, mode: caller.mode, connector: Self.payoutConnector) }
    }

    /// Links (or replaces) the Base address the caller's USDC earnings are paid to.
    public func linkPayoutAddress(_ address: String, by caller: Principal) async throws(MarketplaceError) -> PayoutAccount {
        try caller.require(.walletWrite)
        let chain = try self.chain(for: caller, field: "base_address")
        let normalized: String
        do { normalized = try chain.chain.normalize(address: address.trimmingCharacters(in: .whitespaces), field: "base_address") } catch {
            throw Self.invalidInput(error)
        }
        let connector = chain.chain.name
        let now = clock.nowMicros()
        try await store.write { stores in
            try stores.payoutAccounts.link(userID: caller.userID, mode: caller.mode, connector: connector, accountID: normalized, nowMicros: now)
        }
        return PayoutAccount(connector: connector, accountID: normalized)
    }

    /// The caller's linked Base address, when USDC on Base is configured.
    public func payoutAddress(for caller: Principal) throws(MarketplaceError) -> PayoutAccount? {
        try caller.require(.walletRead)
        guard let chain else { return nil }
        return try store.read { stores in try stores.payoutAccounts.fetch(userID: caller.userID, mode: caller.mode, connector: chain.chain.name) }
    }

    /// Unlinks the caller's Connect account, or (`connector` "base") their Base address.
    public func unlinkPayoutAccount(connector: String = payoutConnector, by caller: Principal) async throws(MarketplaceError) {
        try caller.require(.walletWrite)
        try await store.write { stores in try stores.payoutAccounts.unlink(userID: caller.userID, mode: caller.mode, connector: connector) }
    }

    /// Inside the commit that credits a worker for card-funded work: when the worker linked a
    /// Connect account, `amountMinor` leaves their wallet as a payout intent with its transfer call.
    func schedulePayout(task: MarketTask, workerID: String, amountMinor: Int64, funding: TaskFunding, nowMicros now: Int64,
                        _ transaction: LedgerTransaction) throws {
        let asset = funding.asset
        guard amountMinor > 0 else { return }
        let connector: String
        let account: PayoutAccount
        var payment: String?
        if let chain, asset == .usdc, chain.mode == task.mode,
           let address = try transaction.stores.payoutAccounts.fetch(userID: workerID, mode: task.mode, connector: chain.chain.name) {
            // USDC earnings go on to the worker's linked Base address, however the task was funded.
            connector = chain.chain.name
            account = address
        } else if let card, funding.source == .card, let linked = try transaction.stores.payoutAccounts.fetch(userID: workerID, mode: task.mode, connector: Self.payoutConnector) {
            connector = card.connector.name
            account = linked
            payment = try ConnectorCall.settled(task.id, kind: .checkout, transaction.stores)?.paymentReference
        } else {
            return
        }
        let wallet = try transaction.account(walletAccount(user: workerID, mode: task.mode, asset))
        let inFlight = try transaction.account(chart.payoutsInFlight(connector: connector, mode: task.mode.ledger, asset: asset)!)
        let intentKey = "payout:\(task.id)"
        _ = try Operation.commit(key: intentKey, in: transaction, nowMicros: now) { first in
            PostingRecipes.withdrawalIntent(id: first, wallet: wallet, inFlight: inFlight, amountMinor: amountMinor, asset: asset,
                                            metadata: #"{"task":"\#(task.id)","connector":"\#(connector)"}"#)
        }
        let request = ConnectorCall.Request(amountMinor: amountMinor, currency: asset.code.lowercased(), asset: asset.code, paymentReference: payment,
                                            destination: account.accountID, userID: workerID)
        _ = try ConnectorCall.insert(connector: connector, kind: .payout, taskID: task.id, intentKey: intentKey, request: request, nowMicros: now,
                                     transaction.stores)
    }

    /// Asks the connector for the transfer and settles the intent once it exists; a refusal
    /// voids it (the worker's wallet has the money back).
    func sendPayout(_ call: ConnectorCall, _ card: CardPayments) async throws(MarketplaceError) {
        guard let destination = call.request.destination else { throw .internalError("payout \(call.id) names no destination") }
        crash(at: .afterIntent)
        let result: PayoutResult
        do {
            result = try await card.connector.payOut(PayoutRequest(destination: destination, amountMinor: call.request.amountMinor, currency: call.request.currency,
                                                                   group: call.taskID, paymentReference: call.request.paymentReference,
                                                                   metadata: ["task_id": call.taskID, "intent_key": call.intentKey, "call_id": String(call.id)],
                                                                   idempotencyKey: call.idempotencyKey))
        } catch {
            if error.isIndefinite { throw .connectorUnavailable("the payout is recorded and will be retried: \(error)") }
            try await failCall(call, reason: "\(error)")
            return
        }
        crash(at: .afterConnectorCall)
        let now = clock.nowMicros()
        try await store.transaction { transaction in
            guard let current = try transaction.stores.connectorCalls.fetch(id: call.id), current.state == .pending,
                  let intent = try Operation.find(key: current.intentKey, in: transaction.stores), let asset = Asset.named(current.request.asset) else { return }
            let mode = try Self.mode(ofTask: current.taskID, transaction.stores)
            let inFlight = try transaction.account(self.chart.payoutsInFlight(connector: card.connector.name, mode: mode, asset: asset)!)
            let clearing = try transaction.account(self.chart.clearing(connector: card.connector.name, mode: mode, asset: asset)!)
            _ = try Operation.commit(key: "\(current.intentKey):post", in: transaction, nowMicros: now) { first in
                try PostingRecipes.withdrawalSucceeded(firstID: first, intent: intent.firstTransferID, inFlight: inFlight,
                                                       clearing: clearing, amountMinor: current.request.amountMinor, asset: asset,
                                                       metadata: #"{"task":"\#(current.taskID)","transfer":"\#(result.id)"}"#)
            }
            _ = try current.move(to: .settled, from: [.pending], reference: result.id, nowMicros: now, transaction.stores)
        }
    }

    /// An admin takes back `amount` (all that is left when nil) of a task's payout; the
    /// worker's wallet gets it back.
    public func reversePayout(of taskID: String, amount: String?, by caller: Principal) async throws(MarketplaceError) -> Int64 {
        try caller.requireAdmin()
        guard let card else { throw .validation(field: "task", message: "no payout connector is configured") }
        guard let call = try store.read({ stores in try ConnectorCall.settled(taskID, kind: .payout, stores) }),
              let transfer = call.reference, let asset = Asset.named(call.request.asset) else {
            throw .notFound("task \(taskID) has no settled payout")
        }
        let left = call.request.amountMinor - call.reversedMinor
        var requested = left
        if let amount {
            do { requested = try MinorUnits.parse(amount, scale: asset.scale) } catch { throw .validation(field: "amount", message: "amount: \(error)") }
        }
        guard requested > 0, requested <= left else {
            throw .validation(field: "amount", message: "amount must be more than 0 and at most what is left of the payout, \(MinorUnits.format(left, scale: asset.scale))")
        }
        let reversal: PayoutReversal
        do {
            reversal = try await card.connector.reversePayout(transfer, amountMinor: requested,
                                                              idempotencyKey: "marketplace:payout-reversal:\(call.id):\(call.reversedMinor + requested)")
        } catch {
            throw error.isIndefinite ? .connectorUnavailable("\(error)") : Self.refusal(error)
        }
        _ = try await applyReversal(transfer: transfer, cumulativeMinor: call.reversedMinor + reversal.amountMinor, connector: card.connector.name)
        return call.reversedMinor + reversal.amountMinor
    }

    func applyReversal(transfer: String, cumulativeMinor: Int64, connector: String) async throws(MarketplaceError) -> ConnectorEventOutcome {
        let now = clock.nowMicros()
        return try await store.transaction { transaction in try self.reverse(transfer: transfer, cumulativeMinor: cumulativeMinor, connector: connector,
                                                                             nowMicros: now, transaction) }
    }

    /// Inside a commit: a payout reversed `cumulativeMinor` in all so far; what is new of it goes
    /// back to the worker's wallet (clearing -> wallet). Events name the running total, so a
    /// repeated or older one changes nothing.
    func reverse(transfer: String, cumulativeMinor: Int64, connector: String, nowMicros now: Int64, _ transaction: LedgerTransaction) throws -> ConnectorEventOutcome {
        let stores = transaction.stores
        guard let call = try stores.connectorCalls.fetch(connector: connector, reference: transfer), call.kind == .payout else { return .unmatched }
        guard call.state == .settled, cumulativeMinor > call.reversedMinor, cumulativeMinor <= call.request.amountMinor,
              let worker = call.request.userID, let asset = Asset.named(call.request.asset), let task = try stores.tasks.fetch(call.taskID) else {
            return .ignored
        }
        let clearing = try transaction.account(chart.clearing(connector: connector, mode: task.mode.ledger, asset: asset)!)
        let wallet = try transaction.account(walletAccount(user: worker, mode: task.mode, asset))
        _ = try Operation.commit(key: "payout-reversal:\(call.id):\(cumulativeMinor)", in: transaction, nowMicros: now) { first in
            PostingRecipes.deposit(id: first, clearing: clearing, wallet: wallet, amountMinor: cumulativeMinor - call.reversedMinor, asset: asset,
                                   metadata: #"{"task":"\#(call.taskID)","transfer":"\#(transfer)","reversal":true}"#)
        }
        try stores.connectorCalls.recordReversal(of: call.id, cumulativeMinor: cumulativeMinor, nowMicros: now)
        return .applied
    }
}
