public import Foundation
public import Hummingbird
import Marketplace
import MarketplaceViews

/// The API's response encoder, in the API's one style (`JSONOutput.encoder(pretty: false)`:
/// snake_case keys, sorted, slashes unescaped, nil optionals left out), written by
/// `JSONOutput.compact`: the same bytes as JSONEncoder (checked in tests), and cheaper by a
/// measure `bench api` shows (README, Performance).
public struct APIJSONEncoder: ResponseEncoder, Sendable {
    public init() {}

    /// The JSON bytes of `value`.
    public func encode(_ value: some Encodable) throws -> [UInt8] {
        try JSONOutput.compact.encode(value)
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
