import Testing
@testable import LedgerCore

struct IdempotencyTests {
    @Test func theSameKeyAndRequestReturnsTheFirstResult() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 1)
        let batch = TransferBatch([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 700, asset: .usd, metadata: "{\"task\":1}")],
                                  idempotencyKey: "fund-task-1")
        let first = try await test.ledger.commit(batch)
        let before = try test.snapshot()
        let second = try await test.ledger.commit(batch)
        #expect(!first.replayed)
        #expect(second.replayed)
        #expect(second.transfers == first.transfers)
        #expect(try test.snapshot() == before)
        #expect(try test.available(wallets[0]) == 700)
    }

    @Test func theSameKeyWithAnotherRequestIsAConflict() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 1)
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 700, asset: .usd)], idempotencyKey: "k")
        let before = try test.snapshot()
        let changedAmount = await ledgerError {
            _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 701, asset: .usd)], idempotencyKey: "k")
        }
        let changedID = await ledgerError {
            _ = try await test.ledger.commit([.posted(id: TransferID(2), debit: source, credit: wallets[0], amountMinor: 700, asset: .usd)], idempotencyKey: "k")
        }
        #expect(changedAmount == .idempotencyConflict(key: "k"))
        #expect(changedID == .idempotencyConflict(key: "k"))
        #expect(changedID?.field == "idempotency_key")
        #expect(try test.snapshot() == before)
    }

    @Test func concurrentRetriesWithOneKeyCommitOnce() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 1)
        let batch = TransferBatch([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 5, asset: .usd)], idempotencyKey: "retry")
        let receipts = try await withThrowingTaskGroup(of: CommitReceipt.self) { group in
            for _ in 0..<20 { group.addTask { try await test.ledger.commit(batch) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(receipts.filter { !$0.replayed }.count == 1)
        #expect(Set(receipts.map(\.transfers)).count == 1)
        #expect(try test.available(wallets[0]) == 5)
    }

    @Test func aRefusedRequestDoesNotTakeItsKey() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        let refused = await ledgerError {
            _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: wallets[0], credit: wallets[1], amountMinor: 5, asset: .usd)], idempotencyKey: "k")
        }
        #expect(refused == .exceedsCredits(index: 0, account: wallets[0], availableMinor: 0, requestedMinor: 5))
        let accepted = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 5, asset: .usd)], idempotencyKey: "k")
        #expect(!accepted.replayed)
        let badKey = await ledgerError {
            _ = try await test.ledger.commit([.posted(id: TransferID(2), debit: source, credit: wallets[0], amountMinor: 5, asset: .usd)], idempotencyKey: "")
        }
        #expect(badKey == .idempotencyKeyInvalid)
    }
}
