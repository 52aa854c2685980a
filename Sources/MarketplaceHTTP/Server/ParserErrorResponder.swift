import NIOCore
import HTTPTypes
import NIOHTTP1

/// Answers a request that NIO's HTTP/1 parser refuses before any routing (headers over the size
/// or count limit, a NUL or other forbidden byte in a header, a malformed request line) with the
/// API's JSON error envelope, where Hummingbird would answer an empty 400. It sits right after
/// the request decoder, so it sees the parser's error before Hummingbird does; an error while a
/// response is still being written is left to Hummingbird, which then has the stream.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a refused connection may stay half-open for the client to read the answer.
    static let lingerSeconds: Int64 = 5

    /// Requests read whose responses have not ended.
    private var responsesPending = 0
    /// Set once the refusal is written: later bytes and the decoder's errors about them are dropped.
    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        if case .head = unwrapInboundIn(data) { responsesPending += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { responsesPending -= 1 }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if refused { return }
        guard let parserError = error as? HTTPParserError, responsesPending == 0 else {
            context.fireErrorCaught(error)
            return
        }
        refused = true
        respond(with: Self.refusal(for: parserError), context: context)
    }

    /// The refusal for a parser error: 431 for headers over a limit, 400 for anything else.
    static func refusal(for error: HTTPParserError) -> APIError {
        switch error {
        case .headerOverflow:
            APIError(.init(code: 431, reasonPhrase: "Request Header Fields Too Large"), code: "VALIDATION_ERROR",
                     message: "the request headers are over the limit: at most \(LimitedHTTP1Channel.headerCountMax) headers, "
                         + "\(LimitedHTTP1Channel.headerBytesMax) bytes in all", field: "headers")
        case .invalidHeaderToken, .invalidCharactersUsed, .invalidContentLength, .unexpectedContentLength:
            APIError.validation("a header holds a byte HTTP does not allow (NUL or another control character) or is malformed", field: "headers")
        default:
            APIError.validation("the request is not valid HTTP/1.1: \(error.debugDescription)", field: "request")
        }
    }

    /// Writes the envelope, half-closes so that the client can read it, and closes for good
    /// after `lingerSeconds`.
    private func respond(with refusal: APIError, context: ChannelHandlerContext) {
        let body = refusal.json()
        let headers = HTTPHeaders([("Content-Type", "application/json; charset=utf-8"), ("Content-Length", "\(body.count)"), ("Connection", "close")])
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: refusal.status.code, reasonPhrase: refusal.status.reasonPhrase),
                                    headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: .seconds(Self.lingerSeconds)) { channel.close(promise: nil) }
        }
    }
}
