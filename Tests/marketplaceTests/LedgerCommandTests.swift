import Foundation
import GRDB
import LedgerCore
import Testing

/// The CLI's ledger commands, run as a user would run them.
struct LedgerCommandTests {
    private func ledgerFile() async throws -> (String, AccountID) {
        let path = CommandRunner.temporaryPath("cli") + ".sqlite"
        let ledger = try Ledger(path: path)
        let accounts = try await ledger.createAccounts([
            NewAccount(code: "equity:opening:USD", type: .equity, asset: .usd),
            NewAccount(code: "wallet:user:7:USD", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits),
        ])
        _ = try await ledger.commit([.posted(id: TransferID(1), debit: accounts[0].id, credit: accounts[1].id, amountMinor: 1_234, asset: .usd)])
        _ = try await ledger.commit([.posted(id: TransferID(2), debit: accounts[0].id, credit: accounts[1].id, amountMinor: 66, asset: .usd)])
        ledger.close()
        return (path, accounts[1].id)
    }

    @Test func verifyExitsZeroWhenCleanAndOneNamingTheFault() async throws {
        let (path, _) = try await ledgerFile()
        let clean = try CommandRunner.run(["ledger", "verify", "--db", path])
        #expect(clean.status == 0)
        #expect(clean.output.contains("ok: the ledger is consistent"))

        let queue = try DatabaseQueue(path: path)
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER transfers_are_append_only_update")
            try db.execute(sql: "UPDATE transfers SET amount = 9999 WHERE seq = 2")
        }
        try queue.close()
        let broken = try CommandRunner.run(["ledger", "verify", "--db", path])
        #expect(broken.status == 1)
        #expect(broken.output.contains("FAULT: hash chain broken at seq 2 (transfer 2)"))
    }

    @Test func verifyRefusesAMissingDatabase() throws {
        let result = try CommandRunner.run(["ledger", "verify", "--db", CommandRunner.temporaryPath("absent") + ".sqlite"])
        #expect(result.status != 0)
        #expect(result.output.contains("no database at"))
    }

    @Test func balancesAndStatementsPrintExactAmounts() async throws {
        let (path, wallet) = try await ledgerFile()
        let balances = try CommandRunner.run(["ledger", "balances", "--db", path, "--asset", "USD"])
        #expect(balances.status == 0)
        #expect(balances.output.contains("\"amount\" : \"13.00\""))
        let statement = try CommandRunner.run(["ledger", "statement", "--db", path, "--account", "wallet:user:7:USD", "--limit", "1"])
        #expect(statement.status == 0)
        #expect(statement.output.contains("\"amount\" : \"12.34\""))
        #expect(statement.output.contains("\"has_more\" : true"))
        let byID = try CommandRunner.run(["ledger", "statement", "--db", path, "--account", String(wallet.rawValue), "--cursor", "1.1"])
        #expect(byID.output.contains("\"amount\" : \"0.66\""))
        #expect(byID.output.contains("\"has_more\" : false"))
    }

    @Test func migrateCreatesTheDatabase() throws {
        let path = CommandRunner.temporaryPath("migrate") + "/nested/ledger.sqlite"
        let result = try CommandRunner.run(["migrate", "--db", path])
        #expect(result.status == 0)
        #expect(result.output.contains("applied v0001_ledger"))
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
