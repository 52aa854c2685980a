import Testing
@testable import LedgerCore

struct GroupCommitTests {
    @Test func concurrentCallersShareCommitsAndEachGetsItsOwnResult() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 64)
        let callers = 64
        let results = await withTaskGroup(of: (Int, Result<CommitReceipt, LedgerError>).self) { group in
            for caller in 0..<callers {
                group.addTask {
                    // Odd callers try to spend money their wallet does not have.
                    let request: TransferRequest = caller % 2 == 0
                        ? .posted(id: TransferID(Int64(caller + 1)), debit: source, credit: wallets[caller], amountMinor: Int64(caller + 1), asset: .usd)
                        : .posted(id: TransferID(Int64(caller + 1)), debit: wallets[caller], credit: source, amountMinor: 1, asset: .usd)
                    do { return (caller, .success(try await test.ledger.commit([request]))) } catch let error as LedgerError { return (caller, .failure(error)) } catch { return (caller, .failure(.storage("\(error)"))) }
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for caller in 0..<callers {
            switch results[caller]! {
            case .success(let receipt):
                #expect(caller % 2 == 0)
                #expect(receipt.transfers.count == 1)
                #expect(receipt.transfers[0].id == TransferID(Int64(caller + 1)))
            case .failure(let error):
                #expect(caller % 2 == 1)
                #expect(error == .exceedsCredits(index: 0, account: wallets[caller], availableMinor: 0, requestedMinor: 1))
            }
        }
        for caller in stride(from: 0, to: callers, by: 2) { #expect(try test.available(wallets[caller]) == Int64(caller + 1)) }
        #expect(try test.ledger.head().seq == 32)
        #expect(try test.ledger.commitCount() < 32)  // grouped: fewer durable commits than callers
        #expect(try test.ledger.verify().isClean)
    }

    @Test func aClosedLedgerRefusesWork() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 1)
        test.ledger.close()
        let error = await ledgerError {
            _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd)])
        }
        #expect(error == .closed)
        #expect(error?.isTransient == true)
    }
}
