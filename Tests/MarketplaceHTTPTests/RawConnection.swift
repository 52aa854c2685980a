import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A bare TCP connection to a live server, for tests that send half a request or nothing, and
/// watch what the server does with it. Everything that depends on time (what is sent when, when
/// bytes arrived, when the server closed) runs and is stamped on the connection's own event
/// loop, so a test whose tasks wait behind a busy cooperative pool still sees the server's
/// timing, not its own.
final class RawConnection: Sendable {
    /// What the server sent and when, as seen on the event loop.
    final class Events: Sendable {
        let state = Mutex((bytes: [UInt8](), writes: 0, opened: NIODeadline?.none, lastRead: NIODeadline?.none, closed: NIODeadline?.none))
        var text: String { String(decoding: state.withLock { $0.bytes }, as: UTF8.self) }
    }

    /// What the client sends, scheduled on the event loop the moment the connection is up.
    enum Plan: Sendable {
        case nothing
        /// Each text at its offset from the connection's start.
        case at([(after: TimeAmount, text: String)])
        /// `first`, then `next(1)`, `next(2)`, … every `interval` until the connection closes.
        case trickle(first: String, every: TimeAmount, next: @Sendable (Int) -> String)
    }

    /// Carries out the plan and records every inbound buffer.
    final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let events: Events
        let plan: Plan
        init(_ events: Events, plan: Plan) {
            self.events = events
            self.plan = plan
        }

        func channelActive(context: ChannelHandlerContext) {
            events.state.withLock { $0.opened = .now() }
            let channel = context.channel
            let events = events
            func write(_ text: String) {
                events.state.withLock { $0.writes += 1 }
                channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
            }
            switch plan {
            case .nothing:
                break
            case .at(let texts):
                for (after, text) in texts { context.eventLoop.scheduleTask(in: after) { write(text) } }
            case .trickle(let first, let interval, let next):
                let index = Mutex(0)
                let repeated = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { _ in
                    let count = index.withLock { $0 += 1; return $0 - 1 }
                    write(count == 0 ? first : next(count))
                }
                channel.closeFuture.whenComplete { _ in repeated.cancel() }
            }
            context.fireChannelActive()
        }
        func channelInactive(context: ChannelHandlerContext) {
            events.state.withLock { $0.closed = .now() }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            events.state.withLock {
                $0.bytes += buffer.readableBytesView
                $0.lastRead = .now()
            }
        }
    }

    let channel: any Channel
    let events: Events

    private init(channel: any Channel, events: Events) {
        self.channel = channel
        self.events = events
    }

    /// Connects to the server on `port` and carries out `plan`.
    static func open(port: Int, _ plan: Plan = .nothing) async throws -> RawConnection {
        let events = Events()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(events, plan: plan)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, events: events)
    }

    var text: String { events.text }
    var isOpen: Bool { events.state.withLock { $0.closed == nil } }

    /// Writes that the plan has made so far.
    var writes: Int { events.state.withLock { $0.writes } }

    /// Waits up to `limit` for the server to close; answers how long after opening it did, or
    /// nil when the connection is still open.
    func closed(within limit: Duration) async throws -> Duration? {
        _ = try await until(limit) { !self.isOpen }
        return events.state.withLock { state in state.closed.flatMap { closed in state.opened.map { Self.duration(closed - $0) } } }
    }

    /// How long the connection was quiet between the server's last bytes and its close.
    var quietBeforeClose: Duration? {
        events.state.withLock { state in state.closed.flatMap { closed in state.lastRead.map { Self.duration(closed - $0) } } }
    }

    /// True once what arrived holds `text` at least `count` times, waiting up to `limit`.
    func receives(_ text: String, count: Int = 1, within limit: Duration) async throws -> Bool {
        try await until(limit) { self.text.components(separatedBy: text).count - 1 >= count }
    }

    func close() async { try? await channel.close() }

    /// Polls `condition` until it holds or `limit` passes; answers whether it held.
    private func until(_ limit: Duration, _ condition: () -> Bool) async throws -> Bool {
        let start = ContinuousClock.now
        while !condition() {
            guard ContinuousClock.now - start < limit else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    static func duration(_ amount: TimeAmount) -> Duration { .nanoseconds(amount.nanoseconds) }
}
