import Foundation
import LedgerCore

/// Builds the benchmark ledgers: `accounts` wallets that may not go below zero, each funded
/// from one unconstrained source so that random transfers pass their constraint checks.
struct BenchSetup {
    let accounts: Int
    let seed: UInt64
    /// Each wallet's opening balance: enough that no random transfer is refused.
    static let openingMinor: Int64 = 1_000_000_000_000

    func openFunded(path: String) async throws -> (Ledger, [AccountID]) {
        let ledger = try Ledger(path: path)
        let source = try await ledger.createAccounts([NewAccount(code: "bench:source", type: .equity, asset: .usd)])[0].id
        var wallets: [AccountID] = []
        for chunk in stride(from: 0, to: accounts, by: 1_000) {
            let news = (chunk..<min(chunk + 1_000, accounts)).map {
                NewAccount(code: "bench:wallet:\($0)", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits)
            }
            wallets += try await ledger.createAccounts(news).map(\.id)
        }
        var nextID: Int64 = 1
        for chunk in stride(from: 0, to: wallets.count, by: TransferBatch.transfersMax) {
            let funding = wallets[chunk..<min(chunk + TransferBatch.transfersMax, wallets.count)].map { wallet in
                defer { nextID += 1 }
                return TransferRequest.posted(id: TransferID(nextID), debit: source, credit: wallet, amountMinor: Self.openingMinor, asset: .usd)
            }
            _ = try await ledger.commit(funding)
        }
        return (ledger, wallets)
    }

    func singleCommits(path: String, count: Int) async throws -> BenchResult {
        let (ledger, wallets) = try await openFunded(path: path)
        defer { ledger.close() }
        var random = SplitMix64(seed: seed)
        let start = ContinuousClock.now
        for index in 0..<count {
            let (debit, credit) = random.pair(wallets)
            _ = try await ledger.commit([.posted(id: TransferID(1_000_000 + Int64(index)), debit: debit, credit: credit,
                                                 amountMinor: random.amount(), asset: .usd)])
        }
        return BenchResult(transfers: count, seconds: (ContinuousClock.now - start).seconds, commits: count)
    }

    func batches(path: String, batches: Int, inFlight: Int) async throws -> BenchResult {
        let (ledger, wallets) = try await openFunded(path: path)
        defer { ledger.close() }
        var random = SplitMix64(seed: seed)
        let size = TransferBatch.transfersMax
        // Batches are made before the clock starts: the benchmark measures the ledger, not the generator.
        let all: [TransferBatch] = (0..<batches).map { batch in
            TransferBatch((0..<size).map { index in
                let (debit, credit) = random.pair(wallets)
                return .posted(id: TransferID(1_000_000 + Int64(batch * size + index)), debit: debit, credit: credit,
                               amountMinor: random.amount(), asset: .usd)
            })
        }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<max(1, inFlight) {
                group.addTask {
                    for index in stride(from: lane, to: all.count, by: max(1, inFlight)) { _ = try await ledger.commit(all[index]) }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - start).seconds
        let verified = try ledger.verify()
        return BenchResult(transfers: batches * size, seconds: seconds, commits: batches,
                           extra: ["in_flight": inFlight, "verify_clean": verified.isClean, "accounts": accounts])
    }

    func concurrentCallers(path: String, callers: Int, perCaller: Int) async throws -> BenchResult {
        let (ledger, wallets) = try await openFunded(path: path)
        defer { ledger.close() }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var random = SplitMix64(seed: seed &+ UInt64(caller))
                    for index in 0..<perCaller {
                        let (debit, credit) = random.pair(wallets)
                        let id = TransferID(1_000_000 + Int64(caller * perCaller + index))
                        _ = try await ledger.commit([.posted(id: id, debit: debit, credit: credit, amountMinor: random.amount(), asset: .usd)])
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - start).seconds
        let commits = try ledger.commitCount()
        return BenchResult(transfers: callers * perCaller, seconds: seconds, commits: commits, extra: ["callers": callers])
    }
}

/// A small, fast, seedable generator (SplitMix64), so runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func pair(_ accounts: [AccountID]) -> (AccountID, AccountID) {
        let first = Int.random(in: 0..<accounts.count, using: &self)
        var second = Int.random(in: 0..<accounts.count - 1, using: &self)
        if second >= first { second += 1 }
        return (accounts[first], accounts[second])
    }

    mutating func amount() -> Int64 { Int64.random(in: 1...10_000, using: &self) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
