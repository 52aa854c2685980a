import Hummingbird
import Synchronization

/// The router's routes as method sets per path pattern, so that a request the router cannot
/// match is told apart: an unknown path is 404, a known path asked with another method is 405
/// with `Allow` (RFC 9110 §15.5.6). It is filled once every route is added (`buildRouter`).
final class RouteTable: Sendable {
    private struct Pattern: Sendable {
        /// Path segments; nil stands for a parameter (`{task}`, or `:task`), which matches any one segment.
        let segments: [String?]
        var methods: Set<String>
    }

    private let patterns = Mutex<[Pattern]>([])

    /// Records `routes`: call once the router holds them all.
    func record(_ routes: [Router<APIContext>.RouteDescription]) {
        var byPath: [[String?]: Set<String>] = [:]
        for route in routes {
            let segments = Self.segments(route.path.description).map { Self.isParameter($0) ? nil : $0 }
            byPath[segments, default: []].insert(route.method.rawValue)
        }
        patterns.withLock { $0 = byPath.map { Pattern(segments: $0.key, methods: $0.value) } }
    }

    /// The methods served at `path`, sorted (HEAD beside GET, as Hummingbird answers it); empty
    /// for an unknown path. Where patterns overlap, the router takes a literal segment over a
    /// parameter, segment by segment (`/v1/webhooks/callback-secret` over `/v1/webhooks/{webhook}`).
    func methods(at path: String) -> [String] {
        let asked = Self.segments(path)
        let matching = patterns.withLock { patterns in patterns.filter { Self.matches($0.segments, asked) } }
        guard let best = matching.map({ $0.segments.map { $0 == nil ? 0 : 1 } }).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
        var methods = Set<String>()
        for pattern in matching where pattern.segments.map({ $0 == nil ? 0 : 1 }) == best { methods.formUnion(pattern.methods) }
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    /// True when `method` is served at `path`.
    func serves(_ method: String, at path: String) -> Bool {
        methods(at: path).contains(method)
    }

    private static func isParameter(_ segment: String) -> Bool {
        segment.hasPrefix(":") || (segment.hasPrefix("{") && segment.hasSuffix("}"))
    }

    private static func matches(_ pattern: [String?], _ asked: [String]) -> Bool {
        pattern.count == asked.count && zip(pattern, asked).allSatisfy { expected, segment in expected.map { $0 == segment } ?? !segment.isEmpty }
    }

    private static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
