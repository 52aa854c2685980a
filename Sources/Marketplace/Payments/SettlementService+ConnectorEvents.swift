public import Connectors
import Foundation
import LedgerCore
import Logging

/// What came of one connector event.
public enum ConnectorEventOutcome: String, Sendable {
    /// It moved the money or the state it names.
    case applied
    /// Its id was seen before: nothing done again.
    case duplicate
    /// Verified, but nothing to do (a type we do not act on, or a state already reached).
    case ignored
    /// About a session, refund or payout this marketplace does not know.
    case unmatched
    /// Verified, but it does not agree with what we asked (a funding whose amount, currency or
    /// mode is not its intent's): recorded with why, logged, listed by reconciliation, never posted.
    case refused
}

extension SettlementService {
    /// Verifies and acts on one connector event, once per event id. Anything that does not
    /// verify is a validation error and writes nothing.
    public func receiveEvent(from connectorName: String, payload: [UInt8], signature: String?) async throws(MarketplaceError) -> ConnectorEventOutcome {
        guard let card, card.connector.name == connectorName else { throw .notFound("no \(connectorName) connector is configured") }
        let event: ConnectorEvent
        do {
            event = try card.connector.event(payload: payload, signature: signature, nowSeconds: clock.nowMicros() / 1_000_000)
        } catch {
            switch error {
            case .invalidSignature(let message): throw .validation(field: card.connector.signatureHeader, message: message)
            default: throw .validation(field: "body", message: "\(error)")
            }
        }
        // An event of the other mode (a live endpoint's secret on a test deployment, or the
        // reverse) moves nothing here, whatever it says.
        if event.isLive != (card.mode == .live) {
            let detail = "the event is \(event.isLive ? "live" : "test") mode; this \(connectorName) connector takes \(card.mode.rawValue) mode only"
            return try await refuse(eventID: event.id, type: event.type, connector: connectorName, detail: detail)
        }
        if case .refundsChanged(let payment, let charge) = event.kind {
            return try await refundsChanged(payment: payment, charge: charge, eventID: event.id, type: event.type, card)
        }
        return try await apply(event.kind, eventID: event.id, type: event.type, connector: connectorName, isLive: event.isLive)
    }

    /// The header `connector`'s notifications are signed in; nil when no such connector runs here.
    public func signatureHeader(of connector: String) -> String? {
        card.flatMap { $0.connector.name == connector ? $0.connector.signatureHeader : nil }
    }

    /// Records a refused event (once per id) and logs why.
    private func refuse(eventID: String, type: String, connector: String, detail: String) async throws(MarketplaceError) -> ConnectorEventOutcome {
        let now = clock.nowMicros()
        let inserted = try await store.write { stores -> Bool in
            try stores.connectorEvents.recordRefused(connector: connector, eventID: eventID, type: type, detail: detail, nowMicros: now)
        }
        guard inserted else { return .duplicate }
        logger.error("connector event refused; nothing posted", metadata: ["event": "\(eventID)", "type": "\(type)", "connector": "\(connector)", "reason": "\(detail)"])
        return .refused
    }

    /// `charge.refunded` names the charge only: every open refund of its payment is read
    /// again by id and settled by what it says; the event is recorded once they all answered
    /// (a read that fails answers 503, so the processor delivers the event again).
    private func refundsChanged(payment: String?, charge: String, eventID: String, type: String,
                                _ card: CardPayments) async throws(MarketplaceError) -> ConnectorEventOutcome {
        let connector = card.connector.name
        let seen = try store.read { stores in try stores.connectorEvents.contains(connector: connector, eventID: eventID) }
        guard !seen else { return .duplicate }
        let (open, known) = try store.read { stores in
            let open = try stores.connectorCalls.open(kind: .refund, connector: connector)
                .filter { $0.reference != nil && $0.request.paymentReference != nil && $0.request.paymentReference == payment }
            // A payment this marketplace refunded before (those refunds already settled) is known.
            let known = try payment.map { payment in try stores.connectorCalls.refundsExist(connector: connector, paymentReference: payment) } ?? false
            return (open, known)
        }
        var outcome = known ? ConnectorEventOutcome.ignored : .unmatched
        for call in open {
            if try await refreshRefund(call, card) { outcome = .applied }
        }
        let now = clock.nowMicros()
        let recorded = outcome
        try await store.write { stores in
            try stores.connectorEvents.record(connector: connector, eventID: eventID, type: type, outcome: recorded, detail: "charge \(charge)", nowMicros: now)
        }
        return recorded
    }

    /// Reads a sent refund again and settles it by what the connector says; true when it moved.
    @discardableResult
    func refreshRefund(_ call: ConnectorCall, _ card: CardPayments) async throws(MarketplaceError) -> Bool {
        guard let reference = call.reference else { return false }
        let result: RefundResult
        do { result = try await card.connector.refundStatus(reference) } catch {
            await noteFailure(of: call, error, doing: "reading refund \(reference)")
            throw error.isIndefinite ? .connectorUnavailable("refund \(reference) could not be read: \(error)") : Self.refusal(error)
        }
        await noteAnswered(call)
        let kind: ConnectorEvent.Kind = switch result.status {
        case .succeeded: .refundSucceeded(refundID: result.id, metadata: [:])
        case .failed: .refundFailed(refundID: result.id, reason: result.failureReason ?? "failed", metadata: [:])
        case .pending: .ignored
        }
        return try await apply(kind, eventID: nil, connector: card.connector.name) == .applied
    }

    /// Acts on what a connector said, in one commit with the record of the event (when it has
    /// an id), so a second delivery finds it and does nothing. `isLive`: the event's livemode.
    func apply(_ kind: ConnectorEvent.Kind, eventID: String?, type: String = "", connector: String,
               isLive: Bool? = nil) async throws(MarketplaceError) -> ConnectorEventOutcome {
        let now = clock.nowMicros()
        let (outcome, refusal) = try await store.transaction { transaction -> (ConnectorEventOutcome, (String, Int64)?) in
            let events = transaction.stores.connectorEvents
            if let eventID {
                guard try events.receive(connector: connector, eventID: eventID, type: type, nowMicros: now) else { return (.duplicate, nil) }
            }
            var refusal: (String, Int64)?
            let outcome = try self.effect(of: kind, connector: connector, isLive: isLive, nowMicros: now, refusal: &refusal, transaction)
            if let eventID {
                try events.settle(connector: connector, eventID: eventID, outcome: outcome, detail: refusal?.0)
            }
            return (outcome, refusal)
        }
        if let (detail, call) = refusal {
            logger.error("connector event refused; nothing posted", metadata: ["event": "\(eventID ?? "a re-read")", "type": "\(type)", "connector": "\(connector)",
                                                                                "call": "\(call)", "reason": "\(detail)"])
        }
        return outcome
    }

    /// Why a paid session is not the funding its intent asked for: another amount (a promotion
    /// code), another currency (presented in the payer's own), or another mode; nil when it is.
    private func fundingMismatch(_ call: ConnectorCall, _ session: FundingSession, isLive: Bool?, _ stores: Stores) throws -> String? {
        let request = call.request
        var problems: [String] = []
        if session.amountMinor != request.amountMinor {
            problems.append("amount \(session.amountMinor) differs from the intent's \(request.amountMinor) (minor units)")
        }
        if session.currency.lowercased() != request.currency.lowercased() {
            problems.append("currency \(session.currency) differs from the intent's \(request.currency)")
        }
        let live = try Self.mode(ofTask: call.taskID, stores) == .live
        if let stated = [isLive, session.isLive].compactMap({ $0 }).first(where: { $0 != live }) {
            problems.append("it is \(stated ? "live" : "test") mode, the task \(live ? "live" : "test") mode")
        }
        return problems.isEmpty ? nil : "session \(session.id): " + problems.joined(separator: "; ")
    }

    private func effect(of kind: ConnectorEvent.Kind, connector: String, isLive: Bool?, nowMicros now: Int64, refusal: inout (String, Int64)?,
                        _ transaction: LedgerTransaction) throws -> ConnectorEventOutcome {
        let stores = transaction.stores
        switch kind {
        case .fundingSucceeded(let session):
            guard let call = try checkoutCall(for: session, connector: connector, stores) else { return .unmatched }
            if let mismatch = try fundingMismatch(call, session, isLive: isLive, stores) {
                // Never posted: the intent is voided (the task can be funded again) and the
                // money the processor holds for it is a reconciliation break until support acts.
                if call.state == .pending || call.state == .sent {
                    try void(call, reason: "\(Self.refusedPrefix) \(mismatch)", nowMicros: now, transaction)
                }
                refusal = (mismatch, call.id)
                return .refused
            }
            switch call.state {
            case .settled: return .ignored
            case .failed:
                try creditLatePayment(call, session: session, connector: connector, nowMicros: now, transaction)
                return .applied
            case .pending, .sent:
                let fundable = try stores.tasks.fetch(call.taskID)?.status.isFundable ?? false
                if try Self.committedFunding(of: call.taskID, stores) != nil || !fundable {
                    // Funded another way, or closed, while the checkout was open: this payment is the payer's money.
                    try void(call, reason: fundable ? "the task was funded another way" : "the task closed first", nowMicros: now, transaction)
                    try creditLatePayment(call, session: session, connector: connector, nowMicros: now, transaction)
                    return .applied
                }
                try post(call, session: session, nowMicros: now, transaction)
                return .applied
            }
        case .fundingFailed(let session, let reason):
            guard let call = try checkoutCall(for: session, connector: connector, stores) else { return .unmatched }
            guard call.state == .pending || call.state == .sent else { return .ignored }
            try void(call, reason: reason, nowMicros: now, transaction)
            return .applied
        case .fundingPending(let session):
            return try checkoutCall(for: session, connector: connector, stores) == nil ? .unmatched : .ignored
        case .refundSucceeded(let refundID, _):
            guard let call = try stores.connectorCalls.fetch(connector: connector, reference: refundID), call.kind == .refund else { return .unmatched }
            guard call.state == .pending || call.state == .sent else { return .ignored }
            try postRefund(call, nowMicros: now, transaction)
            return .applied
        case .refundFailed(let refundID, let reason, _):
            guard let call = try stores.connectorCalls.fetch(connector: connector, reference: refundID), call.kind == .refund else { return .unmatched }
            guard call.state == .pending || call.state == .sent else { return .ignored }
            try failRefund(call, reason: reason, nowMicros: now, transaction)
            return .applied
        case .payoutReversed(let transfer, let reversedMinor, _):
            return try reverse(transfer: transfer, cumulativeMinor: reversedMinor, connector: connector, nowMicros: now, transaction)
        case .refundsChanged:
            return .ignored  // read by id first (refundsChanged), never applied as it is
        case .ignored:
            return .ignored
        }
    }

    /// The checkout call a session belongs to: by the session id once recorded, else by the
    /// call id the session carries (an event can beat the record of the connector's answer).
    private func checkoutCall(for session: FundingSession, connector: String, _ stores: Stores) throws -> ConnectorCall? {
        if let call = try stores.connectorCalls.fetch(connector: connector, reference: session.id) { return call.kind == .checkout ? call : nil }
        guard let id = session.metadata["call_id"].flatMap(Int64.init), let call = try stores.connectorCalls.fetch(id: id),
              call.kind == .checkout, call.connector == connector, call.intentKey == session.metadata["intent_key"] else { return nil }
        return call
    }

    /// The error text that marks a call whose funding event was refused.
    static let refusedPrefix = "refused:"

    /// Posts a paid checkout's intent: the task is funded (as `fund:<task>`, like every funding).
    private func post(_ call: ConnectorCall, session: FundingSession, nowMicros now: Int64, _ transaction: LedgerTransaction) throws {
        let stores = transaction.stores
        guard let intent = try Operation.find(key: call.intentKey, in: stores), let asset = Asset.named(call.request.asset) else {
            throw MarketplaceError.internalError("checkout \(call.id) has no recorded intent")
        }
        let request = call.request
        let split = try request.split()
        _ = try Operation.commit(key: "fund:\(call.taskID)", in: transaction, nowMicros: now) { first in
            PostingRecipes.fundIntentSucceeded(id: first, intent: intent.firstTransferID,
                                               metadata: #"{"task":"\#(call.taskID)","session":"\#(session.id)"\#(Self.paymentField(session))}"#)
        }
        let escrow = try transaction.account(chart.escrow(task: call.taskID, mode: try Self.mode(ofTask: call.taskID, stores), asset: asset))
        let funding = TaskFunding(taskID: call.taskID, escrowAccountID: escrow, asset: asset, split: split, feeRule: request.feeRule ?? pricing.version,
                                  source: .card)
        try funding.insert(fundedAt: now, keyID: nil, stores)
        if let task = try stores.tasks.fetch(call.taskID) {
            try Outbox.emit(.taskFunded, to: [task.ownerID], mode: task.mode, task: task, data: Outbox.funded(funding), nowMicros: now, stores)
        }
        _ = try call.move(to: .settled, from: [.pending, .sent], reference: session.id, paymentReference: session.paymentReference, nowMicros: now, stores)
        if let owner = request.userID, let task = try stores.tasks.fetch(call.taskID) {
            try Notification.add(.taskFunded, for: owner, mode: task.mode, task: call.taskID, "\"\(task.spec.title)\" is funded by card", nowMicros: now, stores)
        }
    }

    /// Money paid for a checkout that no longer funds anything (expired first, or the task was
    /// funded or closed meanwhile): it is the payer's, credited to their wallet (recipe deposit).
    private func creditLatePayment(_ call: ConnectorCall, session: FundingSession, connector: String, nowMicros now: Int64,
                                   _ transaction: LedgerTransaction) throws {
        guard let owner = call.request.userID, let asset = Asset.named(call.request.asset), let task = try transaction.stores.tasks.fetch(call.taskID) else {
            throw MarketplaceError.internalError("checkout \(call.id) names no payer")
        }
        let key = "card-late:\(session.id)"
        guard try Operation.find(key: key, in: transaction.stores) == nil else { return }  // told by an event and a re-read: credited once
        let clearing = try transaction.account(chart.clearing(connector: connector, mode: task.mode.ledger, asset: asset)!)
        let wallet = try transaction.account(walletAccount(user: owner, mode: task.mode, asset))
        _ = try Operation.commit(key: key, in: transaction, nowMicros: now) { first in
            PostingRecipes.deposit(id: first, clearing: clearing, wallet: wallet, amountMinor: session.amountMinor, asset: asset,
                                   metadata: #"{"task":"\#(call.taskID)","session":"\#(session.id)"\#(Self.paymentField(session)),"late":true}"#)
        }
        try transaction.stores.connectorCalls.notePaymentReference(session.paymentReference, of: call.id)
        try Notification.add(.taskFunded, for: owner, mode: task.mode, task: call.taskID,
                             "A card payment for \"\(task.spec.title)\" arrived after its checkout closed; it is in your wallet", nowMicros: now, transaction.stores)
    }

    /// `,"payment_intent":"pi_…"` when the session's payment is known: what finance matches the
    /// processor's charge against.
    static func paymentField(_ session: FundingSession) -> String {
        session.paymentReference.map { #","payment_intent":"\#($0)""# } ?? ""
    }

    func postRefund(_ call: ConnectorCall, nowMicros now: Int64, _ transaction: LedgerTransaction) throws {
        guard let intent = try Operation.find(key: call.intentKey, in: transaction.stores) else { return }
        _ = try Operation.commit(key: "\(call.intentKey):post", in: transaction, nowMicros: now) { first in
            PostingRecipes.refundSucceeded(id: first, intent: intent.firstTransferID,
                                           metadata: #"{"task":"\#(call.taskID)","refund":"\#(call.reference ?? "")"}"#)
        }
        _ = try call.move(to: .settled, from: [.pending, .sent], nowMicros: now, transaction.stores)
    }

    /// A refund that failed: the money goes back to escrow and the owner is told; the task
    /// stays closed, its refund marked failed for support to resolve.
    func failRefund(_ call: ConnectorCall, reason: String, nowMicros now: Int64, _ transaction: LedgerTransaction) throws {
        try void(call, reason: "refund failed: \(reason)", nowMicros: now, transaction)
        if let owner = call.request.userID, let task = try transaction.stores.tasks.fetch(call.taskID) {
            try Notification.add(.refundFailed, for: owner, mode: task.mode, task: call.taskID,
                                 "The card refund for \"\(task.spec.title)\" failed (\(reason)); the money is held for you", nowMicros: now, transaction.stores)
        }
    }

    // MARK: - Sending and resuming calls

    /// Sends the calls not yet answered, oldest first, each with its recorded idempotency key:
    /// every one (at start and from the sweeper, after a stop or no definite answer), or only
    /// `taskID`'s (right after the commit that recorded them, so a request never waits on
    /// another task's stuck call). Failures stay for the next round.
    public func sendPendingCalls(task taskID: String? = nil) async {
        let now = clock.nowMicros()
        guard let pending = try? store.read({ stores in try stores.connectorCalls.pending(task: taskID, dueBy: taskID == nil ? now : nil) }) else { return }
        for call in pending {
            do {
                if let chain, call.connector == chain.chain.name {
                    // On a request's path (one task's calls) the node gets its bound; the chain loop does the rest.
                    if taskID != nil {
                        _ = try await beforeDeadline(Self.requestNodeDeadline(), "the transaction") { () async throws(MarketplaceError) -> String in
                            try await self.sendChainCall(call, chain)
                        }
                    } else {
                        _ = try await sendChainCall(call, chain)
                    }
                    await noteAnswered(call)
                    continue
                }
                guard let card, call.connector == card.connector.name else { continue }
                switch call.kind {
                case .checkout: _ = try await sendCheckout(call, card)
                case .refund: try await sendRefund(call, card)
                case .payout: try await sendPayout(call, card)
                case .authorization: continue
                }
                await noteAnswered(call)
            } catch {
                await noteFailure(of: call, error, doing: "sending the \(call.kind.rawValue)")
            }
        }
    }

    /// Re-reads what the connector may have settled without telling us: open checkouts, sent
    /// refunds, and recent payouts' transfers (for reversals no event reported).
    public func refreshOpenCalls() async -> Int {
        var changed = await refreshOpenCheckouts()
        changed += await refreshSentRefunds()
        changed += await refreshPayoutTransfers()
        return changed
    }

    /// Re-reads open checkouts from the connector, for events that are late or lost.
    public func refreshOpenCheckouts() async -> Int {
        guard let card else { return 0 }
        let now = clock.nowMicros()
        guard let open = try? store.read({ stores in try stores.connectorCalls.open(kind: .checkout, connector: card.connector.name) }) else { return 0 }
        var changed = 0
        for call in open where call.state == .sent && call.nextAttemptAt <= now {
            guard let reference = call.reference else { continue }
            let session: FundingSession
            do { session = try await card.connector.fundingSession(reference) } catch {
                await noteFailure(of: call, error, doing: "reading checkout \(reference)")
                continue
            }
            await noteAnswered(call)
            let kind: ConnectorEvent.Kind? = switch session.status {
            case .paid: .fundingSucceeded(session)
            case .failed: .fundingFailed(session, reason: "expired")
            case .open: nil
            }
            if let kind, (try? await apply(kind, eventID: nil, connector: card.connector.name)) == .applied { changed += 1 }
        }
        return changed
    }

    /// Re-reads sent refunds by id, for a refund that stays pending with no event (or whose
    /// events were lost): each settles by what the connector says.
    public func refreshSentRefunds() async -> Int {
        guard let card else { return 0 }
        let now = clock.nowMicros()
        guard let open = try? store.read({ stores in try stores.connectorCalls.open(kind: .refund, connector: card.connector.name) }) else { return 0 }
        var changed = 0
        for call in open where call.state == .sent && call.nextAttemptAt <= now {
            if (try? await refreshRefund(call, card)) == true { changed += 1 }
        }
        return changed
    }

    /// How far back settled payouts' transfers are read again, how many per round, and how
    /// often each.
    public static let payoutRereadDays: Int64 = 30
    public static let payoutRereadsPerRound = 20
    public static let payoutRereadSeconds: Int64 = 3_600

    /// Reads recent payouts' transfers again, least recently checked first (each at most once
    /// an hour), and credits any reversal that no event reported.
    public func refreshPayoutTransfers() async -> Int {
        guard let card else { return 0 }
        let now = clock.nowMicros()
        guard let due = try? store.read({ stores in
            try stores.connectorCalls.settledPayouts(connector: card.connector.name, since: now &- Self.payoutRereadDays &* 86_400_000_000,
                                                     checkedBefore: now &- Self.payoutRereadSeconds &* 1_000_000, limit: Self.payoutRereadsPerRound)
        }) else { return 0 }
        var changed = 0
        for call in due {
            guard let reference = call.reference else { continue }
            let transfer: PayoutResult
            do { transfer = try await card.connector.payoutStatus(reference) } catch {
                logger.warning("a payout's transfer could not be read again; it is read next round",
                               metadata: ["call": "\(call.id)", "transfer": "\(reference)", "error": "\(error)"])
                continue
            }
            _ = try? await store.write { stores in try stores.connectorCalls.markChecked(call.id, nowMicros: now) }
            if transfer.reversedMinor > call.reversedMinor,
               (try? await applyReversal(transfer: reference, cumulativeMinor: transfer.reversedMinor, connector: card.connector.name)) == .applied {
                changed += 1
            }
        }
        return changed
    }

    /// Asks the connector to refund a card-funded task's money and records its answer.
    func sendRefund(_ call: ConnectorCall, _ card: CardPayments) async throws(MarketplaceError) {
        guard let payment = call.request.paymentReference else {
            throw .internalError("refund \(call.id) names no payment")
        }
        crash(at: .afterIntent)
        let result: RefundResult
        do {
            result = try await card.connector.refund(RefundRequest(paymentReference: payment, amountMinor: call.request.amountMinor,
                                                                   metadata: ["task_id": call.taskID, "intent_key": call.intentKey, "call_id": String(call.id)],
                                                                   idempotencyKey: call.idempotencyKey))
        } catch {
            if error.isIndefinite { throw .connectorUnavailable("the refund is recorded and will be retried: \(error)") }
            let now = clock.nowMicros()
            try await store.transaction { transaction in
                guard let current = try transaction.stores.connectorCalls.fetch(id: call.id), current.state == .pending else { return }
                try self.failRefund(current, reason: "\(error)", nowMicros: now, transaction)
            }
            return
        }
        crash(at: .afterConnectorCall)
        let now = clock.nowMicros()
        try await store.transaction { transaction in
            let calls = transaction.stores.connectorCalls
            guard let current = try calls.fetch(id: call.id) else { return }
            if current.state == .pending { _ = try current.move(to: .sent, from: [.pending], reference: result.id, nowMicros: now, transaction.stores) }
            guard let sent = try calls.fetch(id: call.id), sent.state == .sent else { return }
            switch result.status {
            case .succeeded: try self.postRefund(sent, nowMicros: now, transaction)
            case .failed: try self.failRefund(sent, reason: "the refund failed", nowMicros: now, transaction)
            case .pending: break
            }
        }
    }
}
