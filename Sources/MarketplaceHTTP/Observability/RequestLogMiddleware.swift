import HTTPTypes
public import Hummingbird
import Foundation
import Logging
import Marketplace

/// The outermost middleware: gives every request an id (the client's `Request-Id`, as Stripe
/// takes one, when it is a plain token of at most 128 characters; else a new `req_…`), puts it in
/// the request's logger, in the `Request-Id` header of every answer and in error envelopes, and
/// logs one line per request once it is answered: method, route, status, duration, request id
/// and caller. Hummingbird's `LogRequestsMiddleware` logs the request line before the answer
/// (no status, no duration), hence this one. Never logs a header, a body or a query string.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIContext
    static let header = HTTPField.Name("Request-Id")!
    /// The level of the per-request line (MARKETPLACE_LOG_LEVEL decides whether it shows).
    let level: Logger.Level

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        let id = Self.acceptable(request.headers[Self.header]) ?? Self.newID()
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.header] = id
        let elapsed = ContinuousClock.now - started
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "route": .string(context.endpointPath ?? request.uri.path),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string(Self.milliseconds(elapsed)),
        ]
        if let caller = context.principal { metadata["caller"] = .string(caller.userID) }
        context.logger.log(level: level, "request", metadata: metadata)
        return response
    }

    /// ASCII letters, digits and `-_.:`, 1 to 128 of them: safe to echo in a header and a log.
    static func acceptable(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count), value.utf8.allSatisfy({ byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "-_.:".utf8.contains(byte)
        }) else { return nil }
        return value
    }

    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `req_` and 24 base62 characters from three draws of the system CSPRNG (8 digits, about
    /// 47 bits, from each): one draw a character made 24 `getrandom` calls a request, which
    /// `bench api --observability on` showed as 2% of the server's time.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        var body = [UInt8](repeating: 0, count: 24)
        for draw in 0..<3 {
            var random = generator.next()
            for index in (draw * 8)..<(draw * 8 + 8) {
                body[index] = alphabet[Int(random % 62)]
                random /= 62
            }
        }
        return "req_" + String(decoding: body, as: UTF8.self)
    }

    /// Milliseconds with three decimals (`12.345`), from whole microseconds: exact, and without
    /// Foundation's `String(format:)`, which cost more than the rest of the line.
    static func milliseconds(_ elapsed: Duration) -> String {
        let micros = max(0, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
