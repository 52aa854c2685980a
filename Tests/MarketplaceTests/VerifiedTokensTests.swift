import Foundation
import Testing
@testable import Marketplace

/// The cache of verified access tokens answers only for the exact token, only until its expiry,
/// and stays bounded.
struct VerifiedTokensTests {
    @Test func aTokenIsKnownUntilItExpiresAndNoLonger() {
        let cache = VerifiedTokens()
        let now = Date(timeIntervalSince1970: 1_000)
        cache.remember("token-a", (userID: "usr_1", mode: .test, role: .agent, isAdmin: false), until: now.addingTimeInterval(60))
        #expect(cache.claims(of: "token-a", at: now)?.userID == "usr_1")
        #expect(cache.claims(of: "token-a ", at: now) == nil)
        #expect(cache.claims(of: "token-a", at: now.addingTimeInterval(60)) == nil)
        // Once expired it is forgotten, even if asked about an earlier time afterwards.
        #expect(cache.claims(of: "token-a", at: now) == nil)
    }

    @Test func aFullCacheStartsAgainRatherThanGrow() {
        let cache = VerifiedTokens()
        let later = Date(timeIntervalSince1970: 10_000)
        for index in 0..<VerifiedTokens.entriesMax {
            cache.remember("token-\(index)", (userID: "usr_\(index)", mode: .test, role: nil, isAdmin: nil), until: later)
        }
        #expect(cache.claims(of: "token-0", at: .init(timeIntervalSince1970: 0)) != nil)
        cache.remember("one more", (userID: "usr_x", mode: .live, role: nil, isAdmin: nil), until: later)
        #expect(cache.claims(of: "token-0", at: .init(timeIntervalSince1970: 0)) == nil)
        #expect(cache.claims(of: "one more", at: .init(timeIntervalSince1970: 0))?.mode == .live)
    }
}
