import Foundation
import GRDB
import Testing
@testable import LedgerCore

/// `Ledger.transaction`: another table's rows and the ledger's accounts and batches land in one
/// commit, and a body that throws leaves no trace, on disk or in the writer's memory, while
/// the other jobs of its group commit land.
struct LedgerTransactionTests {
    private struct Refused: Error {}

    private func withNotesTable(_ test: TestLedger) async throws {
        try await test.ledger.transaction { transaction in
            try transaction.db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        }
    }

    @Test func rowsAccountsAndTransfersLandTogether() async throws {
        let test = try TestLedger()
        try await withNotesTable(test)
        let (source, _) = try await test.accounts(wallets: 0)
        let receipt = try await test.ledger.transaction { transaction -> CommitReceipt in
            let wallet = try transaction.account(NewAccount(code: "wallet:new", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits))
            try transaction.db.execute(sql: "INSERT INTO notes (text) VALUES ('funded')")
            let receipt = try transaction.commit(TransferBatch([.posted(id: TransferID(1), debit: source, credit: wallet, amountMinor: 700, asset: .usd)]))
            #expect(transaction.balance(of: wallet)?.creditsPosted == 700)
            return receipt
        }
        #expect(receipt.transfers.count == 1)
        let wallet = try #require(try test.ledger.account(code: "wallet:new"))
        #expect(wallet.balance.creditsPosted == 700)
        #expect(try test.ledger.read { db in try String.fetchAll(db, sql: "SELECT text FROM notes") } == ["funded"])
        #expect(try test.ledger.verify().isClean)
    }

    @Test func aBodyThatThrowsLeavesNothingBehind() async throws {
        let test = try TestLedger()
        try await withNotesTable(test)
        let (source, wallets) = try await test.accounts(wallets: 1)
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd)])
        let before = try test.snapshot()
        await #expect(throws: Refused.self) {
            try await test.ledger.transaction { transaction in
                let created = try transaction.account(NewAccount(code: "escrow:gone", type: .liability, asset: .usd))
                try transaction.db.execute(sql: "INSERT INTO notes (text) VALUES ('never')")
                _ = try transaction.commit(TransferBatch([
                    .posted(id: TransferID(2), debit: wallets[0], credit: created, amountMinor: 600, asset: .usd),
                    .pending(id: TransferID(3), debit: wallets[0], credit: created, amountMinor: 400, asset: .usd, timeoutSeconds: 0),
                ], idempotencyKey: "gone"))
                throw Refused()
            }
        }
        #expect(try test.snapshot() == before)
        #expect(try test.ledger.account(code: "escrow:gone") == nil)
        #expect(try test.ledger.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes") } == 0)
        // Memory agrees with the disk: the whole 1,000 is still available, the ids and the
        // idempotency key are free, and the next account takes the id the dropped one had.
        let next = try await test.ledger.createAccounts([NewAccount(code: "escrow:next", type: .liability, asset: .usd)])[0].id
        _ = try await test.ledger.commit([.posted(id: TransferID(2), debit: wallets[0], credit: next, amountMinor: 1_000, asset: .usd)],
                                         idempotencyKey: "gone")
        #expect(try test.available(wallets[0]) == 0)
        #expect(try test.ledger.verify().isClean)
    }

    /// Many jobs in the same group commits, every third one failing after it moved money: the
    /// others land, exactly, and the hash chain verifies.
    @Test func failedJobsAmongOthersInOneGroupCommit() async throws {
        let test = try TestLedger()
        try await withNotesTable(test)
        let (source, wallets) = try await test.accounts(wallets: 1)
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 1...60 {
                group.addTask {
                    do {
                        try await test.ledger.transaction { transaction in
                            try transaction.db.execute(sql: "INSERT INTO notes (text) VALUES (?)", arguments: ["job \(index)"])
                            _ = try transaction.commit(TransferBatch([
                                .posted(id: TransferID(Int64(index)), debit: source, credit: wallets[0], amountMinor: 100, asset: .usd),
                            ]))
                            if index % 3 == 0 { throw Refused() }
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 40)
        #expect(try test.balance(wallets[0]).creditsPosted == 4_000)
        #expect(try test.ledger.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes") } == 40)
        #expect(try test.ledger.verify().isClean)
    }

    /// Failed jobs leave no trace in the commit's account index either, and an account a failed
    /// job touched first still gets its balance written when a later job in the same commit
    /// moves it: wallets 0–19 see only failing jobs, 20–39 failing and succeeding ones, 40–59
    /// only succeeding ones, all at once.
    @Test func failedJobsLeaveTheCommitIndexExact() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 60)
        // Failing and succeeding jobs alternate, so that they share group commits.
        let jobs: [(wallet: Int, fails: Bool)] = (0..<40).flatMap { [($0, true), ($0 + 20, false)] }
        await withTaskGroup(of: Void.self) { group in
            for (index, job) in jobs.enumerated() {
                group.addTask {
                    _ = try? await test.ledger.transaction { transaction in
                        _ = try transaction.commit(TransferBatch([
                            .posted(id: TransferID(Int64(index + 1)), debit: source, credit: wallets[job.wallet % 40 + (job.fails ? 0 : 20)], amountMinor: 100, asset: .usd),
                        ]))
                        if job.fails { throw Refused() }
                    }
                }
            }
        }
        for (index, wallet) in wallets.enumerated() {
            #expect(try test.balance(wallet).creditsPosted == (index < 20 ? 0 : 100), "wallet \(index)")
            let indexed = try test.ledger.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account_commits WHERE account_id = ?", arguments: [wallet.rawValue])
            }
            #expect(indexed == (index < 20 ? 0 : 1), "wallet \(index)")
        }
        #expect(try test.ledger.verify().isClean)
    }
}
