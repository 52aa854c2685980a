public import AsyncHTTPClient
public import Connectors
import Foundation
import Synchronization
public import Logging

/// The PaymentConnector for Stripe: Checkout Sessions for funding, refunds of their payment
/// intents, Connect transfers for payouts, balance transactions for statements, and
/// verified webhook events.
public struct StripeConnector: PaymentConnector {
    public let name = "stripe"
    public let signatureHeader = "Stripe-Signature"
    /// An sk_test_ or rk_test_ key: Stripe's test mode, where no real card is charged.
    public let isTestMode: Bool
    public let client: StripeClient
    private let verifier: StripeWebhookVerifier
    private let logger: Logger
    /// API versions of events already warned about, so each is logged once per process.
    private let warnedVersions = VersionWarnings()

    /// `webhookSecrets`: every endpoint secret in use (more than one while rotating).
    public init(secretKey: String, webhookSecrets: [String], baseURL: String = "https://api.stripe.com", http: HTTPClient = .shared,
                retry: StripeClient.RetryPolicy = .standard, timeout: Duration = .seconds(30), logger: Logger = Logger(label: "stripe")) {
        isTestMode = secretKey.hasPrefix("sk_test_") || secretKey.hasPrefix("rk_test_")
        client = StripeClient(secretKey: secretKey, baseURL: baseURL, http: http, retry: retry, timeout: timeout, logger: logger)
        verifier = StripeWebhookVerifier(secrets: webhookSecrets)
        self.logger = logger
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

    public func refundStatus(_ refundID: String) async throws(ConnectorError) -> RefundResult {
        let refund = try await client.get("/v1/refunds/\(FormEncoding.escape(refundID))", as: Stripe.Refund.self)
        return RefundResult(id: refund.id, status: Self.settlement(ofRefund: refund.status), amountMinor: refund.amount,
                            failureReason: refund.failure_reason ?? (Self.settlement(ofRefund: refund.status) == .failed ? refund.status : nil))
    }

    public func payoutStatus(_ payoutID: String) async throws(ConnectorError) -> PayoutResult {
        let transfer = try await client.get("/v1/transfers/\(FormEncoding.escape(payoutID))", as: Stripe.Transfer.self)
        return PayoutResult(id: transfer.id, amountMinor: transfer.amount, reversedMinor: transfer.amount_reversed ?? 0)
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
        let event = try Self.read(payload)
        if let version = event.apiVersion, version != StripeClient.apiVersion, warnedVersions.first(version) {
            logger.warning("a Stripe event is written in another API version than the one this connector pins; create the webhook endpoint with the pinned version",
                           metadata: ["event": "\(event.id)", "event_api_version": "\(version)", "pinned": "\(StripeClient.apiVersion)"])
        }
        return event
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
            // Since 2022-11-15 a Charge no longer embeds its refunds: the event names the charge
            // only, and every refund of its payment is read again by id.
            let charge = try object(Stripe.Charge.self)
            kind = .refundsChanged(paymentReference: charge.payment_intent, chargeID: charge.id)
        case "transfer.reversed":
            let transfer = try object(Stripe.Transfer.self)
            kind = .payoutReversed(payoutID: transfer.id, reversedMinor: transfer.amount_reversed ?? transfer.amount,
                                   metadata: transfer.metadata ?? [:])
        default:
            kind = .ignored
        }
        return ConnectorEvent(id: event.id, type: event.type, createdSeconds: event.created, isLive: event.livemode, kind: kind,
                              apiVersion: event.api_version)
    }

    private static func refundKind(_ refund: Stripe.Refund) -> ConnectorEvent.Kind {
        switch settlement(ofRefund: refund.status) {
        case .succeeded: .refundSucceeded(refundID: refund.id, metadata: refund.metadata ?? [:])
        case .failed: .refundFailed(refundID: refund.id, reason: refund.failure_reason ?? refund.status ?? "failed", metadata: refund.metadata ?? [:])
        case .pending: .ignored
        }
    }

    static func settlement(ofRefund status: String?) -> Settlement {
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
                              amountMinor: session.amount_total ?? 0, currency: session.currency ?? "", metadata: session.metadata ?? [:],
                              isLive: session.livemode)
    }

    /// Every balance-transaction type Stripe documents for the pinned version (52, as the
    /// official stripe package generated for it lists them; `make test` compares the two), and
    /// what each means for the books. A type not listed is `.unknownType`.
    public static let balanceTypes: [String: StatementLine.Kind] = {
        var kinds: [String: StatementLine.Kind] = [:]
        let groups: [(StatementLine.Kind, [String])] = [
            (.charge, ["charge", "payment"]),
            (.refund, ["refund", "payment_refund", "refund_failure", "payment_failure_refund", "payment_reversal"]),
            (.transfer, ["transfer"]),
            (.transferReversal, ["transfer_refund", "transfer_cancel", "transfer_failure"]),
            (.processorFee, ["stripe_fee", "stripe_fx_fee", "tax_fee"]),
            (.platformIncome, ["application_fee", "application_fee_refund"]),
            (.bankPayout, ["payout", "payout_cancel", "payout_failure"]),
            (.reserve, ["payment_network_reserve_hold", "payment_network_reserve_release", "payout_minimum_balance_hold",
                        "payout_minimum_balance_release", "reserve_hold", "reserve_release", "reserve_transaction", "reserved_funds"]),
            (.adjustment, ["adjustment", "advance", "advance_funding", "anticipation_repayment", "connect_collection_transfer", "contribution",
                           "fee_credit_funding", "obligation_outbound", "obligation_reversal_inbound", "payment_unreconciled", "tax_fund"]),
            (.unusedProduct, ["climate_order_purchase", "climate_order_refund", "inbound_transfer", "inbound_transfer_reversal",
                              "issuing_authorization_hold", "issuing_authorization_release", "issuing_dispute",
                              "issuing_dispute_provisional_credit", "issuing_dispute_provisional_credit_reversal", "issuing_transaction",
                              "stripe_balance_payment_debit", "stripe_balance_payment_debit_reversal", "topup", "topup_reversal"]),
        ]
        for (kind, types) in groups { for type in types { kinds[type] = kind } }
        return kinds
    }()

    static func line(_ transaction: Stripe.BalanceTransaction) -> StatementLine {
        StatementLine(id: transaction.id, kind: balanceTypes[transaction.type] ?? .unknownType, type: transaction.type, amountMinor: transaction.amount,
                      feeMinor: transaction.fee, currency: transaction.currency, source: transaction.source?.id, createdSeconds: transaction.created,
                      related: [transaction.source?.paymentIntent, transaction.source?.charge, transaction.source?.transfer].compactMap { $0 })
    }
}

/// Which API versions were already warned about (a warning once per version per process).
final class VersionWarnings: Sendable {
    private let seen = Mutex<Set<String>>([])

    /// True the first time `version` is seen.
    func first(_ version: String) -> Bool { seen.withLock { $0.insert(version).inserted } }
}
