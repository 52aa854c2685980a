import Testing
@testable import MarketplaceHTTP

/// The request line's hand-made pieces: the duration's decimals and the request id's shape.
@Suite struct RequestLogFormatTests {
    @Test(arguments: [
        (Duration.zero, "0.000"), (.microseconds(7), "0.007"), (.microseconds(1_250), "1.250"),
        (.nanoseconds(12_345_999), "12.345"), (.seconds(3) + .microseconds(40), "3000.040"), (.seconds(-1), "0.000"),
    ])
    func millisecondsHaveThreeExactDecimals(elapsed: Duration, printed: String) {
        #expect(RequestLogMiddleware.milliseconds(elapsed) == printed)
    }

    @Test func newIDsAreTwentyFourBase62CharactersAndDistinct() {
        let ids = (0..<1_000).map { _ in RequestLogMiddleware.newID() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("req_") && id.utf8.count == 28)
            #expect(RequestLogMiddleware.acceptable(id) == id)
        }
        // Every position draws from the whole alphabet (a stuck digit would show as one value).
        for position in 4..<28 {
            let seen = Set(ids.map { Array($0.utf8)[position] })
            #expect(seen.count > 40, "position \(position) took only \(seen.count) values")
        }
    }
}
