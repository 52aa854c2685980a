/// What a verified inbound notification says happened. `id` is the processor's event id:
/// the settlement service acts on each id once.
public struct ConnectorEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A funding session was paid; the money is the platform's.
        case fundingSucceeded(FundingSession)
        /// A funding session will never be paid (expired, or its delayed payment failed).
        case fundingFailed(FundingSession, reason: String)
        /// Something about a funding that changes nothing yet (paid later by bank debit).
        case fundingPending(FundingSession)
        case refundSucceeded(refundID: String, metadata: [String: String])
        case refundFailed(refundID: String, reason: String, metadata: [String: String])
        /// Refunds of a payment changed; the event names the charge, not which refund (Stripe's
        /// `charge.refunded` since API version 2022-11-15): each refund is read again by its id.
        case refundsChanged(paymentReference: String?, chargeID: String)
        /// A payout was taken back, `reversedMinor` in all so far.
        case payoutReversed(payoutID: String, reversedMinor: Int64, metadata: [String: String])
        /// A well-signed event of a type the marketplace does not act on.
        case ignored
    }

    public var id: String
    public var type: String
    public var createdSeconds: Int64
    public var isLive: Bool
    public var kind: Kind
    /// The API version the processor wrote the event in, when it says.
    public var apiVersion: String?

    public init(id: String, type: String, createdSeconds: Int64, isLive: Bool, kind: Kind, apiVersion: String? = nil) {
        self.id = id
        self.type = type
        self.createdSeconds = createdSeconds
        self.isLive = isLive
        self.kind = kind
        self.apiVersion = apiVersion
    }
}
