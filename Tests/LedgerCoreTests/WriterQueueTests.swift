import Dispatch
import Foundation
import Testing
@testable import LedgerCore

/// The writer's queue is bounded: while the writer is busy and the queue is full, one more
/// commit is refused at once with `.busy` (retryable, nothing written), and once the writer
/// drains, the same commit goes through.
struct WriterQueueTests {
    @Test func aFullWriterQueueRefusesWithBusyAndNothingIsWritten() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("queue-\(UUID().uuidString).sqlite").path
        let ledger = try Ledger(path: path, queuedJobsMax: 1)
        defer { ledger.close() }
        let gate = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        // Occupies the writer thread until the gate opens.
        let blocker = Task { try await ledger.transaction { _ in entered.signal(); gate.wait() } }
        await Task.detached { entered.wait() }.value
        let queued = Task { try await ledger.createAccounts([NewAccount(code: "wallet:queued:USD", type: .liability, asset: .usd)]) }
        while ledger.queuedCommits < 1 { try await Task.sleep(for: .milliseconds(1)) }
        await #expect(throws: LedgerError.busy(queued: 1)) {
            try await ledger.createAccounts([NewAccount(code: "wallet:refused:USD", type: .liability, asset: .usd)])
        }
        #expect(LedgerError.busy(queued: 1).isTransient)
        gate.signal()
        try await blocker.value
        _ = try await queued.value
        #expect(try ledger.account(code: "wallet:refused:USD") == nil)  // the refused commit wrote nothing
        _ = try await ledger.createAccounts([NewAccount(code: "wallet:refused:USD", type: .liability, asset: .usd)])  // and succeeds once drained
        #expect(try ledger.account(code: "wallet:refused:USD") != nil)
    }
}

/// The predicate the debug-build invariant check applies to every account a batch touches.
struct ConstraintPredicateTests {
    @Test func aBalancePastItsConstraintIsSeen() {
        var balance = AccountBalance.zero
        balance.creditsPosted = 100
        balance.debitsPosted = 60
        balance.debitsPending = 40
        #expect(LedgerState.withinConstraint(balance, [.debitsMustNotExceedCredits]))
        balance.debitsPending = 41
        #expect(!LedgerState.withinConstraint(balance, [.debitsMustNotExceedCredits]))
        #expect(LedgerState.withinConstraint(balance, []))
        var credits = AccountBalance.zero
        credits.debitsPosted = 5
        credits.creditsPending = 6
        #expect(!LedgerState.withinConstraint(credits, [.creditsMustNotExceedDebits]))
    }
}
