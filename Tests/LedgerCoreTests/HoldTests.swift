import Testing
@testable import LedgerCore

struct HoldTests {
    /// A funded wallet and a payee, with a hold of 600 out of 1,000.
    private func holding(timeoutSeconds: Int64 = 0) async throws -> (TestLedger, AccountID, AccountID) {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        _ = try await test.ledger.commit([
            .posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd),
            .pending(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 600, asset: .usd, timeoutSeconds: timeoutSeconds),
        ])
        return (test, wallets[0], wallets[1])
    }

    @Test func aHoldReducesAvailableButNotPosted() async throws {
        let (test, payer, payee) = try await holding()
        let balance = try test.balance(payer)
        #expect(balance.posted(for: .liability) == 1_000)
        #expect(balance.available(for: .liability) == 400)
        #expect(balance.pendingOutflows(for: .liability) == 600)
        #expect(try test.balance(payee).creditsPending == 600)
        let error = await ledgerError {
            _ = try await test.ledger.commit([.posted(id: TransferID(3), debit: payer, credit: payee, amountMinor: 401, asset: .usd)])
        }
        #expect(error == .exceedsCredits(index: 0, account: payer, availableMinor: 400, requestedMinor: 401))
    }

    @Test func postingInFullMovesTheHeldAmount() async throws {
        let (test, payer, payee) = try await holding()
        let receipt = try await test.ledger.commit([.post(id: TransferID(3), pending: TransferID(2))])
        #expect(receipt.transfers[0].amountMinor == 600)
        #expect(receipt.transfers[0].flags == .postPending)
        #expect(try test.balance(payer) == AccountBalance(debitsPosted: 600, creditsPosted: 1_000))
        #expect(try test.balance(payee) == AccountBalance(creditsPosted: 600))
        #expect(try test.ledger.verify().isClean)
    }

    @Test func postingPartlyReleasesTheRest() async throws {
        let (test, payer, payee) = try await holding()
        _ = try await test.ledger.commit([.post(id: TransferID(3), pending: TransferID(2), amountMinor: 250)])
        #expect(try test.available(payer) == 750)
        #expect(try test.balance(payee) == AccountBalance(creditsPosted: 250))
        #expect(try test.ledger.verify().isClean)
    }

    @Test func voidingReleasesEverything() async throws {
        let (test, payer, payee) = try await holding()
        _ = try await test.ledger.commit([.void(id: TransferID(3), pending: TransferID(2))])
        #expect(try test.available(payer) == 1_000)
        #expect(try test.balance(payee) == .zero)
    }

    @Test func aHoldCannotBeActedOnTwiceOrBeyondItsAmount() async throws {
        let (test, payer, _) = try await holding()
        let before = try test.snapshot()
        let tooMuch = await ledgerError { _ = try await test.ledger.commit([.post(id: TransferID(3), pending: TransferID(2), amountMinor: 601)]) }
        #expect(tooMuch == .postExceedsPending(index: 0, pendingID: TransferID(2), pendingMinor: 600, requestedMinor: 601))
        let unknown = await ledgerError { _ = try await test.ledger.commit([.post(id: TransferID(3), pending: TransferID(77))]) }
        #expect(unknown == .pendingNotFound(index: 0, pendingID: TransferID(77)))
        let notPending = await ledgerError { _ = try await test.ledger.commit([.void(id: TransferID(3), pending: TransferID(1))]) }
        #expect(notPending == .notPending(index: 0, id: TransferID(1)))
        let twiceInOneBatch = await ledgerError {
            _ = try await test.ledger.commit([.post(id: TransferID(3), pending: TransferID(2)), .void(id: TransferID(4), pending: TransferID(2))])
        }
        #expect(twiceInOneBatch == .pendingAlreadyPosted(index: 1, pendingID: TransferID(2)))
        #expect(try test.snapshot() == before)

        _ = try await test.ledger.commit([.post(id: TransferID(3), pending: TransferID(2), amountMinor: 100)])
        let afterPost = await ledgerError { _ = try await test.ledger.commit([.void(id: TransferID(4), pending: TransferID(2))]) }
        #expect(afterPost == .pendingAlreadyPosted(index: 0, pendingID: TransferID(2)))
        #expect(afterPost?.field == "transfers[0].pending_id")
        #expect(try test.available(payer) == 900)
    }

    @Test func aVoidedHoldCannotBePosted() async throws {
        let (test, _, _) = try await holding()
        _ = try await test.ledger.commit([.void(id: TransferID(3), pending: TransferID(2))])
        let error = await ledgerError { _ = try await test.ledger.commit([.post(id: TransferID(4), pending: TransferID(2))]) }
        #expect(error == .pendingAlreadyVoided(index: 0, pendingID: TransferID(2)))
    }

    @Test func aHoldExpiresAtItsTimeoutAndCannotBePostedAfter() async throws {
        let (test, payer, payee) = try await holding(timeoutSeconds: 60)
        test.clock.advance(seconds: 59)
        #expect(try await test.ledger.expireDueHolds() == 0)
        #expect(try test.available(payer) == 400)
        test.clock.advance(seconds: 1)
        let late = await ledgerError { _ = try await test.ledger.commit([.post(id: TransferID(3), pending: TransferID(2))]) }
        #expect(late == .pendingExpired(index: 0, pendingID: TransferID(2)))
        // The writer expired the hold before it looked at the post, in the same commit.
        #expect(try test.available(payer) == 1_000)
        #expect(try test.balance(payee) == .zero)
        let expiry = try test.ledger.transfer(TransferID(-2))
        #expect(expiry?.flags == [.voidPending, .expired])
        #expect(expiry?.pendingID == TransferID(2))
        #expect(try test.ledger.verify().isClean)
    }

    @Test func anIdleWriterExpiresHoldsByItself() async throws {
        let (test, payer, _) = try await holding(timeoutSeconds: 1)
        test.clock.advance(seconds: 2)
        var waited = 0
        while try test.available(payer) != 1_000, waited < 50 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        #expect(try test.available(payer) == 1_000)
        #expect(try test.ledger.transfer(TransferID(-2)) != nil)
    }

    @Test func holdsSurviveAReopen() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        _ = try await test.ledger.commit([
            .posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd),
            .pending(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 600, asset: .usd, timeoutSeconds: 30),
        ])
        test.ledger.close()
        let reopened = try Ledger(path: test.path, clock: test.clock.ledgerClock)
        defer { reopened.close() }
        let overdraft = await ledgerError {
            _ = try await reopened.commit([.posted(id: TransferID(3), debit: wallets[0], credit: wallets[1], amountMinor: 401, asset: .usd)])
        }
        #expect(overdraft == .exceedsCredits(index: 0, account: wallets[0], availableMinor: 400, requestedMinor: 401))
        _ = try await reopened.commit([.post(id: TransferID(3), pending: TransferID(2), amountMinor: 500)])
        #expect(try reopened.account(wallets[1])?.balance == AccountBalance(creditsPosted: 500))
        #expect(try reopened.verify().isClean)
    }

    /// A batch that creates a hold, resolves it, then fails leaves no hold behind in memory:
    /// nothing to post later, nothing to expire (which would push pending balances negative).
    @Test func aFailedBatchThatCreatedAndResolvedAHoldLeavesNone() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd)])
        let error = await ledgerError {
            _ = try await test.ledger.commit([
                .pending(id: TransferID(10), debit: wallets[0], credit: wallets[1], amountMinor: 100, asset: .usd, timeoutSeconds: 60),
                .post(id: TransferID(11), pending: TransferID(10)),
                .posted(id: TransferID(12), debit: wallets[1], credit: wallets[0], amountMinor: 5_000, asset: .usd),
            ])
        }
        #expect(error != nil)
        test.clock.advance(seconds: 120)
        #expect(try await test.ledger.expireDueHolds() == 0)
        #expect(try test.balance(wallets[0]) == AccountBalance(creditsPosted: 1_000))
        let post = await ledgerError { _ = try await test.ledger.commit([.post(id: TransferID(13), pending: TransferID(10))]) }
        #expect(post == .pendingNotFound(index: 0, pendingID: TransferID(10)))
        #expect(try test.ledger.verify().isClean)
    }
}
