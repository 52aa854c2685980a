public import Foundation
import StripeConnector
import Synchronization

/// A Stripe for tests, speaking the wire format of the endpoints the connector uses:
/// form-encoded requests in, Stripe's JSON objects and error objects out, Idempotency-Key
/// replay (a different body under a used key is an `idempotency_error`), a clock of its own
/// for session expiry, signed webhook events, and a log of every request.
///
/// `handle` answers one request; `FakeStripeServer` puts it on loopback HTTP.
public final class FakeStripe: Sendable {
    public let secretKey: String
    public let webhookSecret: String
    private let state: Mutex<State>

    struct State {
        var now: Int64
        var counter = 0
        var sessions: [String: FakeSession] = [:]
        var paymentIntents: [String: FakePaymentIntent] = [:]
        var charges: [String: FakeCharge] = [:]
        var refunds: [String: FakeRefund] = [:]
        var transfers: [String: FakeTransfer] = [:]
        var balance: [FakeBalanceTransaction] = []
        var events: [FakeEvent] = []
        var idempotency: [String: Stored] = [:]
        var log: [LoggedRequest] = []
        var faults: [FakeFault] = []
        var deliveries: [Delivery] = []
        var refundStatus = "pending"
        var nullPendingRefundStatus = false
        var eventAPIVersion = StripeClient.apiVersion
        var livemode = false
        var accountsWithoutTransfers: Set<String> = []

        mutating func nextID(_ prefix: String) -> String {
            counter += 1
            return "\(prefix)_test_\(String(counter, radix: 36).leftPadded(to: 10))"
        }
    }

    struct Stored {
        var fingerprint: String
        var status: Int
        var body: [UInt8]
    }

    /// A webhook as delivered: the exact body and its Stripe-Signature header.
    public struct Delivery: Sendable {
        public var eventID: String
        public var eventType: String
        public var payload: [UInt8]
        public var header: String
    }

    public init(secretKey: String = "sk_test_fake_0123456789", webhookSecret: String = "whsec_fake_0123456789",
                nowSeconds: Int64 = Int64(Date().timeIntervalSince1970)) {
        self.secretKey = secretKey
        self.webhookSecret = webhookSecret
        state = Mutex(State(now: nowSeconds))
    }

    // MARK: - What tests read and steer

    public var requests: [LoggedRequest] { state.withLock { $0.log } }
    public var events: [FakeEvent] { state.withLock { $0.events } }
    public var deliveries: [Delivery] { state.withLock { $0.deliveries } }
    public var nowSeconds: Int64 { state.withLock { $0.now } }

    /// Requests to `path` (exact) with `method`, in order.
    public func requests(_ method: String, _ path: String) -> [LoggedRequest] {
        requests.filter { $0.method == method && $0.path == path }
    }

    public func inject(_ fault: FakeFault) { state.withLock { $0.faults.append(fault) } }

    /// The status new refunds get: "pending" (the default, settled by `settleRefund`) or "succeeded".
    public func setRefundStatus(_ status: String) { state.withLock { $0.refundStatus = status } }

    /// Pending refunds show `"status": null`, which Stripe's spec allows for a refund.
    public func showPendingRefundStatusAsNull(_ on: Bool = true) { state.withLock { $0.nullPendingRefundStatus = on } }

    /// Events are written in `version` from now on, as when the webhook endpoint was created
    /// with another API version than the connector pins.
    public func setEventAPIVersion(_ version: String) { state.withLock { $0.eventAPIVersion = version } }

    /// Events say `livemode: true` from now on (a live endpoint's secret shared with a test one).
    public func setLivemode(_ live: Bool) { state.withLock { $0.livemode = live } }

    /// Transfers to `account` are refused from now on, as Stripe refuses a connected account
    /// without the transfers capability (400, `insufficient_capabilities_for_transfer`).
    public func removeTransfersCapability(of account: String) { state.withLock { _ = $0.accountsWithoutTransfers.insert(account) } }

    /// The customer pays an open session. With `delayed`, the payment settles later
    /// (`settleDelayedPayment`), as a bank debit does. `discountMinor` is a promotion code the
    /// customer entered (amount_total drops by it); `presentedCurrency` and `presentedAmount`
    /// are Adaptive Pricing's local currency, in which the session is then paid.
    @discardableResult
    public func pay(_ sessionID: String, delayed: Bool = false, discountMinor: Int64 = 0, presentedCurrency: String? = nil,
                    presentedAmount: Int64? = nil) throws -> FakeEvent {
        try state.withLock { state in
            guard var session = state.sessions[sessionID], session.status == "open" else { throw FakeError.notOpen(sessionID) }
            session.amountTotal = presentedAmount ?? (session.amountTotal - discountMinor)
            if let presentedCurrency { session.currency = presentedCurrency }
            let intentID = state.nextID("pi")
            var intent = FakePaymentIntent(id: intentID, created: state.now, amount: session.amountTotal, currency: session.currency,
                                           status: delayed ? "processing" : "succeeded", latestCharge: nil, metadata: session.paymentIntentMetadata)
            if !delayed { Self.charge(&intent, in: &state) }
            state.paymentIntents[intentID] = intent
            session.status = "complete"
            session.paymentStatus = delayed ? "unpaid" : "paid"
            session.paymentIntent = intentID
            state.sessions[sessionID] = session
            return Self.emit("checkout.session.completed", session.json, in: &state)
        }
    }

    /// A delayed payment succeeds or fails.
    @discardableResult
    public func settleDelayedPayment(_ sessionID: String, succeeded: Bool) throws -> FakeEvent {
        try state.withLock { state in
            guard var session = state.sessions[sessionID], let intentID = session.paymentIntent, var intent = state.paymentIntents[intentID],
                  intent.status == "processing" else { throw FakeError.notOpen(sessionID) }
            if succeeded {
                Self.charge(&intent, in: &state)
                session.paymentStatus = "paid"
            } else {
                intent.status = "requires_payment_method"
            }
            state.paymentIntents[intentID] = intent
            state.sessions[sessionID] = session
            return Self.emit(succeeded ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed", session.json, in: &state)
        }
    }

    /// A pending refund succeeds (a `refund.updated` and a `charge.refunded`) or fails (a
    /// `refund.failed` and a `refund.updated`); returns the events in the order Stripe sends them.
    @discardableResult
    public func settleRefund(_ refundID: String, succeeded: Bool, reason: String = "expired_or_canceled_card") throws -> [FakeEvent] {
        try state.withLock { state in
            guard var refund = state.refunds[refundID], refund.status == "pending" else { throw FakeError.notPending(refundID) }
            if succeeded {
                return Self.succeed(&refund, in: &state)
            }
            refund.status = "failed"
            refund.failureReason = reason
            if var charge = state.charges[refund.charge] {
                charge.amountRefunded -= refund.amount
                state.charges[charge.id] = charge
            }
            state.refunds[refundID] = refund
            return [Self.emit("refund.failed", refund.json, in: &state), Self.emit("refund.updated", refund.json, in: &state)]
        }
    }

    /// Moves the clock on; open sessions past their expires_at expire, each with its event.
    @discardableResult
    public func advanceClock(by seconds: Int64) -> [FakeEvent] {
        state.withLock { state in
            state.now += seconds
            var emitted: [FakeEvent] = []
            for id in state.sessions.keys.sorted() where state.sessions[id]!.status == "open" && state.sessions[id]!.expiresAt <= state.now {
                state.sessions[id]!.status = "expired"
                emitted.append(Self.emit("checkout.session.expired", state.sessions[id]!.json, in: &state))
            }
            return emitted
        }
    }

    /// The session's current payment intent, once paid.
    public func session(_ id: String) -> (status: String, paymentStatus: String, paymentIntent: String?)? {
        state.withLock { state in state.sessions[id].map { ($0.status, $0.paymentStatus, $0.paymentIntent) } }
    }

    // MARK: - Breaks a reconciliation must find (what a processor's books can disagree on)

    /// Forgets the balance transaction of `sourceID` (a refund, a charge, a transfer), as if the processor never booked it.
    public func dropBalanceTransaction(of sourceID: String) {
        state.withLock { $0.balance.removeAll { $0.source == sourceID } }
    }

    /// Books the charge of `sourceID` a second time under a new id (a doubled charge).
    public func duplicateBalanceTransaction(of sourceID: String) {
        state.withLock { state in
            guard var copy = state.balance.first(where: { $0.source == sourceID }) else { return }
            copy.id = state.nextID("txn")
            state.balance.append(copy)
        }
    }

    /// Changes the amount Stripe booked for `sourceID` by `delta` minor units.
    public func shiftBalanceTransaction(of sourceID: String, by delta: Int64) {
        state.withLock { state in
            guard let index = state.balance.firstIndex(where: { $0.source == sourceID }) else { return }
            state.balance[index].amount += delta
        }
    }

    /// A transfer the platform never asked for (made from the dashboard, say): the ledger has not seen it.
    @discardableResult
    public func bookUnknownTransfer(amount: Int64, currency: String = "usd", destination: String) -> String {
        state.withLock { state in
            let id = state.nextID("tr")
            let txn = Self.balance("transfer", amount: -amount, fee: 0, currency: currency, source: id, in: &state)
            state.transfers[id] = FakeTransfer(id: id, created: state.now, amount: amount, currency: currency, destination: destination,
                                               transferGroup: nil, sourceTransaction: nil, metadata: [:], balanceTransaction: txn)
            return id
        }
    }

    /// A balance transaction of `type` the platform's own requests never make (a payout to the
    /// bank, an application fee, a currency-conversion fee, tax on fees), booked now.
    @discardableResult
    public func bookBalanceTransaction(type: String, amount: Int64, fee: Int64 = 0, currency: String = "usd") -> String {
        state.withLock { state in
            let source = state.nextID(type == "payout" ? "po" : type.hasPrefix("application_fee") ? "fee" : "txs")
            return Self.balance(type, amount: amount, fee: fee, currency: currency, source: source, in: &state)
        }
    }

    /// The charge that paid a session, once paid.
    public func chargeID(ofSession sessionID: String) -> String? {
        state.withLock { state in
            state.sessions[sessionID]?.paymentIntent.flatMap { state.paymentIntents[$0]?.latestCharge }
        }
    }

    public func refundIDs() -> [String] { state.withLock { $0.refunds.keys.sorted() } }

    public func transfer(_ id: String) -> (amount: Int64, reversed: Int64, destination: String, source: String?)? {
        state.withLock { state in state.transfers[id].map { ($0.amount, $0.amountReversed, $0.destination, $0.sourceTransaction) } }
    }

    /// Signs `event` as a delivery at `timestamp` (now by default) and records it.
    public func delivery(of event: FakeEvent, timestamp: Int64 = Int64(Date().timeIntervalSince1970)) -> Delivery {
        let delivery = Delivery(eventID: event.id, eventType: event.type, payload: event.payload,
                                header: StripeWebhookVerifier.header(payload: event.payload, secret: webhookSecret, timestamp: timestamp))
        state.withLock { $0.deliveries.append(delivery) }
        return delivery
    }

    /// Every delivery so far as `{"secret", "deliveries": [{payload, header, event_id, event_type}]}`,
    /// for the check that the official stripe package accepts the fake's signatures.
    public func deliveriesJSON() -> [UInt8] {
        JSONValue.object([
            .init("secret", .string(webhookSecret)),
            .init("deliveries", .array(deliveries.map { delivery in
                .object([.init("payload", .string(String(decoding: delivery.payload, as: UTF8.self))), .init("header", .string(delivery.header)),
                         .init("event_id", .string(delivery.eventID)), .init("event_type", .string(delivery.eventType))])
            })),
        ]).bytes
    }

    public enum FakeError: Error {
        case notOpen(String)
        case notPending(String)
    }

    // MARK: - Shared steps

    static func charge(_ intent: inout FakePaymentIntent, in state: inout State) {
        let chargeID = state.nextID("ch")
        let fee = (intent.amount * 29 + 500) / 1_000 + 30  // 2.9 % rounded half up, plus 30 cents
        let txn = balance("charge", amount: intent.amount, fee: fee, currency: intent.currency, source: chargeID, in: &state)
        state.charges[chargeID] = FakeCharge(id: chargeID, created: state.now, amount: intent.amount, currency: intent.currency,
                                             paymentIntent: intent.id, balanceTransaction: txn)
        intent.status = "succeeded"
        intent.latestCharge = chargeID
    }

    static func succeed(_ refund: inout FakeRefund, in state: inout State) -> [FakeEvent] {
        refund.status = "succeeded"
        refund.balanceTransaction = balance("refund", amount: -refund.amount, fee: 0, currency: refund.currency, source: refund.id, in: &state)
        state.refunds[refund.id] = refund
        let updated = emit("refund.updated", refund.json, in: &state)
        guard let charge = state.charges[refund.charge] else { return [updated] }
        _ = refund
        // The pinned API version's Charge: since 2022-11-15 `refunds` is not included (only when
        // expanded, which an event never is), so charge.refunded does not say which refund.
        let chargeJSON = JSONValue.object([
            .init("id", .string(charge.id)), .init("object", .string("charge")), .init("amount", .int(charge.amount)),
            .init("amount_refunded", .int(charge.amountRefunded)), .init("balance_transaction", .string(charge.balanceTransaction)),
            .init("currency", .string(charge.currency)), .init("livemode", .bool(state.livemode)),
            .init("payment_intent", .string(charge.paymentIntent)), .init("refunded", .bool(charge.amountRefunded == charge.amount)),
        ])
        return [updated, emit("charge.refunded", chargeJSON, in: &state)]
    }

    static func balance(_ type: String, amount: Int64, fee: Int64, currency: String, source: String, in state: inout State) -> String {
        let id = state.nextID("txn")
        state.balance.append(FakeBalanceTransaction(id: id, created: state.now, amount: amount, currency: currency, fee: fee, type: type,
                                                    source: source))
        return id
    }

    @discardableResult
    static func emit(_ type: String, _ object: JSONValue, in state: inout State) -> FakeEvent {
        let id = state.nextID("evt")
        let payload = JSONValue.object([
            .init("id", .string(id)), .init("object", .string("event")), .init("api_version", .string(state.eventAPIVersion)),
            .init("created", .int(state.now)), .init("data", .object([.init("object", object)])), .init("livemode", .bool(state.livemode)),
            .init("pending_webhooks", .int(1)), .init("request", .object([.init("id", .null), .init("idempotency_key", .null)])),
            .init("type", .string(type)),
        ]).bytes
        let event = FakeEvent(id: id, type: type, created: state.now, payload: payload)
        state.events.append(event)
        return event
    }

    // MARK: - Requests

    /// Answers one HTTP request as Stripe would: (status, headers, body).
    public func handle(method: String, target: String, headers: [String: String], body: [UInt8]) -> (Int, [(String, String)], [UInt8]) {
        let (path, query) = target.split(separator: "?", maxSplits: 1).map(String.init).splitFirst
        let text = String(decoding: body, as: UTF8.self)
        let pairs = FormEncoding.decode(method == "GET" ? query : text) ?? []
        var params: [String: String] = [:]
        for (key, value) in pairs { params[key] = value }
        let key = headers["idempotency-key"]
        let version = headers["stripe-version"]
        return state.withLock { state in
            var log = LoggedRequest(method: method, path: path, params: params, idempotencyKey: key, stripeVersion: version, replayed: false, status: 0)
            defer { state.log.append(log) }
            var responseHeaders: [(String, String)] = [("Content-Type", "application/json"), ("Request-Id", "req_\(state.counter)")]
            func answer(_ status: Int, _ body: [UInt8]) -> (Int, [(String, String)], [UInt8]) {
                log.status = status
                return (status, responseHeaders, body)
            }
            guard headers["authorization"] == "Bearer \(secretKey)" else {
                return answer(401, Self.error("invalid_request_error", code: nil, "Invalid API Key provided", param: nil))
            }
            let fingerprint = "\(method) \(path) \(text)"
            if method == "POST", let key, let stored = state.idempotency[key] {
                guard stored.fingerprint == fingerprint else {
                    return answer(400, Self.error("idempotency_error", code: nil, "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '\(key)' if you meant to execute a different request.", param: nil))
                }
                log.replayed = true
                responseHeaders.append(("Idempotent-Replayed", "true"))
                return answer(stored.status, stored.body)
            }
            var fault: FakeFault?
            if let index = state.faults.firstIndex(where: { $0.method == method && path.hasPrefix($0.pathPrefix) && $0.remaining > 0 }) {
                state.faults[index].remaining -= 1
                fault = state.faults[index]
            }
            if let fault, !fault.afterProcessing {
                if let retry = fault.shouldRetry { responseHeaders.append(("Stripe-Should-Retry", retry ? "true" : "false")) }
                return answer(fault.status, fault.body ?? Self.error(fault.type, code: fault.code, "injected failure", param: nil))
            }
            let (status, responseBody) = Self.route(method: method, path: path, params: params, pairs: pairs, in: &state)
            if method == "POST", let key, status == 200 || status >= 500 {  // a request that failed validation is not stored
                state.idempotency[key] = Stored(fingerprint: fingerprint, status: status, body: responseBody)
            }
            if let fault {
                if let retry = fault.shouldRetry { responseHeaders.append(("Stripe-Should-Retry", retry ? "true" : "false")) }
                return answer(fault.status, Self.error(fault.type, code: fault.code, "injected failure after the work was done", param: nil))
            }
            return answer(status, responseBody)
        }
    }

    static func error(_ type: String, code: String?, _ message: String, param: String?) -> [UInt8] {
        var members: [JSONValue.Member] = []
        if let code { members.append(.init("code", .string(code))) }
        members.append(.init("message", .string(message)))
        if let param { members.append(.init("param", .string(param))) }
        members.append(.init("type", .string(type)))
        return JSONValue.object([.init("error", .object(members))]).bytes
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension Array where Element == String {
    var splitFirst: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
