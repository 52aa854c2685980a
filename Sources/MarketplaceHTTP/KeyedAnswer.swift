import Foundation
import Hummingbird
import Marketplace

/// How a write route answers: it names the domain result its answer is made from, so that
/// under an `Idempotency-Key` the answer is rendered inside the commit of the write that
/// produced that result and lands with it (see `KeyedRequest`). Without a key it is an ordinary
/// JSON answer; with one, the client gets exactly the bytes that were stored.
enum KeyedAnswer {
    static let contentType = "application/json; charset=utf-8"

    /// Calls the domain and answers `render(result)` with `status(result)`.
    static func respond<Result: Sendable & Equatable>(
        _ type: Result.Type = Result.self,
        status: @escaping @Sendable (Result) -> HTTPResponse.Status = { _ in .ok },
        render: @escaping @Sendable (Result) -> any Encodable & Sendable,
        _ call: () async throws -> Result
    ) async throws -> Response {
        try await answer(type, status: status, render: render, call).response
    }

    /// Like `respond`, with the domain's result beside the answer (for work that follows it).
    static func answer<Result: Sendable & Equatable>(
        _ type: Result.Type = Result.self,
        status: @escaping @Sendable (Result) -> HTTPResponse.Status = { _ in .ok },
        render: @escaping @Sendable (Result) -> any Encodable & Sendable,
        _ call: () async throws -> Result
    ) async throws -> (response: Response, result: Result) {
        let keyed = KeyedRequest.current
        keyed?.answer(Result.self) { result in
            guard let bytes = try? APIJSONEncoder().encode(render(result)) else { return nil }
            return KeyedRequest.Answer(status: status(result).code, contentType: contentType, body: Data(bytes))
        }
        let result = try await call()
        // The answer that landed with the effect, when the result is still the one it was
        // rendered from (a standing order after the commit, such as an auto-approval, changes
        // it: the new answer is then stored after the handler, as any other).
        if let answer = keyed?.committedAnswer, keyed?.committedResult as? Result == result {
            return (IdempotencyMiddleware.response(answer, replayed: false), result)
        }
        let bytes = try APIJSONEncoder().encode(render(result))
        let response = Response(status: status(result), headers: [.contentType: contentType, .contentLength: String(bytes.count)],
                                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        return (response, result)
    }
}
