import NIOCore
import NIOPosix

/// `bench api`'s load generator: one keep-alive HTTP/1.1 connection that sends one request at
/// a time as prepared bytes and reads each answer by its status line and `Content-Length`.
/// It does a load generator's work only (as wrk does), so that the CPU it takes from the two
/// cores it shares with the server is small; HummingbirdTesting's client, a general one
/// (request and response codecs, header objects, a promise queue), took about a tenth of
/// `bench api`'s CPU. A chunked or unreadable answer fails the request.
final class BenchConnection: Sendable {
    struct Answer: Sendable {
        let status: Int
        let body: ByteBuffer
    }

    enum Failure: Error { case malformed(String), closed }

    private let channel: any Channel
    private let host: String

    private init(channel: any Channel, host: String) {
        self.channel = channel
        self.host = host
    }

    static func connect(host: String, port: Int) async throws -> BenchConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(AnswerReader()) } }
            .connect(host: host, port: port).get()
        return BenchConnection(channel: channel, host: "\(host):\(port)")
    }

    /// Sends `method path` with `headers` and `body` (JSON), and waits for its answer.
    func send(_ method: String, _ path: String, headers: [(String, String)], body: String?) async throws -> Answer {
        var request = channel.allocator.buffer(capacity: 256 + (body?.utf8.count ?? 0))
        request.writeString("\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n")
        for (name, value) in headers { request.writeString("\(name): \(value)\r\n") }
        if let body {
            request.writeString("Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            request.writeString(body)
        } else {
            request.writeString("Content-Length: 0\r\n\r\n")
        }
        let promise = channel.eventLoop.makePromise(of: Answer.self)
        channel.writeAndFlush(AnswerReader.Outbound(request: request, answer: promise), promise: nil)
        return try await promise.futureResult.get()
    }

    func close() async throws { try await channel.close() }

    /// Writes each request and completes its promise with the answer read back, in order.
    final class AnswerReader: ChannelDuplexHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundIn = Outbound
        typealias OutboundOut = ByteBuffer

        struct Outbound {
            let request: ByteBuffer
            let answer: EventLoopPromise<Answer>
        }

        private var waiting = CircularBuffer<EventLoopPromise<Answer>>()
        private var received: ByteBuffer?

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            let outbound = unwrapOutboundIn(data)
            waiting.append(outbound.answer)
            context.write(wrapOutboundOut(outbound.request), promise: promise)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            if received == nil { received = bytes } else { received!.writeBuffer(&bytes) }
            do {
                while let answer = try Self.answer(in: &received!) {
                    guard let promise = waiting.popFirst() else { throw Failure.malformed("an answer nobody asked for") }
                    promise.succeed(answer)
                }
                if received!.readableBytes == 0 { received = nil }
            } catch {
                fail(error)
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            fail(Failure.closed)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            fail(error)
            context.close(promise: nil)
        }

        private func fail(_ error: any Error) {
            while let promise = waiting.popFirst() { promise.fail(error) }
        }

        /// The first whole answer in `buffer`, consumed; nil while it is incomplete.
        static func answer(in buffer: inout ByteBuffer) throws -> Answer? {
            let view = buffer.readableBytesView
            guard let end = view.firstRange(of: [13, 10, 13, 10]) else { return nil }
            let head = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self)
            let lines = head.split(separator: "\r\n")
            guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
                  let status = Int(statusLine.dropFirst(9).prefix(3)) else { throw Failure.malformed("status line \(lines.first ?? "")") }
            var length = 0
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingPrefix(" ")
                if name == "content-length" { length = Int(value) ?? 0 }
                if name == "transfer-encoding" { throw Failure.malformed("a \(value) answer") }
            }
            let headLength = end.upperBound - view.startIndex
            guard buffer.readableBytes >= headLength + length else { return nil }
            buffer.moveReaderIndex(forwardBy: headLength)
            return Answer(status: status, body: buffer.readSlice(length: length)!)
        }
    }
}
