import NIOCore
import NIOHTTP1

/// Closes an HTTP/1 connection that keeps the server waiting: no complete request head within
/// the header-read timeout of accepting it, no next head within the idle timeout of the last
/// response, or a body not complete within the body-read timeout of its head. While a request
/// is being answered no timeout runs (the handler's own work is not the client's delay).
/// Sits right after the HTTP decoder, so a head trickled byte by byte counts as no head.
final class ConnectionTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let limits: ConnectionLimits
    /// Heads read whose response has not ended yet.
    private var requestsOpen = 0
    /// When the body being read must be complete; nil between bodies.
    private var bodyDeadline: NIODeadline?
    private var answeredAny = false
    private var timer: Scheduled<Void>?
    /// When the timer fires; nil when none is scheduled.
    private var timerFires: NIODeadline?
    /// The deadline in force; nil while a request is answered.
    private var current: NIODeadline?

    init(limits: ConnectionLimits) { self.limits = limits }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { rearm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        rearm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestsOpen += 1
            bodyDeadline = .now() + Self.timeAmount(limits.bodyReadTimeout)
        case .body:
            break
        case .end:
            bodyDeadline = nil
        }
        rearm(context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsOpen = max(0, requestsOpen - 1)
            answeredAny = true
            rearm(context)
        }
        context.write(data, promise: promise)
    }

    /// The deadline that applies now: the body's while one is read, none while a request is
    /// answered, else the wait for the next head.
    private var deadline: NIODeadline? {
        if let bodyDeadline { return bodyDeadline }
        if requestsOpen > 0 { return nil }
        return .now() + Self.timeAmount(answeredAny ? limits.idleTimeout : limits.headerReadTimeout)
    }

    /// Moves the connection's deadline. One timer runs per connection: it is scheduled anew
    /// only when the deadline comes earlier than it fires, and when it fires past a deadline
    /// that has moved later it waits again for that one. A request's parts and its answer
    /// move the deadline without scheduling (measured: a timer scheduled and cancelled per
    /// part was ~1% of `bench api`'s CPU).
    private func rearm(_ context: ChannelHandlerContext) {
        current = deadline
        guard let current else { return }
        if let fires = timerFires, fires <= current { return }
        schedule(at: current, context)
    }

    private func schedule(at deadline: NIODeadline, _ context: ChannelHandlerContext) {
        timer?.cancel()
        timerFires = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerFires = nil
            guard let current else { return }
            if current <= .now() {
                context.close(promise: nil)
            } else {
                schedule(at: current, context)
            }
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
        timerFires = nil
        current = nil
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
