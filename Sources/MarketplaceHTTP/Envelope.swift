public import Hummingbird

/// A successful answer: `{"success": true, "data": …}`; a list of notifications also says how
/// many are unread (`unread_count`, beside `data`, as the seed APIs answer it).
public struct Envelope<Payload: Encodable & Sendable>: ResponseEncodable, Sendable {
    public let success = true
    public let data: Payload
    public let unreadCount: Int?

    public init(_ data: Payload, unreadCount: Int? = nil) {
        self.data = data
        self.unreadCount = unreadCount
    }
}
