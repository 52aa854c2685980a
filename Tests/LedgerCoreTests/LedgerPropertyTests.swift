import Foundation
import PropertyBased
import Testing
@testable import LedgerCore

/// Thousands of random operation sequences (transfers, batches, holds, partial posts, voids,
/// expiries, reversals, idempotent replays and conflicts, refused overdrafts) run on the real
/// ledger and on `LedgerModel`. After every step: the same outcome, the same balances, debits
/// equal credits per asset, and `verify` clean (balances equal their journal, constraints hold,
/// hash chain intact).
struct LedgerPropertyTests {
    static let sequences = 1_000

    @Test func randomOperationSequencesMatchTheModel() async throws {
        await propertyCheck(count: Self.sequences, input: Gen.int(in: 0...Int.max).array(of: 4...24)) { operations in
            try await Self.run(operations)
        }
    }

    static func run(_ operations: [Int]) async throws {
        let test = try TestLedger(directory: Self.fastDirectory)
        let created = try await test.ledger.createAccounts([
            NewAccount(code: "source", type: .equity, asset: .usd),
            NewAccount(code: "wallet:a", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits),
            NewAccount(code: "wallet:b", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits),
            NewAccount(code: "wallet:c", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits),
            NewAccount(code: "settlement", type: .asset, asset: .usd, flags: .creditsMustNotExceedDebits),
        ])
        var model = LedgerModel()
        for account in created {
            model.balances[account.id] = .zero
            model.flags[account.id] = account.flags
        }
        var generator = OperationGenerator(accounts: created.map(\.id))
        for (step, code) in operations.enumerated() {
            switch generator.next(code, model: model) {
            case .advance(let seconds):
                test.clock.advance(seconds: seconds)
                _ = try await test.ledger.expireDueHolds()
                model.expire(at: test.clock.now)
            case .commit(let batch):
                let expected = model.commit(batch, at: test.clock.now)
                let actual = await outcome(of: batch, on: test.ledger)
                #expect(actual == expected, "step \(step): \(batch)")
            }
            try check(test, against: model, step: step)
        }
    }

    /// The refusal's case name, or nil when the ledger committed the batch.
    private static func outcome(of batch: TransferBatch, on ledger: Ledger) async -> String? {
        do {
            _ = try await ledger.commit(batch)
            return nil
        } catch {
            return error.caseName
        }
    }

    private static func check(_ test: TestLedger, against model: LedgerModel, step: Int) throws {
        var debits: Int64 = 0, credits: Int64 = 0, debitsPending: Int64 = 0, creditsPending: Int64 = 0
        for (id, expected) in model.balances {
            let balance = try #require(try test.ledger.account(id)).balance
            #expect(balance == expected, "step \(step): account \(id)")
            debits += balance.debitsPosted
            credits += balance.creditsPosted
            debitsPending += balance.debitsPending
            creditsPending += balance.creditsPending
        }
        #expect(debits == credits)
        #expect(debitsPending == creditsPending)
        let report = try test.ledger.verify()
        #expect(report.fault == nil, "step \(step)")
        #expect(report.transfersChecked == Int64(model.rows), "step \(step)")
        #expect(report.holdsOpen == model.holds.count, "step \(step)")
    }

    /// Tests of the model itself need no fsync: /dev/shm when the machine has it.
    static var fastDirectory: URL {
        let shm = URL(fileURLWithPath: "/dev/shm")
        return FileManager.default.fileExists(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
    }
}

/// Turns random integers into operations that fit the current state, so most of them are
/// meaningful (an open hold to post, a movement to reverse) and some are meant to fail.
struct OperationGenerator {
    enum Operation {
        case commit(TransferBatch)
        case advance(seconds: Int64)
    }

    let accounts: [AccountID]
    private var nextID: Int64 = 1
    private var keyed: [TransferBatch] = []

    init(accounts: [AccountID]) { self.accounts = accounts }

    mutating func next(_ code: Int, model: LedgerModel) -> Operation {
        var bits = code / 16
        func pick(_ count: Int) -> Int {
            defer { bits /= max(count, 1) }
            return count > 0 ? bits % count : 0
        }
        switch code % 16 {
        case 0, 1:  // fund a wallet
            return .commit(TransferBatch([posted(debit: accounts[0], credit: accounts[1 + pick(3)], amount: Int64(1 + pick(1_000)))]))
        case 2, 3:  // move between any two accounts: often refused by a constraint
            let debit = pick(accounts.count), credit = (debit + 1 + pick(accounts.count - 1)) % accounts.count
            return .commit(TransferBatch([posted(debit: accounts[debit], credit: accounts[credit], amount: Int64(1 + pick(600)))]))
        case 4:  // a batch of up to four, all or none
            let count = 1 + pick(4)
            return .commit(TransferBatch((0..<count).map { _ in
                let debit = pick(accounts.count), credit = (debit + 1 + pick(accounts.count - 1)) % accounts.count
                return posted(debit: accounts[debit], credit: accounts[credit], amount: Int64(1 + pick(400)))
            }))
        case 5, 6:  // a hold, sometimes with a timeout
            let timeout = pick(2) == 0 ? 0 : Int64(1 + pick(60))
            let request = TransferRequest.pending(id: takeID(), debit: accounts[1 + pick(3)], credit: accounts[pick(2) == 0 ? 0 : 4],
                                                  amountMinor: Int64(1 + pick(500)), asset: .usd, timeoutSeconds: timeout)
            return .commit(TransferBatch([request]))
        case 7, 8:  // post (fully or partly) or void an open hold, or one that is not open
            let open = model.holds.keys.sorted()
            let target = open.isEmpty || pick(5) == 0 ? TransferID(Int64(1 + pick(Int(nextID)))) : open[pick(open.count)]
            let amount: Int64? = pick(2) == 0 ? nil : Int64(1 + pick(600))
            return .commit(TransferBatch([code % 16 == 7 ? .post(id: takeID(), pending: target, amountMinor: amount) : .void(id: takeID(), pending: target)]))
        case 9:  // reverse a movement, partly or fully
            let movements = model.movements.keys.sorted()
            let target = movements.isEmpty ? TransferID(Int64(1 + pick(Int(nextID)))) : movements[pick(movements.count)]
            return .commit(TransferBatch([.reversal(id: takeID(), of: target, amountMinor: pick(2) == 0 ? nil : Int64(1 + pick(300)))]))
        case 10:  // idempotent request: new, replayed, or a conflicting reuse of a key
            if !keyed.isEmpty, pick(2) == 0 {
                var batch = keyed[pick(keyed.count)]
                if pick(2) == 0, let amount = batch.transfers[0].amountMinor { batch.transfers[0].amountMinor = amount + 1 }
                return .commit(batch)
            }
            let batch = TransferBatch([posted(debit: accounts[0], credit: accounts[1 + pick(3)], amount: Int64(1 + pick(100)))],
                                      idempotencyKey: "key-\(nextID)")
            keyed.append(batch)
            return .commit(batch)
        case 11:  // an overdraft that must be refused
            return .commit(TransferBatch([posted(debit: accounts[1 + pick(3)], credit: accounts[0], amount: 1_000_000_000)]))
        case 12:  // reuse an id
            return .commit(TransferBatch([.posted(id: TransferID(Int64(1 + pick(Int(nextID)))), debit: accounts[0], credit: accounts[1],
                                                  amountMinor: 1, asset: .usd)]))
        default:  // time passes; holds may expire
            return .advance(seconds: Int64(pick(40)))
        }
    }

    private mutating func posted(debit: AccountID, credit: AccountID, amount: Int64) -> TransferRequest {
        .posted(id: takeID(), debit: debit, credit: credit, amountMinor: amount, asset: .usd)
    }

    private mutating func takeID() -> TransferID {
        defer { nextID += 1 }
        return TransferID(nextID)
    }
}
