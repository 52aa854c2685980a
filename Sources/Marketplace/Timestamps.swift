public import Foundation

/// ISO 8601 times at the edges, microseconds since 1970 inside the ledger.
public enum Timestamps {
    /// Parses "2026-11-22T10:00:00Z" (fractional seconds and offsets allowed) to microseconds.
    public static func parse(_ text: String) throws(TimestampError) -> Int64 {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        guard let date = withFraction.date(from: text) ?? plain.date(from: text) else { throw TimestampError(text: text) }
        return Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// Formats microseconds as ISO 8601 in UTC with microsecond precision.
    public static func format(_ micros: Int64) -> String {
        let seconds = micros.quotientAndRemainder(dividingBy: 1_000_000)
        let (whole, fraction) = micros >= 0 || seconds.remainder == 0
            ? (seconds.quotient, seconds.remainder)
            : (seconds.quotient - 1, seconds.remainder + 1_000_000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let base = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(whole)))
        let digits = String(fraction)
        return base.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }
}

/// A time that is not ISO 8601.
public struct TimestampError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String { "'\(text)' is not an ISO 8601 time such as 2026-11-22T10:00:00Z" }
}
