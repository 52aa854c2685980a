import Testing
@testable import LedgerCore

struct TransferTests {
    @Test func postedTransferMovesMoneyAndChainsTheJournal() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        let first = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 10_000, asset: .usd)])
        let second = try await test.ledger.commit([.posted(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 2_550, asset: .usd)])

        #expect(try test.available(wallets[0]) == 7_450)
        #expect(try test.available(wallets[1]) == 2_550)
        #expect(try test.balance(source) == AccountBalance(debitsPosted: 10_000))
        #expect(first.transfers.map(\.seq) == [1])
        #expect(second.transfers.map(\.seq) == [2])
        #expect(first.transfers[0].hash != second.transfers[0].hash)
        var encoder = CanonicalEncoder()
        #expect(encoder.hash(of: second.transfers[0].fields, previous: first.transfers[0].hash) == second.transfers[0].hash)
        #expect(try test.ledger.verify().isClean)
    }

    @Test func aBatchCommitsAllOrNothing() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 500, asset: .usd)])
        let before = try test.snapshot()

        let error = await ledgerError {
            _ = try await test.ledger.commit([
                .posted(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 300, asset: .usd),
                .posted(id: TransferID(3), debit: wallets[0], credit: wallets[1], amountMinor: 300, asset: .usd),
            ])
        }
        #expect(error == .exceedsCredits(index: 1, account: wallets[0], availableMinor: 200, requestedMinor: 300))
        #expect(error?.field == "transfers[1].amount")
        #expect(try test.snapshot() == before)
        // The refused ids were not consumed.
        _ = try await test.ledger.commit([.posted(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 300, asset: .usd)])
        #expect(try test.available(wallets[1]) == 300)
    }

    @Test func aFeeSplitIsTwoTransfersInOneCommit() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 3)
        let receipt = try await test.ledger.commit([
            .posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 11_000, asset: .usd),
            .posted(id: TransferID(2), debit: wallets[0], credit: wallets[1], amountMinor: 10_000, asset: .usd),
            .posted(id: TransferID(3), debit: wallets[0], credit: wallets[2], amountMinor: 1_000, asset: .usd),
        ])
        #expect(receipt.transfers.map(\.seq) == [1, 2, 3])
        #expect(Set(receipt.transfers.map(\.timestamp)).count == 1)
        #expect(try test.available(wallets[0]) == 0)
        #expect(try test.ledger.commitCount() == 1)  // creating accounts writes no commit row
    }

    /// Every refusal is typed, names its field, and leaves the ledger exactly as it was.
    @Test func badInputGetsATypedErrorAndWritesNothing() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 2)
        let usdc = try await test.ledger.createAccounts([NewAccount(code: "wallet:usdc", type: .liability, asset: .usdc)])[0].id
        let testWallet = try await test.ledger.createAccounts([NewAccount(code: "wallet:user:test:u1:USD", type: .liability, asset: .usd)])[0].id
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1_000, asset: .usd)])
        let overflowing = Int64.max - 10
        let cases: [(String, [TransferRequest], LedgerError)] = [
            ("empty", [], .emptyBatch),
            ("unbalanced across assets", [.posted(id: TransferID(9), debit: wallets[0], credit: usdc, amountMinor: 1, asset: .usd)],
             .assetMismatch(index: 0, asset: "USD", debitAsset: "USD", creditAsset: "USDC")),
            ("live money into a test-mode account", [.posted(id: TransferID(9), debit: wallets[0], credit: testWallet, amountMinor: 1, asset: .usd)],
             .modeMismatch(index: 0, debit: wallets[0], credit: testWallet)),
            ("asset differs from both accounts", [.posted(id: TransferID(9), debit: source, credit: wallets[0], amountMinor: 1, asset: .usdc)],
             .assetMismatch(index: 0, asset: "USDC", debitAsset: "USD", creditAsset: "USD")),
            ("unknown debit account", [.posted(id: TransferID(9), debit: AccountID(999), credit: wallets[0], amountMinor: 1, asset: .usd)],
             .unknownAccount(index: 0, field: "debit_account_id", id: AccountID(999))),
            ("unknown credit account", [.posted(id: TransferID(9), debit: source, credit: AccountID(0), amountMinor: 1, asset: .usd)],
             .unknownAccount(index: 0, field: "credit_account_id", id: AccountID(0))),
            ("zero amount", [.posted(id: TransferID(9), debit: source, credit: wallets[0], amountMinor: 0, asset: .usd)],
             .amountNotPositive(index: 0, amountMinor: 0)),
            ("negative amount", [.posted(id: TransferID(9), debit: source, credit: wallets[0], amountMinor: -5, asset: .usd)],
             .amountNotPositive(index: 0, amountMinor: -5)),
            ("same account", [.posted(id: TransferID(9), debit: source, credit: source, amountMinor: 1, asset: .usd)],
             .sameAccount(index: 0, id: source)),
            ("overflow", [.posted(id: TransferID(9), debit: source, credit: wallets[1], amountMinor: overflowing, asset: .usd)],
             .overflow(index: 0, account: source)),
            ("transfer id zero", [.posted(id: TransferID(0), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd)],
             .invalidTransferID(index: 0, id: TransferID(0))),
            ("transfer id reused", [.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd)],
             .transferExists(index: 0, id: TransferID(1))),
            ("transfer id twice in one batch", [
                .posted(id: TransferID(20), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd),
                .posted(id: TransferID(19), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd),
                .posted(id: TransferID(19), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd),
            ], .transferExists(index: 2, id: TransferID(19))),
            ("overdraft", [.posted(id: TransferID(9), debit: wallets[0], credit: wallets[1], amountMinor: 1_001, asset: .usd)],
             .exceedsCredits(index: 0, account: wallets[0], availableMinor: 1_000, requestedMinor: 1_001)),
            ("missing amount", [TransferRequest(id: TransferID(9), kind: .posted, debitAccountID: source, creditAccountID: wallets[0], amountMinor: nil, asset: .usd, code: 0, metadata: nil)],
             .missingField(index: 0, field: "amount")),
            ("metadata too long", [.posted(id: TransferID(9), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd, metadata: String(repeating: "x", count: 4_097))],
             .metadataTooLong(index: 0, bytes: 4_097)),
            ("timeout out of range", [.pending(id: TransferID(9), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd, timeoutSeconds: -1)],
             .timeoutOutOfRange(index: 0, timeoutSeconds: -1)),
        ]
        // A first overflow needs a large balance on the other side.
        _ = try await test.ledger.commit([.posted(id: TransferID(2), debit: source, credit: wallets[1], amountMinor: 100, asset: .usd)])
        let before = try test.snapshot()
        for (name, transfers, expected) in cases {
            let error = await ledgerError { _ = try await test.ledger.commit(transfers) }
            #expect(error == expected, "\(name)")
            #expect(error?.field != nil, "\(name) names a field")
            #expect(try test.snapshot() == before, "\(name) wrote nothing")
        }
        #expect(try test.ledger.verify().isClean)
    }

    @Test func overflowOfABalanceIsRefused() async throws {
        let test = try TestLedger()
        let (source, wallets) = try await test.accounts(wallets: 1)
        _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: source, credit: wallets[0], amountMinor: Int64.max, asset: .usd)])
        let before = try test.snapshot()
        let error = await ledgerError {
            _ = try await test.ledger.commit([.posted(id: TransferID(2), debit: source, credit: wallets[0], amountMinor: 1, asset: .usd)])
        }
        #expect(error == .overflow(index: 0, account: source))
        #expect(try test.snapshot() == before)
    }

    @Test func accountsAreIdempotentByCodeAndConflictsAreRefused() async throws {
        let test = try TestLedger()
        let new = NewAccount(code: "wallet:user:1:USD", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits, ownerKind: "user", ownerID: "1")
        let first = try await test.ledger.createAccounts([new])
        let again = try await test.ledger.createAccounts([new])
        #expect(first == again)
        var other = new
        other.type = .asset
        let conflict = await ledgerError { _ = try await test.ledger.createAccounts([NewAccount(code: "x", type: .asset, asset: .usd), other]) }
        #expect(conflict == .accountExists(code: "wallet:user:1:USD"))
        #expect(try test.ledger.account(code: "x") == nil)  // all or none
        let both = await ledgerError {
            _ = try await test.ledger.createAccounts([NewAccount(code: "y", type: .asset, asset: .usd, flags: [.debitsMustNotExceedCredits, .creditsMustNotExceedDebits])])
        }
        #expect(both == .accountFlagsConflict(code: "y"))
        let empty = await ledgerError { _ = try await test.ledger.createAccounts([NewAccount(code: "", type: .asset, asset: .usd)]) }
        #expect(empty == .accountCodeInvalid(code: ""))
    }

    @Test func creditConstraintRefusesCreditsBeyondDebits() async throws {
        let test = try TestLedger()
        let accounts = try await test.ledger.createAccounts([
            NewAccount(code: "a", type: .asset, asset: .usd, flags: .creditsMustNotExceedDebits),
            NewAccount(code: "b", type: .equity, asset: .usd),
        ])
        let error = await ledgerError {
            _ = try await test.ledger.commit([.posted(id: TransferID(1), debit: accounts[1].id, credit: accounts[0].id, amountMinor: 1, asset: .usd)])
        }
        #expect(error == .exceedsDebits(index: 0, account: accounts[0].id, availableMinor: 0, requestedMinor: 1))
    }
}
