import Foundation

/// Why the marketplace refused a request. Each case maps to one API code and status at the edge;
/// nothing is written when one is thrown.
public enum MarketplaceError: Error, Sendable, Hashable, CustomStringConvertible {
    case validation(field: String, message: String)
    case unauthorized(String)
    case forbidden(String)
    case notFound(String)
    case conflict(field: String?, message: String)
    case limitExceeded(field: String?, message: String)
    /// A quota of requests (not a throttle): 429 LIMIT_EXCEEDED.
    case tooMany(String)
    case riskBlocked(field: String, message: String)
    case insufficientBalance(availableMinor: Int64, requiredMinor: Int64, asset: String)
    case paymentRequired(taskID: String, fundURL: String)
    /// A payment connector refused the request; nothing moved (502 CONNECTOR_ERROR).
    case connectorRefused(field: String?, message: String)
    /// A payment connector gave no definite answer; the request is recorded and retried with
    /// the same idempotency key (503 CONNECTOR_UNAVAILABLE).
    case connectorUnavailable(String)
    /// The service cannot take the request now (the ledger's writer queue is full); nothing was
    /// written and the same request may succeed shortly.
    case unavailable(String)
    case internalError(String)

    /// The API's error code.
    public var code: String {
        switch self {
        case .validation: "VALIDATION_ERROR"
        case .unauthorized: "UNAUTHORIZED"
        case .forbidden: "FORBIDDEN"
        case .notFound: "NOT_FOUND"
        case .conflict: "CONFLICT"
        case .limitExceeded, .tooMany: "LIMIT_EXCEEDED"
        case .riskBlocked: "RISK_GATE_BLOCKED"
        case .insufficientBalance: "INSUFFICIENT_BALANCE"
        case .paymentRequired: "PAYMENT_REQUIRED"
        case .connectorRefused: "CONNECTOR_ERROR"
        case .connectorUnavailable: "CONNECTOR_UNAVAILABLE"
        case .unavailable: "SERVICE_UNAVAILABLE"
        case .internalError: "INTERNAL_ERROR"
        }
    }

    /// The request field at fault, when there is one.
    public var field: String? {
        switch self {
        case .validation(let field, _), .riskBlocked(let field, _): field
        case .conflict(let field, _), .limitExceeded(let field, _), .connectorRefused(let field, _): field
        case .insufficientBalance: "amount"
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .validation(_, let message), .unauthorized(let message), .forbidden(let message), .notFound(let message),
             .conflict(_, let message), .limitExceeded(_, let message), .internalError(let message), .tooMany(let message),
             .riskBlocked(_, let message), .connectorRefused(_, let message), .connectorUnavailable(let message), .unavailable(let message):
            message
        case .paymentRequired(let taskID, let fundURL):
            "task \(taskID) is not funded yet; fund it first: POST \(fundURL)"
        case .insufficientBalance(let available, let required, let asset):
            "the wallet has \(available) \(asset) minor units available; \(required) are needed"
        }
    }
}

extension MarketplaceError {
    /// A refusal in a dialect's spelling: a field it names otherwise (`budget.amount` is seed
    /// 002's `price`), renamed in the field and in the message, so that its client reads the
    /// name it sent. Other errors are unchanged.
    public func spelled(_ names: [String: String]) -> MarketplaceError {
        guard case .validation(let field, var message) = self, let name = names[field] else { return self }
        for (ours, theirs) in names.sorted(by: { $0.key.count > $1.key.count }) { message = message.replacingOccurrences(of: ours, with: theirs) }
        return .validation(field: name, message: message)
    }
}
