public import Hummingbird
import Foundation
public import LedgerCore
public import Marketplace

/// An error as the API renders it: `{"success": false, "error": {"code", "message", "field"}}`
/// with the HTTP status that fits. Every error leaves the edge through this type.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public static func validation(_ message: String, field: String) -> APIError {
        APIError(.badRequest, code: "VALIDATION_ERROR", message: message, field: field)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: "NOT_FOUND", message: message)
    }

    /// Maps a ledger refusal onto a status and a stable code.
    public init(_ error: LedgerError) {
        switch error {
        case .exceedsCredits, .exceedsDebits:
            self.init(HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"), code: "INSUFFICIENT_BALANCE", message: error.description, field: error.field)
        case .idempotencyConflict, .transferExists, .accountExists, .pendingAlreadyPosted, .pendingAlreadyVoided, .pendingExpired:
            self.init(.conflict, code: "CONFLICT", message: error.description, field: error.field)
        case .busy:
            self.init(.serviceUnavailable, code: "SERVICE_UNAVAILABLE", message: error.description)
        case .storage, .closed, .databaseNewerThanBinary, .writerLocked, .readOnly:
            self.init(.serviceUnavailable, code: "INTERNAL_ERROR", message: "the ledger is unavailable; retry later")
        default:
            self.init(.badRequest, code: "VALIDATION_ERROR", message: error.description, field: error.field)
        }
    }

    /// Maps a marketplace refusal onto a status and its code.
    public init(_ error: MarketplaceError) {
        let status: HTTPResponse.Status = switch error {
        case .validation: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .limitExceeded, .riskBlocked: .unprocessableContent
        case .tooMany: .tooManyRequests
        case .insufficientBalance, .paymentRequired: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
        case .connectorRefused: .badGateway
        case .connectorUnavailable, .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
        let message = if case .internalError = error { "internal error" } else { error.description }
        self.init(status, code: error.code, message: message, field: error.field)
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let field: String?
        }
        let success = false
        let error: Detail
        /// The request's id, as its `Request-Id` header says (for a support ticket).
        let requestId: String?
    }

    /// The envelope's bytes: `{"success":false,"error":{…},"request_id":…}`.
    func json(requestID: String? = nil) -> [UInt8] {
        // Strings and a bool: encoding cannot fail.
        (try? APIJSONEncoder().encode(Body(error: .init(code: code, message: message, field: field), requestId: requestID))) ?? []
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = (context as? APIContext)?.requestID
        let data = json(requestID: requestID?.isEmpty == false ? requestID : nil)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        // RFC 9110 §15.5.2: a 401 names the scheme that would succeed (MCP clients read it too).
        if status == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="marketplace""# }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIError {
    /// A marketplace or ledger refusal as the API's error: the one place domain errors are
    /// mapped (by `DomainErrorMiddleware`, innermost, so every other middleware sees an APIError).
    init?(domain error: any Error) {
        if let error = error as? MarketplaceError { self.init(error) } else if let error = error as? LedgerError { self.init(error) } else { return nil }
    }
}

/// Runs a domain call outside a route handler (in a middleware outside `DomainErrorMiddleware`),
/// where no middleware maps its error.
func api<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw APIError(domain: error) ?? error }
}

/// The async form of `api`.
func apiAsync<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw APIError(domain: error) ?? error }
}
