import Testing
@testable import LedgerCore

struct HistoryTests {
    @Test func balancesAsOfAPointInTimeReplayTheJournal() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        let start = test.clock.now
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd)])
        test.clock.advance(seconds: 10)
        _ = try await test.ledger.commit([.pending(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 400, asset: .usd)])
        test.clock.advance(seconds: 10)
        _ = try await test.ledger.commit([.post(id: TransferID(3), pending: TransferID(2), amountMinor: 300)])

        #expect(try test.ledger.balance(of: wallets[0], asOf: start - 1) == .zero)
        #expect(try test.ledger.balance(of: wallets[0], asOf: start) == AccountBalance(creditsPosted: 1_000))
        #expect(try test.ledger.balance(of: wallets[0], asOf: start + 10_000_000) == AccountBalance(debitsPending: 400, creditsPosted: 1_000))
        #expect(try test.ledger.balance(of: wallets[0], asOf: start + 20_000_000) == AccountBalance(debitsPosted: 300, creditsPosted: 1_000))
        #expect(try test.ledger.balance(of: wallets[0], asOf: test.clock.now) == test.balance(wallets[0]))
        #expect(try test.ledger.balance(of: AccountID(999), asOf: start) == nil)
    }

    @Test func statementsPageThroughNarrowAndWideCommits() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 100)
        // Wide: one commit touching more accounts than the narrow index takes.
        var id: Int64 = 0
        let wide = wallets.map { wallet -> TransferRequest in
            id += 1
            return .posted(id: TransferID(id), debit: source, credit: wallet, amountMinor: 100, asset: .usd)
        }
        _ = try await test.ledger.commit(wide)
        // Narrow: single transfers between the first two wallets.
        for _ in 0..<7 {
            id += 1
            _ = try await test.ledger.commit([.posted(id: TransferID(id), debit: wallets[0], credit: wallets[1], amountMinor: 1, asset: .usd)])
        }
        var seen: [Int64] = []
        var cursor: StatementCursor?
        var pages = 0
        repeat {
            let page = try #require(try test.ledger.statement(of: wallets[0], after: cursor, limit: 3))
            seen += page.entries.map(\.transfer.seq)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil
        #expect(seen == [1] + (101...107).map { Int64($0) })
        #expect(pages == 3)
        let other = try #require(try test.ledger.statement(of: wallets[50], limit: 10))
        #expect(other.entries.map(\.transfer.seq) == [51])
        #expect(other.entries[0].isDebit == false)
        #expect(!other.hasMore)
        let sourcePage = try #require(try test.ledger.statement(of: source, limit: 500))
        #expect(sourcePage.entries.count == 100)
        #expect(sourcePage.entries.allSatisfy { $0.isDebit })
    }

    @Test func theAccountSetBlobFindsExactlyItsMembers() {
        let members: [Int64] = [3, 4, 200, 201, 70_000, 9_000_000_000]
        let blob = AccountSet.encode(members.shuffled())
        for id in members { #expect(AccountSet.contains(blob, id)) }
        for id: Int64 in [1, 2, 5, 199, 202, 69_999, 70_001, 9_000_000_001] { #expect(!AccountSet.contains(blob, id)) }
    }
}
