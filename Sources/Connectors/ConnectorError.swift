/// Why a connector call did not do what was asked.
public enum ConnectorError: Error, Sendable, Equatable {
    /// The processor refused the request and moved nothing (a 4xx other than 409 and 429, or
    /// an explicit Stripe-Should-Retry: false). `param` names the request field at fault.
    case refused(status: Int, type: String, code: String?, message: String, param: String?)
    /// The same idempotency key was sent with another request.
    case idempotencyConflict(message: String)
    /// No definite answer after the retries (connection errors, 5xx, 429, 409): the request may
    /// or may not have taken effect; send it again with the same idempotency key.
    case unavailable(String)
    /// An inbound event whose signature is missing, malformed, stale or wrong; act on nothing.
    case invalidSignature(String)
    /// A verified inbound event that cannot be read; act on nothing.
    case invalidEvent(String)
    /// The processor answered something this client cannot read.
    case malformedResponse(String)

    /// True when the request may have taken effect, so the intent must stay open and the call
    /// be sent again with the same key, rather than voided.
    public var isIndefinite: Bool {
        switch self {
        case .unavailable, .malformedResponse: true
        case .refused, .idempotencyConflict, .invalidSignature, .invalidEvent: false
        }
    }
}
