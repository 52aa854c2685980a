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

    /// The methods served at `path`, sorted (HEAD beside GET, as Hummingbird answers it); empty for an unknown path.
    func methods(at path: String) -> [String] {
        let asked = Self.segments(path)
        var methods = Set<String>()
        patterns.withLock { patterns in
            for pattern in patterns where Self.matches(pattern.segments, asked) { methods.formUnion(pattern.methods) }
        }
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
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
