import Testing
@testable import Marketplace

/// Ids keep their shape (prefix, underscore, 20 base62 characters), sort by the time they were
/// made, and do not repeat.
struct IdentifierTests {
    @Test func idsSortByTimeAndDoNotRepeat() {
        let times: [Int64] = [0, 1, 61, 62, 1_763_900_000_000_000, 1_763_900_000_000_001, 1_763_900_000_123_456, 9_000_000_000_000_000]
        let ids = times.map { Secrets.id("tsk", nowMicros: $0) }
        for id in ids {
            #expect(id.hasPrefix("tsk_"))
            #expect(id.count == 24)
            #expect(id.dropFirst(4).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
        #expect(ids == ids.sorted())
        let many = Set((0..<10_000).map { _ in Secrets.id("ntf", nowMicros: 5) })
        #expect(many.count == 10_000)
    }
}
