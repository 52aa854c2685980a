import Testing
@testable import LedgerCore

struct MinorUnitsTests {
    @Test(arguments: [
        ("12.34", 2, Int64(1234)), ("12", 2, 1200), ("0.5", 2, 50), ("-0.05", 2, -5),
        ("1.500", 2, 150), ("0.000001", 6, 1), ("123456.789012", 6, 123_456_789_012), ("1", 9, 1_000_000_000),
        ("92233720368547758.07", 2, Int64.max), ("0", 0, 0), ("007", 0, 7),
    ])
    func parsesDecimalStringsExactly(text: String, scale: Int, expected: Int64) throws {
        #expect(try MinorUnits.parse(text, scale: scale) == expected)
    }

    @Test(arguments: [("12.345", 2), ("0.0000001", 6), ("1.5", 0), ("0.0000000001", 9)])
    func refusesMoreDecimalsThanTheAssetHas(text: String, scale: Int) {
        #expect(throws: AmountError.tooManyDecimals(text, scale: scale)) { try MinorUnits.parse(text, scale: scale) }
    }

    @Test(arguments: ["", ".", "1.", ".5", "1e3", "1.2.3", " 1", "1 ", "abc", "--1", "+7.1", "+5", "-+1", "1,00", "0x10", "NaN", "∞"])
    func refusesAnythingButPlainDecimals(text: String) {
        #expect(throws: AmountError.malformed(text)) { try MinorUnits.parse(text, scale: 2) }
    }

    @Test(arguments: ["92233720368547758.08", "100000000000000000000"])
    func refusesValuesBeyondSixtyFourBits(text: String) {
        #expect(throws: AmountError.outOfRange(text)) { try MinorUnits.parse(text, scale: 2) }
    }

    @Test(arguments: [(Int64(1234), 2, "12.34"), (5, 2, "0.05"), (-5, 2, "-0.05"), (0, 6, "0.000000"), (7, 0, "7"),
                      (Int64.min, 2, "-92233720368547758.08"), (1_000_000_000, 9, "1.000000000")])
    func formatsWithExactlyTheAssetsDecimals(minor: Int64, scale: Int, expected: String) {
        #expect(MinorUnits.format(minor, scale: scale) == expected)
    }

    @Test func formatThenParseIsTheIdentity() throws {
        for value in [Int64(0), 1, -1, 99, 100, 101, 123_456_789, Int64.max, Int64.min + 1] {
            for scale in [0, 2, 6, 9] {
                #expect(try MinorUnits.parse(MinorUnits.format(value, scale: scale), scale: scale) == value)
            }
        }
    }

    @Test func arithmeticRefusesOverflowInsteadOfWrapping() throws {
        #expect(throws: AmountError.overflow) { try MinorUnits.add(Int64.max, 1) }
        #expect(throws: AmountError.overflow) { try MinorUnits.subtract(Int64.min, 1) }
        #expect(try MinorUnits.add(40, 2) == 42)
        #expect(try MinorUnits.subtract(40, 2) == 38)
    }
}
