/// The fake's objects, written out with Stripe's field names by `json`.
struct FakeSession: Sendable {
    var id: String
    var created: Int64
    var amountTotal: Int64
    var currency: String
    var productName: String
    var status = "open"
    var paymentStatus = "unpaid"
    var paymentIntent: String?
    var clientReferenceID: String?
    var metadata: [String: String]
    var paymentIntentMetadata: [String: String]
    var expiresAt: Int64
    var successURL: String
    var cancelURL: String?

    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("object", .string("checkout.session")),
            .init("amount_subtotal", .int(amountTotal)), .init("amount_total", .int(amountTotal)),
            .init("cancel_url", .optional(cancelURL)), .init("client_reference_id", .optional(clientReferenceID)),
            .init("created", .int(created)), .init("currency", .string(currency)), .init("expires_at", .int(expiresAt)),
            .init("livemode", .bool(false)), .init("metadata", .map(metadata)), .init("mode", .string("payment")),
            .init("payment_intent", .optional(paymentIntent)), .init("payment_status", .string(paymentStatus)),
            .init("status", .string(status)), .init("success_url", .string(successURL)),
            .init("url", status == "open" ? .string("https://checkout.stripe.com/c/pay/\(id)") : .null),
        ])
    }
}

struct FakePaymentIntent: Sendable {
    var id: String
    var created: Int64
    var amount: Int64
    var currency: String
    var status: String
    var latestCharge: String?
    var metadata: [String: String]

    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("object", .string("payment_intent")), .init("amount", .int(amount)),
            .init("amount_received", .int(status == "succeeded" ? amount : 0)), .init("created", .int(created)),
            .init("currency", .string(currency)), .init("latest_charge", .optional(latestCharge)), .init("livemode", .bool(false)),
            .init("metadata", .map(metadata)), .init("status", .string(status)),
        ])
    }
}

struct FakeCharge: Sendable {
    var id: String
    var created: Int64
    var amount: Int64
    var amountRefunded: Int64 = 0
    var currency: String
    var paymentIntent: String
    var balanceTransaction: String
}

struct FakeRefund: Sendable {
    var id: String
    var created: Int64
    var amount: Int64
    var currency: String
    var paymentIntent: String
    var charge: String
    var status: String
    var failureReason: String?
    var metadata: [String: String]
    var balanceTransaction: String?
    /// Shown as `"status": null` while pending (Stripe's spec allows a null status).
    var nullWhilePending = false

    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("object", .string("refund")), .init("amount", .int(amount)),
            .init("balance_transaction", .optional(balanceTransaction)), .init("charge", .string(charge)), .init("created", .int(created)),
            .init("currency", .string(currency)), .init("failure_reason", .optional(failureReason)), .init("metadata", .map(metadata)),
            .init("payment_intent", .string(paymentIntent)),
            .init("status", nullWhilePending && status == "pending" ? .null : .string(status)),
        ])
    }
}

struct FakeTransfer: Sendable {
    var id: String
    var created: Int64
    var amount: Int64
    var amountReversed: Int64 = 0
    var currency: String
    var destination: String
    var transferGroup: String?
    var sourceTransaction: String?
    var metadata: [String: String]
    var balanceTransaction: String
    var reversals: [FakeReversal] = []

    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("object", .string("transfer")), .init("amount", .int(amount)),
            .init("amount_reversed", .int(amountReversed)), .init("balance_transaction", .string(balanceTransaction)),
            .init("created", .int(created)), .init("currency", .string(currency)), .init("destination", .string(destination)),
            .init("livemode", .bool(false)), .init("metadata", .map(metadata)),
            .init("reversals", .object([.init("object", .string("list")), .init("data", .array(reversals.map(\.json))),
                                        .init("has_more", .bool(false)), .init("url", .string("/v1/transfers/\(id)/reversals"))])),
            .init("reversed", .bool(amountReversed == amount)), .init("source_transaction", .optional(sourceTransaction)),
            .init("transfer_group", .optional(transferGroup)),
        ])
    }
}

struct FakeReversal: Sendable {
    var id: String
    var created: Int64
    var amount: Int64
    var currency: String
    var transfer: String
    var balanceTransaction: String

    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("object", .string("transfer_reversal")), .init("amount", .int(amount)),
            .init("balance_transaction", .string(balanceTransaction)), .init("created", .int(created)),
            .init("currency", .string(currency)), .init("transfer", .string(transfer)),
        ])
    }
}

struct FakeBalanceTransaction: Sendable {
    var id: String
    var created: Int64
    var amount: Int64
    var currency: String
    var fee: Int64
    var type: String
    var source: String

    var json: JSONValue { json(source: .string(source)) }

    func json(source: JSONValue) -> JSONValue {
        .object([
            .init("id", .string(id)), .init("object", .string("balance_transaction")), .init("amount", .int(amount)),
            .init("available_on", .int(created + 2 * 86_400)), .init("created", .int(created)), .init("currency", .string(currency)),
            .init("fee", .int(fee)),
            .init("fee_details", .array(fee == 0 ? [] : [.object([
                .init("amount", .int(fee)), .init("currency", .string(currency)), .init("description", .string("Stripe processing fees")),
                .init("type", .string("stripe_fee")),
            ])])),
            .init("net", .int(amount - fee)), .init("source", source), .init("status", .string("pending")),
            .init("type", .string(type)),
        ])
    }
}

/// An event as Stripe stores it; `payload` is the exact body every delivery sends.
public struct FakeEvent: Sendable {
    public var id: String
    public var type: String
    public var created: Int64
    public var payload: [UInt8]

    public init(id: String, type: String, created: Int64, payload: [UInt8]) {
        self.id = id
        self.type = type
        self.created = created
        self.payload = payload
    }
}

/// One request as the fake received it, for tests to assert on.
public struct LoggedRequest: Sendable {
    public var method: String
    public var path: String
    public var params: [String: String]
    public var idempotencyKey: String?
    public var stripeVersion: String?
    /// True when the answer was the stored first answer to this idempotency key.
    public var replayed: Bool
    public var status: Int
}

/// A failure the fake answers instead of (or after) doing the work.
public struct FakeFault: Sendable {
    public var method: String
    public var pathPrefix: String
    public var remaining: Int
    public var status: Int
    public var type: String
    public var code: String?
    /// Sent as Stripe-Should-Retry when set.
    public var shouldRetry: Bool?
    /// Do the work and store its answer under the key, then answer the failure, as when a
    /// response is lost on the way back.
    public var afterProcessing: Bool
    /// The exact body to answer instead of an error object (with `status` 200: an answer the
    /// client cannot read, as from an API version it does not know).
    public var body: [UInt8]?

    public init(method: String = "POST", pathPrefix: String, times: Int = 1, status: Int, type: String = "api_error", code: String? = nil,
                shouldRetry: Bool? = nil, afterProcessing: Bool = false, body: [UInt8]? = nil) {
        self.method = method
        self.pathPrefix = pathPrefix
        remaining = times
        self.status = status
        self.type = type
        self.code = code
        self.shouldRetry = shouldRetry
        self.afterProcessing = afterProcessing
        self.body = body
    }
}
