public import Foundation
import Synchronization

/// A write sent with an `Idempotency-Key`, while its handler runs: the task-local through which
/// the store puts the request's answer into the same durable commit as its effect.
///
/// The edge (HTTP) opens one per keyed request and says, before calling the domain, how the
/// result of the domain's write becomes the answer (`answer(_:with:)`). Every store transaction
/// run for the request then renders the answer from its result, when the result has that type,
/// and writes it with the effect: after a crash the key is either absent (nothing happened, a
/// retry runs it) or answered. A write whose result the request cannot render leaves the
/// answer to a commit of its own after the handler (`IdempotencyStore.finish`).
public final class KeyedRequest: Sendable {
    /// The open keyed request of the running task, if any.
    @TaskLocal public static var current: KeyedRequest?

    /// The answer as it is stored and replayed.
    public struct Answer: Sendable, Hashable {
        public let status: Int
        public let contentType: String?
        public let body: Data

        public init(status: Int, contentType: String?, body: Data) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// Turns a write's result into the answer; nil when the result is not the expected type.
    public typealias Renderer = @Sendable (any Sendable) -> Answer?

    let scope: String
    let key: String
    let fingerprint: Data
    private let state = Mutex<State>(State())

    private struct State {
        var renderer: Renderer?
        /// The answer written inside a commit that is known to have landed, and the result it
        /// was rendered from.
        var committed: Answer?
        var committedResult: (any Sendable)?
        var isOpen = true
    }

    init(scope: String, key: String, fingerprint: Data) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
    }

    /// Says how a result of type `Result` becomes the answer; the latest call wins. A write
    /// whose result carries more than the answer (`CarriesAnswer`) answers with its part.
    public func answer<Result: Sendable>(_ type: Result.Type, with render: @escaping @Sendable (Result) -> Answer?) {
        state.withLock {
            $0.renderer = { value in ((value as? Result) ?? ((value as? any CarriesAnswer)?.answered as? Result)).flatMap(render) }
        }
    }

    /// The answer stored in the commit of the request's last answered write, once that commit
    /// is durable; nil when none was.
    public var committedAnswer: Answer? { state.withLock { $0.committed } }

    /// The domain result `committedAnswer` was rendered from.
    public var committedResult: (any Sendable)? { state.withLock { $0.committedResult } }

    /// Ends the request: later writes (a task it started) no longer answer for it.
    public func close() { state.withLock { $0.isOpen = false } }

    /// The answer for `result`, rendered on the writer thread inside the job.
    func render(_ result: any Sendable) -> Answer? {
        guard let renderer = state.withLock({ $0.isOpen ? $0.renderer : nil }) else { return nil }
        return renderer(result)
    }

    /// Records that `answer`, rendered from `result`, landed durably with its effect.
    func landed(_ answer: Answer, from result: any Sendable) {
        let answered = (result as? any CarriesAnswer)?.answered ?? result
        state.withLock {
            $0.committed = answer
            $0.committedResult = answered
        }
    }
}

/// A write's result that holds, beside what the domain needs after the commit, the value the
/// request answers with: a keyed request renders its answer from `answered`, in that commit.
protocol CarriesAnswer: Sendable {
    var answered: any Sendable { get }
}
