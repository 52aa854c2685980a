/// What the settlement service asks of a processor that moves money outside the ledger.
///
/// A connector carries out instructions and turns what the outside world says into
/// `ConnectorEvent`s; it never writes ledger tables. Every call that may move money takes an
/// idempotency key the caller derives from its ledger intent, so a retry after a crash names
/// the same request and the processor answers it once.
public protocol PaymentConnector: Sendable {
    /// The connector's name in the chart of accounts (`clearing:<name>:USD`).
    var name: String { get }

    /// True when the connector moves rehearsal money, never real money (a Stripe test key).
    var isTestMode: Bool { get }

    /// The HTTP header its inbound notifications carry their signature in (`Stripe-Signature`).
    var signatureHeader: String { get }

    /// Opens a hosted payment page for a task's funding.
    func startFunding(_ request: FundingRequest) async throws(ConnectorError) -> FundingSession

    /// Reads a funding session again, for an event that is late.
    func fundingSession(_ reference: String) async throws(ConnectorError) -> FundingSession

    /// Closes an open funding session so it can no longer be paid (a canceled task).
    func cancelFunding(_ reference: String) async throws(ConnectorError) -> FundingSession

    /// Verifies an inbound notification (signature, freshness) and reads it. Throws
    /// `.invalidEvent` for anything that does not verify; nothing is to be written then.
    func event(payload: [UInt8], signature: String?, nowSeconds: Int64) throws(ConnectorError) -> ConnectorEvent

    /// Returns money to the payer of a funding.
    func refund(_ request: RefundRequest) async throws(ConnectorError) -> RefundResult

    /// Reads a refund again, by its id: where it stands now (for an event that names only the
    /// charge, and for refunds no event settled).
    func refundStatus(_ refundID: String) async throws(ConnectorError) -> RefundResult

    /// Pays a person's linked account.
    func payOut(_ request: PayoutRequest) async throws(ConnectorError) -> PayoutResult

    /// Reads a payout again, by its id: how much of it has been taken back so far.
    func payoutStatus(_ payoutID: String) async throws(ConnectorError) -> PayoutResult

    /// Takes back `amountMinor` of a payout (all of it when nil).
    func reversePayout(_ payoutID: String, amountMinor: Int64?, idempotencyKey: String) async throws(ConnectorError) -> PayoutReversal

    /// What the processor says moved, oldest first, for reconciliation.
    func statement(from startSeconds: Int64, to endSeconds: Int64) async throws(ConnectorError) -> [StatementLine]
}

/// A task's funding through a hosted payment page.
public struct FundingRequest: Sendable, Equatable {
    public var amountMinor: Int64
    /// ISO 4217, lower case as processors write it (`usd`).
    public var currency: String
    public var productName: String
    public var successURL: String
    public var cancelURL: String
    /// The task, for the processor's dashboard and for matching events back.
    public var reference: String
    /// Extra labels carried by the session and its payment (task and intent ids).
    public var metadata: [String: String]
    public var expiresAtSeconds: Int64
    public var idempotencyKey: String

    public init(amountMinor: Int64, currency: String, productName: String, successURL: String, cancelURL: String, reference: String,
                metadata: [String: String], expiresAtSeconds: Int64, idempotencyKey: String) {
        self.amountMinor = amountMinor
        self.currency = currency
        self.productName = productName
        self.successURL = successURL
        self.cancelURL = cancelURL
        self.reference = reference
        self.metadata = metadata
        self.expiresAtSeconds = expiresAtSeconds
        self.idempotencyKey = idempotencyKey
    }
}

/// A hosted payment page and what is known of its payment.
public struct FundingSession: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Open, not paid yet (or paid by a method that settles later).
        case open
        /// Paid: the money is the platform's.
        case paid
        /// Expired or failed: it will never be paid.
        case failed
    }

    public var id: String
    public var url: String?
    public var status: Status
    /// The processor's payment, known only once the customer pays.
    public var paymentReference: String?
    public var amountMinor: Int64
    public var currency: String
    public var metadata: [String: String]
    /// The processor's livemode for the session, when it says (nil: not stated).
    public var isLive: Bool?

    public init(id: String, url: String?, status: Status, paymentReference: String?, amountMinor: Int64, currency: String,
                metadata: [String: String], isLive: Bool? = nil) {
        self.id = id
        self.url = url
        self.status = status
        self.paymentReference = paymentReference
        self.amountMinor = amountMinor
        self.currency = currency
        self.metadata = metadata
        self.isLive = isLive
    }
}

public struct RefundRequest: Sendable, Equatable {
    /// The processor's payment to refund (a payment intent).
    public var paymentReference: String
    public var amountMinor: Int64
    public var metadata: [String: String]
    public var idempotencyKey: String

    public init(paymentReference: String, amountMinor: Int64, metadata: [String: String], idempotencyKey: String) {
        self.paymentReference = paymentReference
        self.amountMinor = amountMinor
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
    }
}

/// Where a refund or payout stands at the processor.
public enum Settlement: String, Sendable, Equatable {
    case pending, succeeded, failed
}

public struct RefundResult: Sendable, Equatable {
    public var id: String
    public var status: Settlement
    public var amountMinor: Int64
    /// Why it failed, when it did and the processor says.
    public var failureReason: String?

    public init(id: String, status: Settlement, amountMinor: Int64, failureReason: String? = nil) {
        self.id = id
        self.status = status
        self.amountMinor = amountMinor
        self.failureReason = failureReason
    }
}

public struct PayoutRequest: Sendable, Equatable {
    /// The person's account at the processor (`acct_…`).
    public var destination: String
    public var amountMinor: Int64
    public var currency: String
    /// Groups the payout with its task's funding.
    public var group: String
    /// The funding's payment, when known, so the payout draws on it.
    public var paymentReference: String?
    public var metadata: [String: String]
    public var idempotencyKey: String

    public init(destination: String, amountMinor: Int64, currency: String, group: String, paymentReference: String?,
                metadata: [String: String], idempotencyKey: String) {
        self.destination = destination
        self.amountMinor = amountMinor
        self.currency = currency
        self.group = group
        self.paymentReference = paymentReference
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
    }
}

public struct PayoutResult: Sendable, Equatable {
    public var id: String
    public var amountMinor: Int64
    /// How much of it the processor has taken back so far.
    public var reversedMinor: Int64

    public init(id: String, amountMinor: Int64, reversedMinor: Int64 = 0) {
        self.id = id
        self.amountMinor = amountMinor
        self.reversedMinor = reversedMinor
    }
}

/// One line of the processor's own account of what moved.
public struct StatementLine: Sendable, Equatable {
    /// What a line means for the books: matched against the ledger (charge, refund, transfer,
    /// transfer reversal), booked by a posting recipe (processor fee), or a named
    /// reconciliation break for money the marketplace's recipes do not move (the rest). No
    /// line is ever silently set aside.
    public enum Kind: String, Sendable, CaseIterable {
        case charge, refund, transfer
        case transferReversal = "transfer_reversal"
        /// Booked as the platform's expense (recipe processorFee).
        case processorFee = "processor_fee"
        /// The platform's income from connected accounts (Stripe application fees): the
        /// marketplace charges none, so one is a break for finance to book.
        case platformIncome = "platform_income"
        /// Money between the processor balance and the platform's bank (Stripe payouts).
        case bankPayout = "bank_payout"
        /// Money the processor holds back or releases (reserves, minimum-balance holds).
        case reserve
        /// A correction or a dispute's debit (Stripe adjustments, advances, collections).
        case adjustment
        /// A product of the processor the marketplace does not use (Issuing, Climate, top-ups).
        case unusedProduct = "unused_product"
        /// A type the processor did not document for the pinned API version.
        case unknownType = "unknown_type"

        /// Lines the ledger moves itself (matched, or booked by a recipe).
        public var isBooked: Bool { [.charge, .refund, .transfer, .transferReversal, .processorFee].contains(self) }
    }

    public var id: String
    public var kind: Kind
    /// The processor's own name for the line's type (`stripe_fx_fee`, `payout`).
    public var type: String
    /// Signed, as the processor's balance moved (a refund is negative).
    public var amountMinor: Int64
    /// What the processor kept for this line (≥ 0).
    public var feeMinor: Int64
    public var currency: String
    /// The object it is about (`ch_…`, `re_…`, `tr_…`).
    public var source: String?
    public var createdSeconds: Int64
    /// Other ids the line is about, read from its expanded source: the charge's or refund's
    /// payment intent, a refund's charge, a reversal's transfer.
    public var related: [String]

    public init(id: String, kind: Kind, type: String? = nil, amountMinor: Int64, feeMinor: Int64, currency: String, source: String?,
                createdSeconds: Int64, related: [String] = []) {
        self.id = id
        self.kind = kind
        self.type = type ?? kind.rawValue
        self.amountMinor = amountMinor
        self.feeMinor = feeMinor
        self.currency = currency
        self.source = source
        self.createdSeconds = createdSeconds
        self.related = related
    }
}

public struct PayoutReversal: Sendable, Equatable {
    public var id: String
    public var payoutID: String
    public var amountMinor: Int64

    public init(id: String, payoutID: String, amountMinor: Int64) {
        self.id = id
        self.payoutID = payoutID
        self.amountMinor = amountMinor
    }
}
