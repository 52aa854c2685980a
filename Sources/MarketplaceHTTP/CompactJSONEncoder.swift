public import Foundation
public import Hummingbird
public import Marketplace

/// The API's response encoder: `CompactJSON.api`, the same bytes as
/// `JSONOutput.encoder(pretty: false)` (snake_case keys, sorted; slashes unescaped; nil
/// optionals left out) at a fraction of its cost, which the request path pays on every answer.
public struct CompactJSONEncoder: ResponseEncoder, Sendable {
    public init() {}

    /// The JSON bytes of `value`.
    public func encode(_ value: some Encodable) throws -> [UInt8] {
        try CompactJSON.api.encode(value)
    }

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let bytes = try encode(value)
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
