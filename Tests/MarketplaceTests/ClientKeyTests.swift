import LedgerCore
import Testing
@testable import Marketplace

/// A client's Idempotency-Key, scoped for the ledger, always fits the ledger's key limit with
/// room for the suffixes a withdrawal adds, and keys that fitted keep their old form.
struct ClientKeyTests {
    @Test func scopedKeysFitTheLedgerAndStayDistinct() throws {
        let scope = "withdraw:usr_0123456789abcdefghij"
        #expect(try SettlementService.clientKey("w1", scope: scope, suffixLength: 7) == "\(scope):w1")

        let longest = String(repeating: "é", count: SettlementService.idempotencyKeyLengthMax)
        let sibling = String(longest.dropLast()) + "e"
        let a = try SettlementService.clientKey(longest, scope: scope, suffixLength: 7)
        let b = try SettlementService.clientKey(sibling, scope: scope, suffixLength: 7)
        #expect(a == (try SettlementService.clientKey(longest, scope: scope, suffixLength: 7)))
        #expect(a != b)
        #expect(a.hasPrefix("\(scope):#"))
        #expect(a.count + 7 <= TransferBatch.idempotencyKeyLengthMax)
        // SHA-256 of 255 "é" (UTF-8 c3 a9), from Python's hashlib.
        #expect(a.dropFirst(scope.count + 2) == "2a1d012ff2a7aa952e3c47c73e8a32863ee9c7d7b2a87810b18372f632cda48c")

        // The boundary: a key that fits with the suffix stays plain; one character more is hashed.
        let fitting = String(repeating: "x", count: TransferBatch.idempotencyKeyLengthMax - 7 - scope.count - 1)
        #expect(try SettlementService.clientKey(fitting, scope: scope, suffixLength: 7) == "\(scope):\(fitting)")
        #expect(try SettlementService.clientKey(fitting + "x", scope: scope, suffixLength: 7).hasPrefix("\(scope):#"))

        #expect(throws: MarketplaceError.self) { try SettlementService.clientKey("", scope: scope) }
        #expect(throws: MarketplaceError.self) { try SettlementService.clientKey(longest + "é", scope: scope) }
    }
}
