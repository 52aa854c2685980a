import Hummingbird
public import HummingbirdCore
public import Logging
public import NIOCore

/// Hummingbird's HTTP/1 channel with the API's limits named and `ParserErrorResponder` placed
/// after its request decoder, so that requests refused before routing get the JSON envelope.
public struct MarketplaceHTTP1Channel: ServerChildChannel {
    public typealias Value = HTTP1Channel.Value

    /// The most headers a request may carry (Hummingbird's default).
    public static let headerCountMax = 1000
    /// The most bytes a request's headers may take, one header or all together (Hummingbird's default).
    public static let headerBytesMax = 80 * 1024

    let inner: HTTP1Channel

    public init(responder: @escaping HTTPChannelHandler.Responder) {
        let limits = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: Self.headerBytesMax, maxHeaderListSize: Self.headerBytesMax,
                                                                     maxHeaderFieldCount: Self.headerCountMax)
        inner = HTTP1Channel(responder: responder, configuration: .init(httpDecoderConfiguration: limits))
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try ParserErrorResponder.addAfterDecoder(of: channel)
            return value
        }
    }

    public func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the API's JSON refusals of requests the parser will not read.
    public static var marketplaceHTTP1: HTTPServerBuilder {
        .init { responder in MarketplaceHTTP1Channel(responder: responder) }
    }
}
