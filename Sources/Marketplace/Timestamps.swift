public import Foundation

/// ISO 8601 times at the edges, microseconds since 1970 inside the ledger.
public enum Timestamps {
    /// Parses "2026-11-22T10:00:00Z" (up to six fractional digits, any offset) to microseconds,
    /// exactly: the fraction is read as digits, never through a floating-point date.
    public static func parse(_ text: String) throws(TimestampError) -> Int64 {
        var whole = text
        var fractionMicros: Int64 = 0
        if let point = text.firstIndex(of: "."), text[..<point].contains("T") {
            let digits = text[text.index(after: point)...].prefix { $0.isASCII && $0.isNumber }
            guard (1...6).contains(digits.count), let value = Int64(digits) else { throw TimestampError(text: text) }
            fractionMicros = value * Int64(pow10(6 - digits.count))
            whole = String(text[..<point]) + text[digits.endIndex...]
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: whole) else { throw TimestampError(text: text) }
        // Whole seconds since 1970 are exact in a Double for any date a task can have.
        return Int64(date.timeIntervalSince1970) * 1_000_000 + fractionMicros
    }

    private static func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { result, _ in result * 10 } }

    /// Formats microseconds as ISO 8601 in UTC with microsecond precision
    /// ("2026-11-22T10:00:00.000000Z"). Every resource's times pass through here, so it uses
    /// integer calendar arithmetic (days to civil date, proleptic Gregorian) and no formatter.
    public static func format(_ micros: Int64) -> String {
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3_600, 2)):\(pad(secondOfDay / 60 % 60, 2)):"
            + "\(pad(secondOfDay % 60, 2)).\(pad(fraction, 6))Z"
    }

    /// Whole days since 1970-01-01 (UTC) of a time in microseconds, rounded down.
    public static func days(_ micros: Int64) -> Int64 { floorDivide(micros, 86_400_000_000).0 }

    /// "2026-11-22" for a day number since 1970.
    public static func date(days: Int64) -> String {
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The day number since 1970 of a civil date (Howard Hinnant's days-from-civil), exact.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// (quotient, remainder) rounded toward negative infinity, so times before 1970 format too.
    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Howard Hinnant's days-to-civil algorithm: exact for every day of the proleptic Gregorian calendar.
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// A time that is not ISO 8601.
public struct TimestampError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String { "'\(text)' is not an ISO 8601 time such as 2026-11-22T10:00:00Z" }
}
