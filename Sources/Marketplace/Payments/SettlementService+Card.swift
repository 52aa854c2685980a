public import Connectors
import Foundation
public import LedgerCore

/// Card funding through a hosted checkout, and refunds to the card, on the connector pattern:
/// the ledger intent and the connector call are recorded in one commit, the connector is
/// asked, and its answer or its verified event posts or voids the intent.
extension SettlementService {
    /// Opens (or returns the open) checkout for a task: a funding intent (pending clearing ->
    /// escrow, budget plus fee) and the checkout call in one commit, then the call. The task is
    /// funded only when a verified event (or a re-read of the session) says it was paid.
    func fundByCard(_ taskID: String, successURL: String?, cancelURL: String?, by caller: Principal) async throws(MarketplaceError) -> CardCheckout {
        try caller.require(.walletWrite)
        try caller.requirePoster()
        guard let card else {
            _ = try store.read { stores in try TaskService.owned(taskID, by: caller, stores) }  // another user's task is "not found" first
            throw .validation(field: "source", message: "card funding needs a card connector (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)")
        }
        for (field, url) in [("success_url", successURL), ("cancel_url", cancelURL)] {
            if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.count > 2_000 {
                throw .validation(field: field, message: "\(field) must be an http(s) URL of at most 2000 characters")
            }
        }
        let now = clock.nowMicros()
        guard card.mode == caller.mode else {
            throw .validation(field: "source", message: "the card connector takes \(card.mode.rawValue)-mode payments; this is a \(caller.mode.rawValue)-mode key")
        }
        let connector = card.connector.name
        let call = try await store.transaction { transaction -> Result<ConnectorCall, CheckoutShortcut> in
            let stores = transaction.stores
            let preparation: FundingPreparation
            switch try prepareFunding(taskID, by: caller, nowMicros: now, stores) {
            case .funded(let funding, _):
                return .failure(.funded(CardCheckout(taskID: taskID, sessionID: nil, checkoutURL: nil, status: .paid, amountMinor: funding.escrowMinor,
                                                     asset: funding.asset.code)))
            case .ready(let ready): preparation = ready
            }
            let (task, split) = (preparation.task, preparation.split)
            let asset = task.spec.asset
            guard asset == .usd else {
                throw MarketplaceError.validation(field: "source", message: "card funding takes USD tasks; fund a USDC task from the wallet")
            }
            let checkouts = try stores.connectorCalls.forTask(taskID, kind: .checkout)
            if let open = checkouts.last(where: { $0.state == .pending || $0.state == .sent }) { return .success(open) }
            if let reason = preparation.policyRefusal {
                throw MarketplaceError.forbidden("this key's spend policy does not allow it (\(reason)); the account owner can fund it")
            }
            let attempt = checkouts.count + 1
            let intentKey = "card-intent:\(taskID):\(attempt)"
            let clearing = try transaction.account(chart.clearing(connector: connector, mode: task.mode.ledger, asset: asset)!)
            let escrow = try transaction.account(chart.escrow(task: taskID, mode: task.mode.ledger, asset: asset))
            _ = try Operation.commit(key: intentKey, in: transaction, nowMicros: now) { first in
                PostingRecipes.fundIntent(id: first, clearing: clearing, escrow: escrow, split: split, asset: asset, timeoutSeconds: 0,
                                          metadata: #"{"task":"\#(taskID)","connector":"\#(connector)"}"#)
            }
            let request = ConnectorCall.Request(amountMinor: split.escrowMinor, currency: asset.code.lowercased(), asset: asset.code,
                                                escrowMinor: split.escrowMinor, payoutMinor: split.payoutMinor, feeMinor: split.feeMinor,
                                                feeRule: pricing.version, productName: String(task.spec.title.prefix(200)),
                                                successURL: successURL ?? card.successURL, cancelURL: cancelURL ?? card.cancelURL,
                                                expiresAtSeconds: now / 1_000_000 + card.sessionLifetimeSeconds, userID: task.ownerID)
            return .success(try ConnectorCall.insert(connector: connector, kind: .checkout, taskID: taskID, intentKey: intentKey, request: request,
                                                     nowMicros: now, stores))
        }
        switch call {
        case .failure(.funded(let checkout)): return checkout
        case .success(let call):
            if call.state == .sent { return Self.checkout(call, status: .open) }
            return try await sendCheckout(call, card)
        }
    }

    enum CheckoutShortcut: Error { case funded(CardCheckout) }

    static func checkout(_ call: ConnectorCall, status: CardCheckout.Status) -> CardCheckout {
        CardCheckout(taskID: call.taskID, sessionID: call.reference, checkoutURL: call.url, status: status, amountMinor: call.request.amountMinor,
                     asset: call.request.asset)
    }

    /// The task's latest checkout, for the browser flow (a redirect to its page).
    public func openCheckout(of taskID: String, by caller: Principal) throws(MarketplaceError) -> CardCheckout? {
        try store.read { stores in
            _ = try TaskService.owned(taskID, by: caller, stores)
            return try stores.connectorCalls.forTask(taskID, kind: .checkout).last.map { call in
                Self.checkout(call, status: call.state == .settled ? .paid : call.state == .failed ? .failed : .open)
            }
        }
    }

    /// Asks the connector for the checkout page and records it. A refusal voids the intent;
    /// no definite answer leaves the call pending, to be sent again with the same key.
    func sendCheckout(_ call: ConnectorCall, _ card: CardPayments) async throws(MarketplaceError) -> CardCheckout {
        crash(at: .afterIntent)
        let request = call.request
        let session: FundingSession
        do {
            session = try await card.connector.startFunding(FundingRequest(
                amountMinor: request.amountMinor, currency: request.currency, productName: request.productName ?? call.taskID,
                successURL: request.successURL ?? card.successURL, cancelURL: request.cancelURL ?? card.cancelURL, reference: call.taskID,
                metadata: ["task_id": call.taskID, "intent_key": call.intentKey, "call_id": String(call.id)],
                expiresAtSeconds: request.expiresAtSeconds ?? 0, idempotencyKey: call.idempotencyKey))
        } catch {
            if error.isIndefinite { throw .connectorUnavailable("\(card.connector.name) did not answer; the checkout is recorded and will be retried: \(error)") }
            try await failCall(call, reason: "\(error)")
            throw Self.refusal(error)
        }
        crash(at: .afterConnectorCall)
        let now = clock.nowMicros()
        try await store.write { stores in
            _ = try call.move(to: .sent, from: [.pending], reference: session.id, url: session.url, nowMicros: now, stores)
        }
        if session.status == .paid { _ = try await apply(ConnectorEvent.Kind.fundingSucceeded(session), eventID: nil, connector: card.connector.name) }
        return CardCheckout(taskID: call.taskID, sessionID: session.id, checkoutURL: session.url, status: session.status == .paid ? .paid : .open,
                            amountMinor: request.amountMinor, asset: request.asset)
    }

    static func refusal(_ error: ConnectorError) -> MarketplaceError {
        switch error {
        case .refused(_, _, _, let message, let param): .connectorRefused(field: param, message: "the payment connector refused: \(message)")
        default: .connectorRefused(field: nil, message: "the payment connector refused: \(error)")
        }
    }

    /// Voids the intent of a call that will never move money, and marks it failed.
    func failCall(_ call: ConnectorCall, reason: String) async throws(MarketplaceError) {
        let now = clock.nowMicros()
        try await store.transaction { transaction in
            guard let current = try transaction.stores.connectorCalls.fetch(id: call.id), current.state == .pending || current.state == .sent else { return }
            try self.void(current, reason: reason, nowMicros: now, transaction)
        }
    }

    /// Inside a commit: voids `call`'s intent (the right recipe for its kind) and marks it failed.
    func void(_ call: ConnectorCall, reason: String, nowMicros: Int64, _ transaction: LedgerTransaction) throws {
        let stores = transaction.stores
        guard let intent = try Operation.find(key: call.intentKey, in: stores) else { return }
        let intentID = intent.firstTransferID
        _ = try Operation.commit(key: "\(call.intentKey):void", in: transaction, nowMicros: nowMicros) { first in
            switch call.kind {
            case .checkout, .authorization: PostingRecipes.fundIntentFailed(id: first, intent: intentID)
            case .refund: PostingRecipes.refundFailed(id: first, intent: intentID)
            case .payout: PostingRecipes.withdrawalFailed(id: first, intent: intentID)
            }
        }
        _ = try call.move(to: .failed, from: [.pending, .sent], error: String(reason.prefix(500)), nowMicros: nowMicros, stores)
        if call.kind == .payout, let worker = call.request.userID, let task = try stores.tasks.fetch(call.taskID), let asset = Asset.named(call.request.asset) {
            try Outbox.emit(.payoutFailed, to: [worker], mode: task.mode, task: task,
                            data: ["amount": Outbox.money(call.request.amountMinor, asset), "connector": call.connector, "reason": String(reason.prefix(500))],
                            nowMicros: nowMicros, stores)
        }
    }

    /// Stops the process at `point` when the crash test asked for it.
    func crash(at point: CardPayments.CrashPoint) {
        if card?.crashPoint == point || chain?.crashPoint == point {
            FileHandle.standardError.write(Data("crash point \(point.rawValue) reached: stopping\n".utf8))
            kill(getpid(), SIGKILL)
        }
    }
}

extension SettlementService {
    /// Inside a closing commit: the escrow of a card-funded task goes back to the card. A refund
    /// intent (pending escrow -> clearing) and the refund call, sent after the commit.
    func refundToCard(_ funding: TaskFunding, amountMinor: Int64? = nil, reason: String, connector: String, nowMicros now: Int64,
                      _ transaction: LedgerTransaction) throws -> TransferID {
        let amountMinor = amountMinor ?? funding.escrowMinor
        let stores = transaction.stores
        guard let paid = try ConnectorCall.settled(funding.taskID, kind: .checkout, stores),
              let payment = paid.paymentReference else {
            throw MarketplaceError.internalError("card-funded task \(funding.taskID) has no paid checkout")
        }
        let intentKey = "refund:\(funding.taskID)"
        let clearing = try transaction.account(chart.clearing(connector: connector, mode: try Self.mode(ofTask: funding.taskID, stores), asset: funding.asset)!)
        let intent = try Operation.commit(key: intentKey, in: transaction, nowMicros: now) { first in
            PostingRecipes.refundIntent(id: first, escrow: funding.escrowAccountID, clearing: clearing, amountMinor: amountMinor,
                                        asset: funding.asset, metadata: #"{"task":"\#(funding.taskID)","reason":"\#(reason)"}"#)
        }
        let request = ConnectorCall.Request(amountMinor: amountMinor, currency: funding.asset.code.lowercased(), asset: funding.asset.code,
                                            paymentReference: payment, userID: paid.request.userID)
        _ = try ConnectorCall.insert(connector: connector, kind: .refund, taskID: funding.taskID, intentKey: intentKey, request: request,
                                     nowMicros: now, stores)
        return intent.firstTransferID
    }

    /// Before a task closes: its open checkout is expired at the connector so it can no longer
    /// be paid, and its intent voided. A session that turns out paid funds the task first (the
    /// close then refunds it); one that cannot be reached stays, and a later payment of it is
    /// credited to the payer's wallet.
    func closeOpenCheckouts(of taskID: String) async throws(MarketplaceError) {
        guard let card else { return }
        let open = try store.read { stores in try stores.connectorCalls.forTask(taskID, kind: .checkout).filter { $0.state == .pending || $0.state == .sent } }
        for call in open {
            guard let reference = call.reference else {
                try await failCall(call, reason: "the task closed before its checkout opened")
                continue
            }
            let session: FundingSession
            do { session = try await card.connector.cancelFunding(reference) } catch {
                // Already complete (or expired): read it to learn which.
                guard let read = try? await card.connector.fundingSession(reference) else { continue }
                session = read
            }
            switch session.status {
            case .paid: _ = try await apply(.fundingSucceeded(session), eventID: nil, connector: card.connector.name)
            case .failed: _ = try await apply(.fundingFailed(session, reason: "canceled"), eventID: nil, connector: card.connector.name)
            case .open: continue
            }
        }
    }
}
