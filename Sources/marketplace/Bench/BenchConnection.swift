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

        /// The first whole answer in `buffer`, consumed; nil while it is incomplete. Read from
        /// the bytes directly: the standard library's generic `firstRange(of:)` and header
        /// splitting took 3 % of the run's CPU in the load generator.
        static func answer(in buffer: inout ByteBuffer) throws -> Answer? {
            let parsed: (status: Int, headLength: Int, length: Int)? = try buffer.withUnsafeReadableBytes { bytes in
                var end = -1
                var index = 3
                while index < bytes.count {
                    if bytes[index] == 10, bytes[index - 1] == 13, bytes[index - 2] == 10, bytes[index - 3] == 13 { end = index + 1; break }
                    index += 1
                }
                guard end > 0 else { return nil }
                // "HTTP/1.1 200 …"
                guard end > 12, bytes[0] == UInt8(ascii: "H"), bytes[8] == UInt8(ascii: " ") else { throw Failure.malformed("status line") }
                var status = 0
                for offset in 9..<12 {
                    guard (48...57).contains(bytes[offset]) else { throw Failure.malformed("status code") }
                    status = status * 10 + Int(bytes[offset] - 48)
                }
                var length = 0
                var line = 0
                while line < end - 4 {  // each header line: find its end, then read it if it names the length or an encoding
                    var next = line
                    while next < end, bytes[next] != 13 { next += 1 }
                    if Self.names(bytes, line, "content-length:") {
                        var digit = line + 15
                        while digit < next, bytes[digit] == UInt8(ascii: " ") { digit += 1 }
                        while digit < next, (48...57).contains(bytes[digit]) {
                            length = length * 10 + Int(bytes[digit] - 48)
                            digit += 1
                        }
                    } else if Self.names(bytes, line, "transfer-encoding:") {
                        throw Failure.malformed("a transfer-encoded answer")
                    }
                    line = next + 2
                }
                return (status, end, length)
            }
            guard let parsed, buffer.readableBytes >= parsed.headLength + parsed.length else { return nil }
            buffer.moveReaderIndex(forwardBy: parsed.headLength)
            return Answer(status: parsed.status, body: buffer.readSlice(length: parsed.length)!)
        }

        /// Whether the line at `start` begins with `name` (lower case), in any case.
        private static func names(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ name: StaticString) -> Bool {
            let count = name.utf8CodeUnitCount
            guard start + count <= bytes.count else { return false }
            return name.withUTF8Buffer { name in (0..<count).allSatisfy { bytes[start + $0] | 0x20 == name[$0] | 0x20 } }
        }
    }
}
