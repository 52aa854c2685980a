public import Foundation
public import Hummingbird
import MarketplaceViews

/// The API's response encoder: Foundation's JSONEncoder in the API's one style
/// (`JSONOutput.encoder(pretty: false)`: snake_case keys, sorted, slashes unescaped, nil
/// optionals left out). A hand-written encoder with the same bytes was measured to make no
/// difference to `bench api`, so the standard one does the job.
public struct APIJSONEncoder: ResponseEncoder, Sendable {
    public init() {}

    /// The JSON bytes of `value`.
    public func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try JSONOutput.encoder(pretty: false).encode(value))
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
