import Foundation
import GRDB
import Testing
@testable import LedgerCore

struct PeriodTests {
    @Test func balancesBeforeATimeMatchEachAccountsOwnHistory() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 3)
        let start = test.clock.now
        var id: Int64 = 0
        for round in 0..<6 {
            id += 1
            _ = try await test.ledger.commit([.posted(id: TransferID(id), debit: source, credit: wallets[round % 3], amountMinor: 500, asset: .usd)])
            id += 1
            _ = try await test.ledger.commit([.pending(id: TransferID(id), debit: wallets[round % 3], credit: wallets[(round + 1) % 3], amountMinor: 100, asset: .usd)])
            if round % 2 == 0 { _ = try await test.ledger.commit([.post(id: TransferID(id + 1_000), pending: TransferID(id), amountMinor: 60)]) }
            test.clock.advance(seconds: 60)
        }
        for minute in 0...6 {
            let before = start + Int64(minute) * 60_000_000
            let all = try test.ledger.balances(before: before)
            for account in [source] + wallets {
                #expect((all[account] ?? .zero) == (try test.ledger.balance(of: account, asOf: before - 1) ?? .zero))
            }
        }
        // Far enough ahead, the replay equals the stored balances.
        let now = try test.ledger.balances(before: .max)
        for account in [source] + wallets { #expect(now[account] == (try test.balance(account))) }
        var rows = 0
        try test.ledger.forEachTransfer(from: start + 60_000_000, before: start + 120_000_000) { transfer in
            #expect(transfer.timestamp >= start + 60_000_000 && transfer.timestamp < start + 120_000_000)
            rows += 1
        }
        #expect(rows == 2)
    }

    @Test func aClosedPeriodIsFrozenEvenWhenTheClockGoesBack() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 1)
        let start = test.clock.now
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 700, asset: .usd)])
        let end = start + 3_600_000_000

        // A period that has not ended yet cannot be closed.
        await #expect(throws: PeriodError.notEnded(name: "h1", endsAt: end, now: test.clock.now)) {
            _ = try await test.ledger.closePeriod(name: "h1", startsAt: start, endsAt: end, by: "finance")
        }
        test.clock.advance(seconds: 3_600)
        let closed = try await test.ledger.closePeriod(name: "h1", startsAt: start, endsAt: end, by: "finance")
        #expect(closed.lastSeq == 1)
        #expect(try test.ledger.closedPeriods() == [closed])
        await #expect(throws: PeriodError.alreadyClosed(name: "h1")) {
            _ = try await test.ledger.closePeriod(name: "h1", startsAt: start, endsAt: end, by: "finance")
        }
        await #expect(throws: PeriodError.notContiguous(name: "h3", expectedStart: end, start: end + 1)) {
            _ = try await test.ledger.closePeriod(name: "h3", startsAt: end + 1, endsAt: end + 2, by: "finance")
        }

        // The clock goes back into the closed period: the correction is stamped in the open one.
        test.ledger.close()
        test.clock.advance(seconds: -3_540)
        // Even after a restart, when no row was written after the close.
        let reopened = try Ledger(path: test.path, clock: test.clock.ledgerClock)
        defer { reopened.close() }
        _ = try await reopened.commit([.posted(id: TransferID(2), debit: wallets[0], credit: source, amountMinor: 1, asset: .usd)])
        #expect(try reopened.transfer(TransferID(2))!.timestamp == end)
        #expect(try reopened.verify().fault == nil)
    }

    @Test func verifyNamesARowSlippedIntoAClosedPeriod() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 1)
        let start = test.clock.now
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 700, asset: .usd)])
        test.clock.advance(seconds: 10)
        _ = try await test.ledger.closePeriod(name: "p", startsAt: start, endsAt: start + 5_000_000, by: "finance")
        test.ledger.close()
        // Forge the record as if the period had been closed before row 1 was written.
        let queue = try DatabaseQueue(path: test.path)
        try await queue.write { db in try db.execute(sql: "UPDATE closed_periods SET last_seq = 0, last_hash = zeroblob(32)") }
        try queue.close()
        let reopened = try Ledger(path: test.path)
        defer { reopened.close() }
        let fault = try reopened.verify().fault
        #expect(fault == .closedPeriodChanged(name: "p", reason: "row 1 is stamped inside the period after it was closed"))
    }
}
