import Foundation
@testable import LedgerCore

/// A ledger on a fresh temporary file with a clock that moves only when told, plus small
/// helpers so that a test reads like the story it checks.
final class TestLedger: Sendable {
    let ledger: Ledger
    let clock: ManualClock
    let path: String

    init(directory: URL = FileManager.default.temporaryDirectory) throws {
        clock = ManualClock()
        path = directory.appendingPathComponent("ledger-test-\(UUID().uuidString).sqlite").path
        ledger = try Ledger(path: path, clock: clock.ledgerClock)
    }

    deinit {
        ledger.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// A source of funds (unconstrained equity) and `count` wallets that cannot go below zero.
    func accounts(wallets count: Int, asset: Asset = .usd) async throws -> (source: AccountID, wallets: [AccountID]) {
        var news = [NewAccount(code: "equity:\(asset.code):\(UUID().uuidString)", type: .equity, asset: asset)]
        news += (0..<count).map { NewAccount(code: "wallet:\($0):\(asset.code):\(UUID().uuidString)", type: .liability, asset: asset, flags: .debitsMustNotExceedCredits) }
        let created = try await ledger.createAccounts(news)
        return (created[0].id, created.dropFirst().map(\.id))
    }

    func balance(_ id: AccountID) throws -> AccountBalance {
        try ledger.account(id)!.balance
    }

    func available(_ id: AccountID) throws -> Int64 {
        try ledger.account(id)!.balance.available(for: .liability)
    }

    /// Everything observable about the ledger, to prove a refused request wrote nothing.
    func snapshot() throws -> [String] {
        let head = try ledger.head()
        let accounts = try ledger.accounts(limit: 1_000).map { "\($0.id):\($0.balance)" }
        return ["\(head.seq):\(head.hash)", "commits:\(try ledger.commitCount())"] + accounts
    }
}

/// Runs `body` and returns the ledger error it threw, or nil.
func ledgerError(_ body: () async throws -> Void) async -> LedgerError? {
    do {
        try await body()
        return nil
    } catch let error as LedgerError {
        return error
    } catch {
        return .storage("unexpected \(error)")
    }
}
