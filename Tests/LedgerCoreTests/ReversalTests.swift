import Testing
@testable import LedgerCore

struct ReversalTests {
    @Test func aReversalRunsBackAndNamesTheOriginal() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 1)
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd)])
        let partial = try await test.ledger.commit([.reversal(id: TransferID(2), of: TransferID(1), amountMinor: 300)])
        #expect(partial.transfers[0].reversesID == TransferID(1))
        #expect(partial.transfers[0].debitAccountID == wallets[0])
        #expect(partial.transfers[0].creditAccountID == source)
        let rest = try await test.ledger.commit([.reversal(id: TransferID(3), of: TransferID(1))])
        #expect(rest.transfers[0].amountMinor == 700)
        #expect(try test.available(wallets[0]) == 0)
        let again = await ledgerError { _ = try await test.ledger.commit([.reversal(id: TransferID(4), of: TransferID(1), amountMinor: 1)]) }
        #expect(again == .reversalExceedsOriginal(index: 0, id: TransferID(1), remainingMinor: 0, requestedMinor: 1))
        #expect(try test.ledger.verify().isClean)
    }

    @Test func onlyPostedMovementsCanBeReversed() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        _ = try await test.ledger.commit([
            .posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd),
            .pending(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 100, asset: .usd),
        ])
        let before = try test.snapshot()
        let pending = await ledgerError { _ = try await test.ledger.commit([.reversal(id: TransferID(3), of: TransferID(2))]) }
        #expect(pending == .reversalTargetNotPosted(index: 0, id: TransferID(2)))
        let missing = await ledgerError { _ = try await test.ledger.commit([.reversal(id: TransferID(3), of: TransferID(99))]) }
        #expect(missing == .reversalTargetNotFound(index: 0, id: TransferID(99)))
        let twice = await ledgerError {
            _ = try await test.ledger.commit([
                .reversal(id: TransferID(3), of: TransferID(1), amountMinor: 600),
                .reversal(id: TransferID(4), of: TransferID(1), amountMinor: 600),
            ])
        }
        #expect(twice == .reversalExceedsOriginal(index: 1, id: TransferID(1), remainingMinor: 400, requestedMinor: 600))
        #expect(try test.snapshot() == before)
    }

    @Test func aReversalIsRefusedWhenTheMoneyIsGone() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        _ = try await test.ledger.commit([
            .posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd),
            .posted(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 900, asset: .usd),
        ])
        let error = await ledgerError { _ = try await test.ledger.commit([.reversal(id: TransferID(3), of: TransferID(1))]) }
        #expect(error == .exceedsCredits(index: 0, account: wallets[0], availableMinor: 100, requestedMinor: 1_000))
    }
}
