import Foundation
import Testing
@testable import Marketplace

struct TimestampsTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (1, "1970-01-01T00:00:00.000001Z"),
        (-1, "1969-12-31T23:59:59.999999Z"),
        (951_782_400_000_000, "2000-02-29T00:00:00.000000Z"),
        (1_795_397_085_780_600, "2026-11-23T01:24:45.780600Z"),
        (4_107_542_399_999_999, "2100-02-28T23:59:59.999999Z"),
    ])
    func formatsExactlyInUTC(micros: Int64, expected: String) {
        #expect(Timestamps.format(micros) == expected)
    }

    /// Against Foundation's own formatter, over a spread of times, and back through `parse`.
    @Test func agreesWithFoundationAndParsesBack() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var micros: Int64 = -2_208_988_800_000_000  // 1900-01-01
        while micros < 7_258_118_400_000_000 {       // 2200-01-01
            let text = Timestamps.format(micros)
            let seconds = micros / 1_000_000 - (micros % 1_000_000 < 0 ? 1 : 0)
            #expect(String(text.prefix(19)) + "Z" == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))))
            #expect(try Timestamps.parse(text) == micros)
            micros += 3_196_799_999_937  // about 37 days and an odd number of microseconds: every month over 300 years
        }
    }
}

struct TimestampParsingTests {
    @Test(arguments: [
        ("2026-11-22T10:00:00Z", Int64(1_795_341_600_000_000)), ("2026-11-22T10:00:00.5Z", 1_795_341_600_500_000),
        ("2026-11-22T10:00:00.000001Z", 1_795_341_600_000_001), ("2026-11-22T12:00:00+02:00", 1_795_341_600_000_000),
    ])
    func parsesExactly(text: String, expected: Int64) throws {
        #expect(try Timestamps.parse(text) == expected)
    }

    @Test(arguments: ["yesterday", "2026-11-22", "2026-11-22T10:00:00.1234567Z", "2026-11-22T10:00:00.Z", ""])
    func refusesWhatIsNotAnISO8601Time(text: String) {
        #expect(throws: TimestampError.self) { try Timestamps.parse(text) }
    }
}
