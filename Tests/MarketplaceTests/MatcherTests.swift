import Testing
@testable import Marketplace

/// The matching rules on their own: references first (one to one, one to many), then amount,
/// currency and time within one kind of line, then what is left on each side.
struct MatcherTests {
    static let day: Int64 = 86_400_000_000

    static func item(_ id: String, _ kind: String, _ amount: Int64, at time: Int64 = 0, asset: String = "USD", refs: [String] = []) -> ReconciliationItem {
        ReconciliationItem(id: id, kind: kind, amountMinor: amount, asset: asset, time: time, references: refs, label: kind)
    }

    static func match(_ ledger: [ReconciliationItem], _ processor: [ReconciliationItem], policy: ReconciliationPolicy = .standard) -> ConnectorMatch {
        Matcher.match(connector: "stripe", ledger: ledger, processor: processor, policy: policy, from: 0, to: 100 * day)
    }

    @Test func oneProcessorLineCoveringSeveralLedgerTransfersMatchesWhenTheSumsAgree() {
        // A payout batch: one line at the processor for two ledger settlements, and the reverse.
        let batch = Self.match([Self.item("#1", "transfer", -700, refs: ["po_1"]), Self.item("#2", "transfer", -300, refs: ["po_1"])],
                               [Self.item("txn_1", "transfer", -1_000, refs: ["po_1"])])
        #expect(batch.breaks.isEmpty)
        #expect(batch.matchedByReference == 1)
        let split = Self.match([Self.item("#3", "charge", 1_000, refs: ["pi_1"])],
                               [Self.item("txn_2", "charge", 600, refs: ["pi_1"]), Self.item("txn_3", "charge", 400, refs: ["pi_1"])])
        #expect(split.breaks.isEmpty)
        let short = Self.match([Self.item("#4", "charge", 1_000, refs: ["pi_2"])],
                               [Self.item("txn_4", "charge", 600, refs: ["pi_2"]), Self.item("txn_5", "charge", 300, refs: ["pi_2"])])
        #expect(short.breaks.map(\.kind) == [.amountMismatch])
    }

    @Test func withoutAReferenceAmountCurrencyKindAndTimeDecide() {
        let ledger = [Self.item("#1", "charge", 2_750, at: 10 * Self.day), Self.item("#2", "refund", -2_750, at: 10 * Self.day)]
        let processor = [Self.item("txn_1", "refund", -2_750, at: 11 * Self.day), Self.item("txn_2", "charge", 2_750, at: 14 * Self.day)]
        let result = Self.match(ledger, processor)
        // The refund matches within the 3-day window; the charge 4 days later does not, and a
        // charge never matches a refund of the same amount.
        #expect(result.matchedByAmount == 1)
        #expect(result.breaks.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.missingAtProcessor, .missingInLedger])
        let wider = Self.match(ledger, processor, policy: ReconciliationPolicy(windowSeconds: 5 * 86_400))
        #expect(wider.breaks.isEmpty)
        #expect(wider.matchedByAmount == 2)
        // A cent off matches only with a tolerance.
        let cent = [Self.item("txn_3", "charge", 2_751, at: 10 * Self.day)]
        #expect(Self.match([ledger[0]], cent).breaks.count == 2)
        #expect(Self.match([ledger[0]], cent, policy: ReconciliationPolicy(toleranceMinor: 1)).breaks.isEmpty)
        // Another currency never matches on amount.
        #expect(Self.match([ledger[0]], [Self.item("txn_4", "charge", 2_750, at: 10 * Self.day, asset: "USDC")]).breaks.count == 2)
    }

    @Test func breaksOutsideThePeriodAreLeftToTheRunThatCoversThem() {
        let early = Self.item("#1", "charge", 100, at: -Self.day)
        let late = Self.item("txn_1", "refund", -100, at: 101 * Self.day)
        #expect(Self.match([early], [late]).breaks.isEmpty)
        #expect(Self.match([Self.item("#2", "charge", 100, at: Self.day)], []).breaks.map(\.reference) == ["#2"])
    }
}
