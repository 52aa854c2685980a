import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with the API's limits named and the marketplace's own
/// handlers put right after the HTTP decoder, where they see each request head, body part and
/// end (and the decoder's errors) as they come: `ParserErrorResponder`, so that requests refused
/// before routing get the JSON envelope, then the connection timeouts. The one place that adds
/// handlers there.
struct LimitedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    /// The most headers a request may carry (Hummingbird's default).
    static let headerCountMax = 1000
    /// The most bytes a request's headers may take, one header or all together (Hummingbird's default).
    static let headerBytesMax = 80 * 1024

    let base: HTTP1Channel
    let limits: ConnectionLimits

    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits) {
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: Self.headerBytesMax, maxHeaderListSize: Self.headerBytesMax,
                                                                      maxHeaderFieldCount: Self.headerCountMax)
        base = HTTP1Channel(responder: responder, configuration: .init(httpDecoderConfiguration: decoder))
        self.limits = limits
    }

    /// The handlers after the decoder, in pipeline order; a fresh set per connection.
    func handlersAfterDecoder() -> [any ChannelHandler] {
        [ParserErrorResponder(), ConnectionTimeoutHandler(limits: limits)]
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            var previous: any ChannelHandler = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            for handler in handlersAfterDecoder() {
                try pipeline.addHandler(handler, position: .after(previous))
                previous = handler
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the API's JSON refusals of requests the parser will not read and the
    /// marketplace's connection timeouts.
    static func http1(limits: ConnectionLimits) -> HTTPServerBuilder {
        .init { responder in LimitedHTTP1Channel(responder: responder, limits: limits) }
    }
}
