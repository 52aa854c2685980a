import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel with the marketplace's own handlers put right after the
/// HTTP decoder, where they see each request head, body part and end (and the decoder's
/// errors) as they come. The one place that adds handlers there.
struct LimitedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel
    let limits: ConnectionLimits

    /// The handlers after the decoder, in pipeline order; a fresh set per connection.
    func handlersAfterDecoder() -> [any ChannelHandler] {
        [ConnectionTimeoutHandler(limits: limits)]
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
    /// HTTP/1 with the marketplace's connection timeouts.
    static func http1(limits: ConnectionLimits) -> HTTPServerBuilder {
        .init { responder in LimitedHTTP1Channel(base: HTTP1Channel(responder: responder), limits: limits) }
    }
}
