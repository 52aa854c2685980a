import Foundation
import HTTPTypes
import Hummingbird
import Marketplace
import Synchronization

/// How many requests a caller may make per minute, per class of endpoint.
public struct RateLimits: Sendable, Hashable {
    /// Endpoints are limited by what they cost: sign-up and login are the tightest (they run
    /// bcrypt), writes move state and money, reads are cheap.
    public enum EndpointClass: String, Sendable, Hashable, CaseIterable {
        case auth, write, read
    }

    public var perMinute: [EndpointClass: Int]

    public init(perMinute: [EndpointClass: Int]) { self.perMinute = perMinute }

    /// What `marketplace serve` enforces.
    public static let standard = RateLimits(perMinute: [.auth: 30, .write: 300, .read: 1_200])
    /// No limits: for benchmarks that measure the server, not the throttle.
    public static let unlimited = RateLimits(perMinute: [:])
    /// Whole seconds since 1970 by the wall clock, which places requests in their windows.
    public static let wallClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    /// Sign-ups outside /v1/auth/ that share its limit: each one makes an account.
    static let signUpPaths: Set<String> = ["/v1/agents/register", "/compat/humanops/api/v1/agents/register",
                                                "/compat/gohirehumans/auth/register", "/compat/gohirehumans/auth/login",
                                                "/compat/humans2ai/api/v1/public/auth/register", "/compat/humans2ai/api/v1/public/auth/login"]
    /// Dialects whose documents print X-RateLimit-Reset as an ISO 8601 instant (seed 004).
    static let isoResetPrefixes = ["/compat/humans2ai/"]

    static func endpointClass(of request: Request) -> EndpointClass {
        let path = request.uri.path
        if request.method == .post && (path.hasPrefix("/v1/auth/") || signUpPaths.contains(path)) { return .auth }
        return request.method == .get || request.method == .head ? .read : .write
    }
}

/// Fixed one-minute windows per caller (API key, session user, or client address for anonymous
/// calls) and endpoint class. Every answer carries X-RateLimit-Limit, -Remaining and -Reset
/// (Unix seconds); over the limit it is 429 RATE_LIMITED with Retry-After.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let limits: RateLimits
    let limiter: RateLimiter

    static let limitHeader = HTTPField.Name("X-RateLimit-Limit")!
    static let remainingHeader = HTTPField.Name("X-RateLimit-Remaining")!
    static let resetHeader = HTTPField.Name("X-RateLimit-Reset")!
    static let retryAfterHeader = HTTPField.Name("Retry-After")!

    init(limits: RateLimits, now: @escaping @Sendable () -> Int64 = RateLimits.wallClock) {
        self.limits = limits
        limiter = RateLimiter(now: now)
    }

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let endpointClass = RateLimits.endpointClass(of: request)
        guard let limit = limits.perMinute[endpointClass] else { return try await next(request, context) }
        let subject: String = switch context.principal?.credential {
        case .apiKey(let id): "key:\(id)"
        case .taskToken(let taskID): "task:\(taskID)"
        case .session: "user:\(context.principal!.userID)"
        case nil: "address:\(context.clientAddress)"
        }
        let decision = limiter.take("\(subject)|\(endpointClass.rawValue)", limit: limit)
        var response: Response
        if decision.allowed {
            do {
                response = try await next(request, context)
            } catch let error as APIError {
                response = try error.response(from: request, context: context)
            }
        } else {
            let error = APIError(.tooManyRequests, code: "RATE_LIMITED",
                                 message: "over \(limit) \(endpointClass.rawValue) requests a minute; retry after \(decision.retryAfterSeconds) s")
            response = try error.response(from: request, context: context)
            response.headers[Self.retryAfterHeader] = String(decision.retryAfterSeconds)
        }
        response.headers[Self.limitHeader] = String(limit)
        response.headers[Self.remainingHeader] = String(decision.remaining)
        let iso = RateLimits.isoResetPrefixes.contains { request.uri.path.hasPrefix($0) }
        response.headers[Self.resetHeader] = iso ? Self.instant(decision.resetAt) : String(decision.resetAt)
        return response
    }
}

extension RateLimitMiddleware {
    /// `seconds` since 1970 as `2026-03-02T11:00:00.000Z`.
    static func instant(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// The counters behind the middleware: one per (caller, class) for the current minute.
final class RateLimiter: Sendable {
    struct Decision {
        let allowed: Bool
        let remaining: Int
        let resetAt: Int64
        let retryAfterSeconds: Int64
    }

    private struct Window {
        var start: Int64
        var count: Int
    }

    /// Above this many counters, those of past minutes are dropped.
    static let countersMax = 10_000

    private let windows = Mutex<[String: Window]>([:])
    private let now: @Sendable () -> Int64

    init(now: @escaping @Sendable () -> Int64) { self.now = now }

    func take(_ bucket: String, limit: Int) -> Decision {
        let second = now()
        let start = second - second % 60
        return windows.withLock { windows in
            if windows.count > Self.countersMax { windows = windows.filter { $0.value.start == start } }
            var window = windows[bucket].flatMap { $0.start == start ? $0 : nil } ?? Window(start: start, count: 0)
            let allowed = window.count < limit
            if allowed { window.count += 1 }
            windows[bucket] = window
            return Decision(allowed: allowed, remaining: max(0, limit - window.count), resetAt: start + 60, retryAfterSeconds: max(1, start + 60 - second))
        }
    }
}
