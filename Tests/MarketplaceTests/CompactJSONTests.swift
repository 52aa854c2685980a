import Foundation
import LedgerCore
import Testing
@testable import Marketplace

/// The storage style of CompactJSON (JSONEncoder's default keys) writes what JSONEncoder writes
/// (compared with sorted keys, where both orders are defined) and reads back through
/// JSONDecoder to the same value: operations' batches (enums with associated values, optional
/// fields) and task specs.
struct CompactJSONTests {
    private let sortedStorage = CompactJSON(snakeCaseKeys: false, sortedKeys: true)

    private func foundationSorted(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func batch(_ seed: Int64) -> TransferBatch {
        TransferBatch([
            .posted(id: TransferID(seed * 16), debit: AccountID(seed), credit: AccountID(seed + 1), amountMinor: seed * 1_234_567, asset: .usd,
                    code: 3, metadata: #"{"task":"tsk_\#(seed)","fee_rule":"2026-11-v1"}"#),
            .pending(id: TransferID(seed * 16 + 1), debit: AccountID(seed + 1), credit: AccountID(seed + 2), amountMinor: .max - seed, asset: .usdc,
                     timeoutSeconds: seed),
            .post(id: TransferID(seed * 16 + 2), pending: TransferID(seed * 16 + 1)),
        ], idempotencyKey: seed % 2 == 0 ? "fund:tsk_\(seed)" : nil)
    }

    @Test(arguments: 1...20)
    func aBatchIsWrittenAsJSONEncoderWritesItAndReadsBack(seed: Int) throws {
        let batch = batch(Int64(seed))
        #expect(try sortedStorage.string(batch) == (try foundationSorted(batch)))
        let stored = try CompactJSON.storage.string(batch)
        #expect(try JSONDecoder().decode(TransferBatch.self, from: Data(stored.utf8)) == batch)
    }

    @Test func aTaskSpecIsWrittenAsJSONEncoderWritesItAndReadsBack() throws {
        let draft = TaskDraft(title: "Photograph the storefront / entrance", description: "One daylight photo, \"wide\"\nand sharp",
                              category: "photography", budget: .init(amount: "25.50", currency: "USD"))
        let spec = try draft.validated(nowMicros: 1_763_900_000_000_000)
        #expect(try sortedStorage.string(spec) == (try foundationSorted(spec)))
        let stored = try CompactJSON.storage.string(spec)
        #expect(try JSONDecoder().decode(TaskSpec.self, from: Data(stored.utf8)) == spec)
    }
}
