public import AsyncHTTPClient
public import Connectors
import Foundation
public import Logging

/// The PaymentConnector for Stripe: Checkout Sessions for funding, refunds of their payment
/// intents, Connect transfers for payouts, balance transactions for statements, and
/// verified webhook events.
public struct StripeConnector: PaymentConnector {
    public let name = "stripe"
    /// An sk_test_ or rk_test_ key: Stripe's test mode, where no real card is charged.
    public let isTestMode: Bool
    public let client: StripeClient
    private let verifier: StripeWebhookVerifier

    /// `webhookSecrets`: every endpoint secret in use (more than one while rotating).
    public init(secretKey: String, webhookSecrets: [String], baseURL: String = "https://api.stripe.com", http: HTTPClient = .shared,
                retry: StripeClient.RetryPolicy = .standard, timeout: Duration = .seconds(30), logger: Logger = Logger(label: "stripe")) {
        isTestMode = secretKey.hasPrefix("sk_test_") || secretKey.hasPrefix("rk_test_")
        client = StripeClient(secretKey: secretKey, baseURL: baseURL, http: http, retry: retry, timeout: timeout, logger: logger)
        verifier = StripeWebhookVerifier(secrets: webhookSecrets)
    }

    public func startFunding(_ request: FundingRequest) async throws(ConnectorError) -> FundingSession {
        let fields: [(String, FormValue)] = [
            ("mode", .string("payment")),
            ("line_items", .list([.object([
                ("price_data", .object([
                    ("currency", .string(request.currency)),
                    ("unit_amount", .int(request.amountMinor)),
                    ("product_data", .object([("name", .string(request.productName))])),
                ])),
                ("quantity", .string("1")),
            ])])),
            ("success_url", .string(request.successURL)),
            ("cancel_url", .string(request.cancelURL)),
            ("client_reference_id", .string(request.reference)),
            ("metadata", .map(request.metadata)),
            ("payment_intent_data", .object([("metadata", .map(request.metadata))])),
            ("expires_at", .int(request.expiresAtSeconds)),
        ]
        let session: Stripe.CheckoutSession = try await client.post("/v1/checkout/sessions", fields, idempotencyKey: request.idempotencyKey)
        return Self.funding(session)
    }

    public func fundingSession(_ reference: String) async throws(ConnectorError) -> FundingSession {
        Self.funding(try await client.get("/v1/checkout/sessions/\(FormEncoding.escape(reference))", as: Stripe.CheckoutSession.self))
    }

    public func cancelFunding(_ reference: String) async throws(ConnectorError) -> FundingSession {
        let session: Stripe.CheckoutSession = try await client.post("/v1/checkout/sessions/\(FormEncoding.escape(reference))/expire", [],
                                                                    idempotencyKey: "expire:\(reference)")
        return Self.funding(session)
    }

    /// The charge behind a payment intent (`ch_…`), which a transfer names as its source.
    public func charge(ofPayment paymentReference: String) async throws(ConnectorError) -> String? {
        try await client.get("/v1/payment_intents/\(FormEncoding.escape(paymentReference))", as: Stripe.PaymentIntent.self).latest_charge
    }

    public func refund(_ request: RefundRequest) async throws(ConnectorError) -> RefundResult {
        let refund: Stripe.Refund = try await client.post("/v1/refunds", [
            ("payment_intent", .string(request.paymentReference)),
            ("amount", .int(request.amountMinor)),
            ("metadata", .map(request.metadata)),
        ], idempotencyKey: request.idempotencyKey)
        return RefundResult(id: refund.id, status: Self.settlement(ofRefund: refund.status), amountMinor: refund.amount)
    }

    public func payOut(_ request: PayoutRequest) async throws(ConnectorError) -> PayoutResult {
        var fields: [(String, FormValue)] = [
            ("amount", .int(request.amountMinor)),
            ("currency", .string(request.currency)),
            ("destination", .string(request.destination)),
            ("transfer_group", .string(request.group)),
        ]
        // source_transaction takes the charge (ch_…), not the payment intent: read it when given one.
        var source = request.paymentReference
        if let payment = source, payment.hasPrefix("pi_") { source = try await charge(ofPayment: payment) }
        if let source { fields.append(("source_transaction", .string(source))) }
        fields.append(("metadata", .map(request.metadata)))
        let transfer: Stripe.Transfer = try await client.post("/v1/transfers", fields, idempotencyKey: request.idempotencyKey)
        return PayoutResult(id: transfer.id, amountMinor: transfer.amount)
    }

    public func reversePayout(_ payoutID: String, amountMinor: Int64?, idempotencyKey: String) async throws(ConnectorError) -> PayoutReversal {
        let fields: [(String, FormValue)] = amountMinor.map { [("amount", .int($0))] } ?? []
        let reversal: Stripe.TransferReversal = try await client.post("/v1/transfers/\(FormEncoding.escape(payoutID))/reversals", fields,
                                                                      idempotencyKey: idempotencyKey)
        return PayoutReversal(id: reversal.id, payoutID: reversal.transfer, amountMinor: reversal.amount)
    }

    /// Every balance transaction created in [start, end), oldest first, paging 100 at a time.
    public func statement(from startSeconds: Int64, to endSeconds: Int64) async throws(ConnectorError) -> [StatementLine] {
        var lines: [StatementLine] = []
        var after: String?
        repeat {
            var query: [(String, FormValue)] = [
                ("limit", .string("100")),
                ("created", .object([("gte", .int(startSeconds)), ("lt", .int(endSeconds))])),
                ("expand", .list([.string("data.source")])),
            ]
            if let after { query.append(("starting_after", .string(after))) }
            let page: Stripe.List<Stripe.BalanceTransaction> = try await client.get("/v1/balance_transactions", query: query)
            lines += page.data.map(Self.line)
            after = page.has_more ? page.data.last?.id : nil
        } while after != nil
        return lines.sorted { ($0.createdSeconds, $0.id) < ($1.createdSeconds, $1.id) }
    }

    public func event(payload: [UInt8], signature: String?, nowSeconds: Int64) throws(ConnectorError) -> ConnectorEvent {
        do { try verifier.verify(payload: payload, header: signature, nowSeconds: nowSeconds) } catch {
            throw .invalidSignature(error.description)
        }
        return try Self.read(payload)
    }

    // MARK: - Reading Stripe's objects

    /// Reads a verified event's payload into what it means for the marketplace.
    static func read(_ payload: [UInt8]) throws(ConnectorError) -> ConnectorEvent {
        let data = Data(payload)
        let decoder = JSONDecoder()
        let event: Stripe.Event
        do { event = try decoder.decode(Stripe.Event.self, from: data) } catch { throw .invalidEvent("the event does not read: \(error)") }
        guard event.object == "event" else { throw .invalidEvent("the payload is a \(event.object), not an event") }
        func object<Object: Decodable & Sendable>(_ type: Object.Type) throws(ConnectorError) -> Object {
            do { return try decoder.decode(Stripe.TypedEvent<Object>.self, from: data).data.object } catch {
                throw .invalidEvent("\(event.type)'s data.object does not read: \(error)")
            }
        }
        let kind: ConnectorEvent.Kind
        switch event.type {
        case "checkout.session.completed":
            let session = funding(try object(Stripe.CheckoutSession.self))
            kind = session.status == .paid ? .fundingSucceeded(session) : .fundingPending(session)
        case "checkout.session.async_payment_succeeded":
            var session = funding(try object(Stripe.CheckoutSession.self))
            session.status = .paid
            kind = .fundingSucceeded(session)
        case "checkout.session.async_payment_failed", "checkout.session.expired":
            var session = funding(try object(Stripe.CheckoutSession.self))
            session.status = .failed
            kind = .fundingFailed(session, reason: event.type == "checkout.session.expired" ? "expired" : "payment failed")
        case "refund.created", "refund.updated", "refund.failed", "charge.refund.updated":
            let refund = try object(Stripe.Refund.self)
            kind = refundKind(refund)
        case "charge.refunded":
            // Names its refunds when Stripe includes them; each is acted on by its own id.
            let charge = try object(Stripe.Charge.self)
            let settled = charge.refunds?.data.filter { settlement(ofRefund: $0.status) != .pending } ?? []
            kind = settled.count == 1 ? refundKind(settled[0]) : .ignored
        case "transfer.reversed":
            let transfer = try object(Stripe.Transfer.self)
            kind = .payoutReversed(payoutID: transfer.id, reversedMinor: transfer.amount_reversed ?? transfer.amount,
                                   metadata: transfer.metadata ?? [:])
        default:
            kind = .ignored
        }
        return ConnectorEvent(id: event.id, type: event.type, createdSeconds: event.created, isLive: event.livemode, kind: kind)
    }

    private static func refundKind(_ refund: Stripe.Refund) -> ConnectorEvent.Kind {
        switch settlement(ofRefund: refund.status) {
        case .succeeded: .refundSucceeded(refundID: refund.id, metadata: refund.metadata ?? [:])
        case .failed: .refundFailed(refundID: refund.id, reason: refund.failure_reason ?? refund.status, metadata: refund.metadata ?? [:])
        case .pending: .ignored
        }
    }

    static func settlement(ofRefund status: String) -> Settlement {
        switch status {
        case "succeeded": .succeeded
        case "failed", "canceled": .failed
        default: .pending
        }
    }

    static func funding(_ session: Stripe.CheckoutSession) -> FundingSession {
        let status: FundingSession.Status = switch (session.status, session.payment_status) {
        case (_, "paid"), (_, "no_payment_required"): .paid
        case ("expired", _): .failed
        default: .open
        }
        return FundingSession(id: session.id, url: session.url, status: status, paymentReference: session.payment_intent,
                              amountMinor: session.amount_total ?? 0, currency: session.currency ?? "", metadata: session.metadata ?? [:])
    }

    static func line(_ transaction: Stripe.BalanceTransaction) -> StatementLine {
        let kind: StatementLine.Kind = switch transaction.type {
        case "charge", "payment": .charge
        case "refund", "payment_refund", "refund_failure", "payment_failure_refund": .refund
        case "transfer": .transfer
        case "transfer_refund", "transfer_cancel", "transfer_failure": .transferReversal
        case "stripe_fee", "application_fee": .processorFee
        default: .other
        }
        return StatementLine(id: transaction.id, kind: kind, amountMinor: transaction.amount, feeMinor: transaction.fee,
                             currency: transaction.currency, source: transaction.source?.id, createdSeconds: transaction.created,
                             related: [transaction.source?.paymentIntent, transaction.source?.charge, transaction.source?.transfer].compactMap { $0 })
    }
}
