public import Hummingbird

/// The request decoder of `APIContext`: whatever decodes a body through the context gets the
/// same strict reading as the handlers (`RequestBody`).
public struct StrictRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        try await RequestBody.decode(type, from: request, context: context)
    }
}
