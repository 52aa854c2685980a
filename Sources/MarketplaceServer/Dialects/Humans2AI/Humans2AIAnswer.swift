import Foundation
public import Hummingbird
import HTTPTypes
import LedgerCore
import Marketplace
import MarketplaceHTTP

/// Seed 004's success envelope, `{"success": true, "data": …}`, with the view's names in
/// camelCase as the document prints them (`escrowId`, `agentName`), not /v1's snake_case;
/// `beside` adds top-level members such as `pagination` or `unreadCount`.
struct Humans2AIAnswer<View: Encodable & Sendable>: ResponseGenerator, Sendable {
    let status: HTTPResponse.Status
    let data: View
    let beside: [String: Int]

    init(_ data: View, status: HTTPResponse.Status = .ok, beside: [String: Int] = [:]) {
        self.data = data
        self.status = status
        self.beside = beside
    }

    private struct Body: Encodable {
        let success = true
        let data: View
        let beside: [String: Int]

        enum Key: CodingKey {
            case success, data
            case other(String)
            var stringValue: String {
                switch self {
                case .success: "success"
                case .data: "data"
                case .other(let name): name
                }
            }
            init?(stringValue: String) { self = .other(stringValue) }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(success, forKey: .success)
            try container.encode(data, forKey: .data)
            for (name, value) in beside { try container.encode(value, forKey: .other(name)) }
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = try encoder.encode(Body(data: data, beside: beside))
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Seed 004's codes and statuses for the marketplace's refusals, on the dialect's routes only:
/// a missing resource is 404 TASK_NOT_FOUND, a short wallet, a Risk Gate refusal and a limit
/// (the 10 active keys) are 400 with INSUFFICIENT_BALANCE, RISK_GATE_BLOCKED and LIMIT_EXCEEDED,
/// too many requests 429 RATE_LIMITED. The envelope is /v1's, which the document shares.
struct Humans2AIErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do { return try await next(request, context) } catch { throw Self.translated(error) }
    }

    static func translated(_ error: any Error) -> any Error {
        let api: APIError
        if let error = error as? MarketplaceError {
            if case .tooMany(let message) = error { return APIError(.tooManyRequests, code: "RATE_LIMITED", message: message) }
            api = APIError(error)
        } else if let error = error as? LedgerError {
            api = APIError(error)
        } else if let error = error as? APIError {
            api = error
        } else {
            return error
        }
        return switch api.code {
        case "NOT_FOUND": APIError(.notFound, code: "TASK_NOT_FOUND", message: api.message, field: api.field)
        case "INSUFFICIENT_BALANCE", "RISK_GATE_BLOCKED", "LIMIT_EXCEEDED": APIError(.badRequest, code: api.code, message: api.message, field: api.field)
        default: api
        }
    }
}
