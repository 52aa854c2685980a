public import Hummingbird

/// A successful answer: `{"success": true, "data": …}`.
public struct Envelope<Payload: Encodable & Sendable>: ResponseEncodable, Sendable {
    public let success = true
    public let data: Payload

    public init(_ data: Payload) { self.data = data }
}
