public import Hummingbird
public import Foundation
public import Marketplace

/// The request context of every route: JSON in and out with snake_case keys, read strictly.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, set by `AuthMiddleware`; nil for anonymous requests.
    public var principal: Principal?
    /// The client's IP address, for anonymous callers' rate limits and keys: the socket's peer
    /// ("unknown" in tests), or the forwarded client when the peer is a trusted proxy
    /// (`ClientAddressMiddleware`).
    public var clientAddress: String
    /// The request's id (`RequestLogMiddleware`): in its log lines, its answer's `Request-Id`
    /// header and its error envelope.
    public var requestID = ""

    public init(source: Source) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The caller, or 401 when the request carried no credentials.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIError(.unauthorized, code: "UNAUTHORIZED", message: "send Authorization: Bearer <access token or API key>, or X-API-Key: <API key>") }
        return principal
    }

    /// Bodies are read strictly: see `RequestBody`.
    public var requestDecoder: StrictRequestDecoder { StrictRequestDecoder() }

    public var responseEncoder: APIJSONEncoder { APIJSONEncoder() }
}
