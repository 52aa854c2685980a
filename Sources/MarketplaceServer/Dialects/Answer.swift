import Hummingbird

/// A dialect's answer as it is, without /v1's envelope: the view's own JSON at the top level.
struct Answer<View: Encodable & Sendable>: ResponseEncodable, Sendable {
    let view: View

    init(_ view: View) { self.view = view }

    func encode(to encoder: any Encoder) throws { try view.encode(to: encoder) }
}
