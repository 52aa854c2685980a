import Foundation
import Testing
@testable import MarketplaceHTTP
import MarketplaceViews

/// The response encoder (`JSONOutput.compact` behind `APIJSONEncoder`) writes exactly the bytes Foundation's JSONEncoder writes with the API's
/// settings (snake_case keys, sorted, slashes unescaped), for every shape the views use.
struct APIJSONStyleTests {
    struct Inner: Encodable {
        let taskID: String
        let fundURL: URL
        let amountMinor: Int64
        let ratio: Double
        let weight: Float
        let tags: [String]
    }

    struct Sample: Encodable {
        let id: String
        let success: Bool
        let availableMinor: Int64
        let smallCount: Int32
        let unsignedCount: UInt8
        let latitude: Double
        let wholeDouble: Double
        let tinyDouble: Double
        let missing: String?
        let present: String?
        let text: String
        let inner: Inner
        let inners: [Inner]
        let empty: [Int]
        let emptyObject: [String: Int]
        let counts: [String: Int]
        let nested: [[Int64]]
        let whenCreated: Date
        let blob: Data
        let sha256Hash: String
        let isURLSafe: Bool
        let a_b: Int
        let ab: Int
    }

    private func sample(_ seed: Int) -> Sample {
        let inner = Inner(taskID: "tsk_\(seed)", fundURL: URL(string: "https://example.com/v1/tasks/tsk_\(seed)/fund?x=1&y=/z")!,
                          amountMinor: Int64(seed) * 1_000_003, ratio: Double(seed) / 7, weight: Float(seed) / 10, tags: ["a", "b/c", "ünï", ""])
        return Sample(id: "id-\(seed)", success: seed % 2 == 0, availableMinor: seed % 3 == 0 ? .max : .min + Int64(seed),
                      smallCount: Int32(-seed), unsignedCount: UInt8(seed % 256), latitude: 37.7749 + Double(seed), wholeDouble: Double(seed),
                      tinyDouble: 1e-7 * Double(seed + 1), missing: nil, present: "here",
                      text: "quote \" backslash \\ slash / newline \n tab \t bell \u{07} nul \u{00} emoji 🙂 é",
                      inner: inner, inners: [inner, inner], empty: [], emptyObject: [:], counts: ["taskCount": seed, "zeta": 1, "alpha_beta": 2],
                      nested: [[1, 2], [], [Int64(seed)]], whenCreated: Date(timeIntervalSinceReferenceDate: Double(seed) * 1_000.5),
                      blob: Data([0, 1, 2, 250, UInt8(seed % 256)]), sha256Hash: "h", isURLSafe: true, a_b: 1, ab: 2)
    }

    @Test(arguments: 0..<25)
    func sameBytesAsFoundation(seed: Int) throws {
        let value = sample(seed)
        let foundation = try JSONOutput.encoder(pretty: false).encode(value)
        let compact = try APIJSONEncoder().encode(value)
        #expect(String(decoding: compact, as: UTF8.self) == String(decoding: foundation, as: UTF8.self))
    }

    @Test func theAPIsEnvelopeMatchesToo() throws {
        let envelope = Envelope(["walletID": "wal_1", "currency": "USD"])
        #expect(try APIJSONEncoder().encode(envelope) == Array(try JSONOutput.encoder(pretty: false).encode(envelope)))
    }

    @Test func aNonFiniteNumberIsRefused() {
        #expect(throws: EncodingError.self) { try APIJSONEncoder().encode(["x": Double.nan]) }
    }
}
