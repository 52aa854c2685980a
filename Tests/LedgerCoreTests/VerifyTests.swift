import Foundation
import GRDB
import Testing
@testable import LedgerCore

/// `verify` finds tampering an attacker (or a bug) could do to the file behind the writer's back.
struct VerifyTests {
    /// A ledger with ten journal rows: funding, a hold, a partial post, a reversal.
    private func ledgerWithHistory() async throws -> (TestLedger, [AccountID]) {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        for id in 1...6 {
            _ = try await test.ledger.commit([.posted(id: TransferID(Int64(id)), debit: source, credit: wallets[0], amountMinor: 100, asset: .usd)])
        }
        _ = try await test.ledger.commit([.pending(id: TransferID(7), debit: wallets[0], credit: wallets[1], amountMinor: 250, asset: .usd)])
        _ = try await test.ledger.commit([.post(id: TransferID(8), pending: TransferID(7), amountMinor: 200)])
        _ = try await test.ledger.commit([.reversal(id: TransferID(9), of: TransferID(8), amountMinor: 50)])
        _ = try await test.ledger.commit([.posted(id: TransferID(10), debit: source, credit: wallets[1], amountMinor: 1, asset: .usd)])
        test.ledger.close()
        return (test, [source] + wallets)
    }

    /// Runs SQL on the file as an outsider would: append-only triggers dropped first.
    private func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS transfers_are_append_only_update; DROP TRIGGER IF EXISTS transfers_are_append_only_delete")
            try db.execute(sql: sql)
        }
        try queue.close()
    }

    private func verify(_ path: String) throws -> VerifyReport {
        let ledger = try Ledger(path: path)
        defer { ledger.close() }
        return try ledger.verify()
    }

    @Test func anUntouchedLedgerIsClean() async throws {
        let (test, _) = try await ledgerWithHistory()
        let report = try verify(test.path)
        #expect(report.isClean)
        #expect(report.transfersChecked == 10)
        #expect(report.commitsChecked == 10)
    }

    @Test func theJournalRefusesUpdatesAndDeletes() async throws {
        let (test, _) = try await ledgerWithHistory()
        let queue = try DatabaseQueue(path: test.path)
        defer { try? queue.close() }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "UPDATE transfers SET amount = 1 WHERE seq = 3") } }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM transfers WHERE seq = 3") } }
    }

    @Test func aTamperedAmountIsNamedByItsRow() async throws {
        let (test, _) = try await ledgerWithHistory()
        try tamper(test.path, "UPDATE transfers SET amount = amount + 1 WHERE seq = 4")
        let fault = try verify(test.path).fault
        guard case .hashMismatch(let seq, let id, _, _) = fault else { Issue.record("expected a hash mismatch, got \(String(describing: fault))"); return }
        #expect(seq == 4)
        #expect(id == TransferID(4))
        #expect(fault!.description.contains("seq 4"))
    }

    /// An account renamed into test mode behind the writer's back: its live transfers now join
    /// test and live money, which `verify` names by the first row that does.
    @Test func aTransferBetweenTestAndLiveAccountsIsAFault() async throws {
        let (test, accounts) = try await ledgerWithHistory()
        try tamper(test.path, "UPDATE accounts SET code = 'wallet:user:test:u2:USD' WHERE id = \(accounts[2].rawValue)")
        let fault = try verify(test.path).fault
        guard case .modesJoined(let seq, let debit, let credit) = fault else { Issue.record("expected modes joined, got \(String(describing: fault))"); return }
        #expect(seq == 7)
        #expect((debit, credit) == (accounts[1], accounts[2]))
        #expect(fault!.description.contains("test-mode and a live account"))
    }

    @Test func aRewrittenHashBreaksTheNextLink() async throws {
        let (test, _) = try await ledgerWithHistory()
        // Change the row and recompute its own hash: the chain still breaks at the next row.
        let ledger = try Ledger(path: test.path)
        let row = try #require(try ledger.journal(seqs: 5...5).first)
        let previous = try #require(try ledger.journal(seqs: 4...4).first).hash
        ledger.close()
        var fields = row.fields
        fields.amountMinor += 1
        var encoder = CanonicalEncoder()
        let forged = encoder.hash(of: fields, previous: previous)
        try tamper(test.path, "UPDATE transfers SET amount = amount + 1, hash = x'\(forged.hex)' WHERE seq = 5")
        guard case .hashMismatch(let seq, _, _, _) = try verify(test.path).fault else { Issue.record("expected a hash mismatch"); return }
        #expect(seq == 6)
    }

    @Test func aDeletedRowIsAGap() async throws {
        let (test, _) = try await ledgerWithHistory()
        try tamper(test.path, "DELETE FROM transfers WHERE seq = 3")
        #expect(try verify(test.path).fault == .journalGap(expectedSeq: 3, foundSeq: 4))
    }

    @Test func aTamperedBalanceIsNamedByItsAccount() async throws {
        let (test, accounts) = try await ledgerWithHistory()
        try tamper(test.path, "UPDATE account_balances SET credits_posted = credits_posted + 5 WHERE id = \(accounts[1].rawValue)")
        guard case .balanceMismatch(let account, let stored, let journal) = try verify(test.path).fault else {
            Issue.record("expected a balance mismatch"); return
        }
        #expect(account == accounts[1])
        #expect(stored.creditsPosted == journal.creditsPosted + 5)
    }

    @Test func aTamperedHoldIndexIsFound() async throws {
        let (test, _) = try await ledgerWithHistory()
        try tamper(test.path, "DELETE FROM transfer_links WHERE kind = 3")
        guard case .linkIndexBroken(let seq, _) = try verify(test.path).fault else { Issue.record("expected a link fault"); return }
        #expect(seq == 9)
    }

    @Test func aBrokenConstraintIsNamedEvenWithAConsistentChain() async throws {
        // A journal written by a buggy writer: rows hash correctly but overdraw a wallet.
        let (test, accounts) = try await ledgerWithHistory()
        let ledger = try Ledger(path: test.path)
        let head = try ledger.head()
        let last = try #require(try ledger.journal(seqs: head.seq...head.seq).first)
        ledger.close()
        let fields = Transfer.Fields(seq: head.seq + 1, id: TransferID(11), debitAccountID: accounts[2], creditAccountID: accounts[0],
                                     amountMinor: 1_000_000, assetID: Asset.usd.id, flags: [], pendingID: nil, reversesID: nil,
                                     timeoutSeconds: 0, code: 0, timestamp: last.timestamp, metadata: nil)
        var encoder = CanonicalEncoder()
        let hash = encoder.hash(of: fields, previous: head.hash)
        try tamper(test.path, """
            INSERT INTO transfers (\(TransferColumns.list)) VALUES (\(fields.seq), 11, \(accounts[2].rawValue), \(accounts[0].rawValue),
              1000000, 1, 0, NULL, NULL, 0, 0, \(last.timestamp), NULL, x'\(hash.hex)')
            """)
        #expect(try verify(test.path).fault == .constraintBroken(seq: head.seq + 1, account: accounts[2]))
    }
}
