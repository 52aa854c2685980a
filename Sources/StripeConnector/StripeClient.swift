public import AsyncHTTPClient
public import Connectors
import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// Stripe's REST API over AsyncHTTPClient: form-encoded bodies, a Bearer secret key, a pinned
/// API version, an Idempotency-Key on every POST, and retries that keep that key.
///
/// Retried: connection errors, 409, 5xx, and 429 (after a longer wait); Stripe-Should-Retry,
/// when Stripe sends it, decides instead. Never retried: any other 4xx. Stripe's error
/// object becomes `ConnectorError.refused` with its type, code, message and param.
public struct StripeClient: Sendable {
    /// The API version every request pins, so Stripe's answers keep the shape this code reads.
    public static let apiVersion = "2026-10-28.endive"

    public struct RetryPolicy: Sendable {
        /// Attempts in all, the first one included.
        public var attempts: Int
        /// The wait before the first retry; it doubles each time, up to `maxDelay`.
        public var initialDelay: Duration
        public var maxDelay: Duration
        /// The first wait after a 429, which doubles the same way.
        public var rateLimitedDelay: Duration

        public init(attempts: Int, initialDelay: Duration, maxDelay: Duration, rateLimitedDelay: Duration) {
            self.attempts = attempts
            self.initialDelay = initialDelay
            self.maxDelay = maxDelay
            self.rateLimitedDelay = rateLimitedDelay
        }

        /// 4 attempts, 0.5 s doubling to 8 s, 2 s after a 429; each wait jittered to 50–100 %.
        public static let standard = RetryPolicy(attempts: 4, initialDelay: .milliseconds(500), maxDelay: .seconds(8),
                                                 rateLimitedDelay: .seconds(2))

        /// The wait before retry number `retry` (1 for the first retry), before jitter.
        public func delay(retry: Int, rateLimited: Bool) -> Duration {
            var delay = rateLimited ? rateLimitedDelay : initialDelay
            for _ in 1..<max(retry, 1) where delay < maxDelay { delay *= 2 }
            return min(delay, rateLimited ? max(maxDelay, rateLimitedDelay) : maxDelay)
        }
    }

    public let baseURL: String
    private let secretKey: String
    private let http: HTTPClient
    private let retry: RetryPolicy
    private let timeout: TimeAmount
    private let logger: Logger

    public init(secretKey: String, baseURL: String = "https://api.stripe.com", http: HTTPClient = .shared, retry: RetryPolicy = .standard,
                timeout: Duration = .seconds(30), logger: Logger = Logger(label: "stripe")) {
        self.secretKey = secretKey
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = http
        self.retry = retry
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        self.logger = logger
    }

    /// POSTs `fields` to `path` with `idempotencyKey` (the same on every retry) and decodes the answer.
    public func post<Object: Decodable>(_ path: String, _ fields: [(String, FormValue)], idempotencyKey: String,
                                        as type: Object.Type = Object.self) async throws(ConnectorError) -> Object {
        try decode(try await send(.POST, path, body: FormEncoding.body(fields), idempotencyKey: idempotencyKey), as: type)
    }

    /// GETs `path` with `query` (form-encoded into the URL) and decodes the answer.
    public func get<Object: Decodable>(_ path: String, query: [(String, FormValue)] = [],
                                       as type: Object.Type = Object.self) async throws(ConnectorError) -> Object {
        let encoded = FormEncoding.body(query)
        return try decode(try await send(.GET, encoded.isEmpty ? path : "\(path)?\(encoded)", body: nil, idempotencyKey: nil), as: type)
    }

    private func decode<Object: Decodable>(_ bytes: [UInt8], as type: Object.Type) throws(ConnectorError) -> Object {
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw .malformedResponse("Stripe's answer does not read as \(Object.self): \(error)")
        }
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?, idempotencyKey: String?) async throws(ConnectorError) -> [UInt8] {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(secretKey)")
        request.headers.add(name: "Stripe-Version", value: Self.apiVersion)
        request.headers.add(name: "User-Agent", value: "marketplace-stripe/1")
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        var attempt = 1
        while true {
            let outcome: Outcome
            do {
                let response = try await http.execute(request, timeout: timeout)
                let bytes = try await response.body.collect(upTo: 8 << 20)
                outcome = Self.judge(status: Int(response.status.code), headers: response.headers, body: Array(buffer: bytes))
            } catch {
                outcome = .retry(.unavailable("\(method) \(path): \(error)"), rateLimited: false)
            }
            switch outcome {
            case .done(let bytes): return bytes
            case .fail(let error): throw error
            case .retry(let error, let rateLimited):
                guard attempt < retry.attempts else { throw error }
                let wait = retry.delay(retry: attempt, rateLimited: rateLimited)
                logger.notice("stripe retry", metadata: ["path": "\(path)", "attempt": "\(attempt)", "reason": "\(error)"])
                try? await Task.sleep(for: wait * Double.random(in: 0.5...1.0))
                attempt += 1
            }
        }
    }

    enum Outcome {
        case done([UInt8])
        case fail(ConnectorError)
        case retry(ConnectorError, rateLimited: Bool)
    }

    /// What one answer means: done, a definite failure, or worth another try.
    static func judge(status: Int, headers: HTTPHeaders, body: [UInt8]) -> Outcome {
        if (200..<300).contains(status) { return .done(body) }
        let error = StripeErrorObject.read(status: status, body: body)
        let shouldRetry = headers.first(name: "Stripe-Should-Retry").map { $0.lowercased() == "true" }
        let retryable = shouldRetry ?? (status == 409 || status == 429 || status >= 500)
        guard retryable else { return .fail(error.definite) }
        return .retry(.unavailable("Stripe answered \(status): \(error.message)"), rateLimited: status == 429)
    }
}

/// Stripe's error object, `{"error": {"type", "code", "message", "param"}}`.
struct StripeErrorObject: Decodable {
    struct Body: Decodable {
        var type: String?
        var code: String?
        var message: String?
        var param: String?
    }

    var error: Body
    var status = 0

    enum CodingKeys: String, CodingKey { case error }

    var message: String { error.message ?? "no message" }

    static func read(status: Int, body: [UInt8]) -> StripeErrorObject {
        var object = (try? JSONDecoder().decode(StripeErrorObject.self, from: Data(body)))
            ?? StripeErrorObject(error: Body(type: "api_error", code: nil, message: "HTTP \(status) without Stripe's error object", param: nil))
        object.status = status
        return object
    }

    /// The typed error for an answer that will not be retried.
    var definite: ConnectorError {
        if error.type == "idempotency_error" { return .idempotencyConflict(message: message) }
        return .refused(status: status, type: error.type ?? "api_error", code: error.code, message: message, param: error.param)
    }
}
