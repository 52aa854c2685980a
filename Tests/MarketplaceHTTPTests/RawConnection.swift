import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A bare TCP connection to a live server, for tests that send half a request or nothing,
/// and watch what the server does with it.
final class RawConnection: Sendable {
    /// What the server sent, as it arrived.
    final class Received: Sendable {
        let bytes = Mutex<[UInt8]>([])
        var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
    }

    /// Appends every inbound buffer to `received`.
    final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let received: Received
        init(_ received: Received) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.bytes.withLock { $0 += buffer.readableBytesView }
        }
    }

    let channel: any Channel
    let received: Received

    private init(channel: any Channel, received: Received) {
        self.channel = channel
        self.received = received
    }

    static func open(port: Int) async throws -> RawConnection {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(received)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    func send(_ text: String) async throws { try await channel.writeAndFlush(ByteBuffer(string: text)) }

    var isOpen: Bool { channel.isActive }

    /// How long until the server closed the connection, or nil when it is still open after `limit`.
    func closed(within limit: Duration) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if !channel.isActive { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        return channel.isActive ? nil : ContinuousClock.now - start
    }

    /// True once what arrived contains `text`, waiting up to `limit`.
    func receives(_ text: String, within limit: Duration) async throws -> Bool {
        try await receives(count: 1, of: text, within: limit)
    }

    /// True once what arrived contains `text` at least `count` times, waiting up to `limit`.
    func receives(count: Int, of text: String, within limit: Duration) async throws -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if occurrences(of: text) >= count { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return occurrences(of: text) >= count
    }

    private func occurrences(of text: String) -> Int { received.text.components(separatedBy: text).count - 1 }

    func close() async { try? await channel.close() }
}
