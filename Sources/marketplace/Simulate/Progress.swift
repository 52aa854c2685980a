import Foundation
import Synchronization

/// How far a run is, on standard error: a bar redrawn in place when standard error is a
/// terminal, a plain line every few seconds otherwise, nothing when quiet. Standard output
/// stays for the summary alone.
final class Progress: Sendable {
    enum Style: Sendable { case bar, lines, off }

    private let style: Style
    private let total: Int
    private let started = ContinuousClock.now
    private let state = Mutex<(done: Int, drawn: ContinuousClock.Instant?)>((0, nil))

    static let barWidth = 30
    static let barRedrawInterval = Duration.milliseconds(100)
    static let lineInterval = Duration.seconds(5)

    init(total: Int, quiet: Bool) {
        self.total = total
        style = quiet ? .off : isatty(STDERR_FILENO) == 1 ? .bar : .lines
    }

    /// One more task settled.
    func advance() {
        guard style != .off else { return }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            state.done += 1
            let interval = style == .bar ? Self.barRedrawInterval : Self.lineInterval
            guard state.done == total || state.drawn.map({ now - $0 >= interval }) ?? true else { return nil }
            state.drawn = now
            return render(done: state.done, now: now)
        }
        if let line { write(line) }
    }

    /// Ends the bar's line.
    func finish() {
        if style == .bar { write("\n") }
    }

    private func render(done: Int, now: ContinuousClock.Instant) -> String {
        let elapsed = now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int((Double(done) / seconds).rounded()) : 0
        switch style {
        case .bar:
            let filled = total == 0 ? Self.barWidth : Self.barWidth * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: Self.barWidth - filled)
            return "\r[\(bar)] \(done)/\(total) tasks  \(rate)/s\u{1B}[K"  // erase what a longer line left
        case .lines: return "simulate: \(done)/\(total) tasks settled, \(rate)/s\n"
        case .off: return ""
        }
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
