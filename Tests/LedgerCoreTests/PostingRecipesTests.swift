import Foundation
import LedgerCore
import Testing

/// A fresh ledger on a temporary SQLite file with the standard chart installed.
private struct Books {
    let ledger: Ledger
    let path: String
    let chart = ChartOfAccounts.standard

    static func open() async throws -> Books {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".sqlite").path
        let books = Books(ledger: try Ledger(path: path), path: path)
        _ = try await books.chart.install(in: books.ledger)
        // The books rehearse in test mode: the platform accounts' test-mode twins.
        _ = try await books.ledger.createAccounts(books.chart.platformAccounts.map(LedgerMode.test.platform)
            .filter { !books.chart.platformAccounts.contains($0) })
        return books
    }

    func close() {
        ledger.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func create(_ account: NewAccount) async throws -> AccountID {
        try await ledger.createAccounts([account])[0].id
    }

    /// The live account for a chart lookup; fails the test when either is missing.
    func live(_ account: NewAccount?) throws -> Account {
        let code = try #require(account).code
        return try #require(try ledger.account(code: code), "no account \(code)")
    }

    func id(_ account: NewAccount?) throws -> AccountID {
        try live(account).id
    }

    /// The posted balance on the account's normal side.
    func posted(_ account: NewAccount?) throws -> Int64 {
        let account = try live(account)
        return account.balance.posted(for: account.type)
    }

    func available(_ account: NewAccount?) throws -> Int64 {
        let account = try live(account)
        return account.balance.available(for: account.type)
    }

    @discardableResult
    func commit(_ transfers: [TransferRequest], key: String? = nil) async throws -> CommitReceipt {
        try await ledger.commit(transfers, idempotencyKey: key)
    }

    func expectClean(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let report = try ledger.verify()
        #expect(report.isClean, "\(String(describing: report.fault))", sourceLocation: sourceLocation)
    }
}

/// A USD task between an agent and a worker, with their wallets and the task's escrow.
private struct TaskBooks {
    let books: Books
    let asset: Asset
    let agentWallet: NewAccount, workerWallet: NewAccount, escrow: NewAccount
    let agent: AccountID, worker: AccountID, escrowID: AccountID, fees: AccountID

    static func open(asset: Asset = .usd, fundAgentMinor: Int64) async throws -> TaskBooks {
        let books = try await Books.open()
        let chart = books.chart
        let task = TaskBooks(
            books: books, asset: asset,
            agentWallet: chart.wallet(user: "agent", mode: .test, asset: asset), workerWallet: chart.wallet(user: "worker", mode: .test, asset: asset),
            escrow: chart.escrow(task: "t1", mode: .test, asset: asset),
            agent: try await books.create(chart.wallet(user: "agent", mode: .test, asset: asset)),
            worker: try await books.create(chart.wallet(user: "worker", mode: .test, asset: asset)),
            escrowID: try await books.create(chart.escrow(task: "t1", mode: .test, asset: asset)),
            fees: try books.id(chart.feeRevenue(mode: .test, asset: asset)))
        if fundAgentMinor > 0 {
            let clearing = try books.id(chart.clearing(connector: "test", mode: .test, asset: asset))
            try await books.commit(PostingRecipes.deposit(id: TransferID(1), clearing: clearing, wallet: task.agent,
                                                          amountMinor: fundAgentMinor, asset: asset))
        }
        return task
    }
}

@Suite struct PostingRecipesTests {
    // MARK: - Against a real ledger

    @Test func fundingFromWalletThenApprovingPaysWorkerAndFeeExactly() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 11_000)
        defer { t.books.close() }
        let split = try FeePolicy(basisPoints: 1_000, payer: .agentOnTop).split(budgetMinor: 10_000)
        try await t.books.commit(PostingRecipes.fundFromWallet(id: TransferID(10), wallet: t.agent, escrow: t.escrowID, split: split, asset: .usd))
        #expect(try t.books.posted(t.agentWallet) == 0)
        #expect(try t.books.posted(t.escrow) == 11_000)

        let approval = try PostingRecipes.approve(firstID: TransferID(20), escrow: t.escrowID, worker: t.worker, feeRevenue: t.fees,
                                                  split: split, asset: .usd)
        let receipt = try await t.books.commit(approval, key: "approve:t1")
        #expect(receipt.transfers.map(\.code) == [2, 3])
        #expect(try t.books.posted(t.escrow) == 0)
        #expect(try t.books.posted(t.workerWallet) == 10_000)
        #expect(try t.books.posted(t.books.chart.feeRevenue(mode: .test, asset: .usd)) == 1_000)
        #expect(try t.books.posted(t.books.chart.clearing(connector: "test", mode: .test, asset: .usd)) == 11_000)
        try t.books.expectClean()
    }

    @Test func approvingAgainWithTheSameKeyReplaysWithoutPayingTwice() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 1_000)
        defer { t.books.close() }
        let split = try FeePolicy(basisPoints: 500, payer: .fromPayout).split(budgetMinor: 1_000)
        try await t.books.commit(PostingRecipes.fundFromWallet(id: TransferID(10), wallet: t.agent, escrow: t.escrowID, split: split, asset: .usd))
        let approval = try PostingRecipes.approve(firstID: TransferID(20), escrow: t.escrowID, worker: t.worker, feeRevenue: t.fees,
                                                  split: split, asset: .usd)
        try await t.books.commit(approval, key: "approve:t1")
        let again = try await t.books.commit(approval, key: "approve:t1")
        #expect(again.replayed)
        #expect(try t.books.posted(t.workerWallet) == 950)
        #expect(try t.books.posted(t.books.chart.feeRevenue(mode: .test, asset: .usd)) == 50)
        try t.books.expectClean()
    }

    @Test func fundingBeyondTheWalletIsRefusedAndWritesNothing() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 500)
        defer { t.books.close() }
        let split = try FeePolicy(basisPoints: 1_000, payer: .agentOnTop).split(budgetMinor: 500)  // escrow 550
        await #expect(throws: LedgerError.exceedsCredits(index: 0, account: t.agent, availableMinor: 500, requestedMinor: 550)) {
            try await t.books.commit(PostingRecipes.fundFromWallet(id: TransferID(10), wallet: t.agent, escrow: t.escrowID, split: split, asset: .usd))
        }
        #expect(try t.books.posted(t.agentWallet) == 500)
        #expect(try t.books.posted(t.escrow) == 0)
        try t.books.expectClean()
    }

    @Test func milestonesWithFeeFromPayoutEmptyTheEscrowExactly() async throws {
        let t = try await TaskBooks.open(asset: .usdc, fundAgentMinor: 1_000_001)
        defer { t.books.close() }
        let split = try FeePolicy(basisPoints: 750, payer: .fromPayout).split(budgetMinor: 1_000_001)
        #expect(split.feeMinor == 75_000)  // 75_000.075 rounds down
        try await t.books.commit(PostingRecipes.fundFromWallet(id: TransferID(10), wallet: t.agent, escrow: t.escrowID, split: split, asset: .usdc))
        var released: Int64 = 0
        for (index, partMinor) in [Int64(333_333), 333_333, split.payoutMinor - 666_666].enumerated() {
            let part = try split.share(payoutPartMinor: partMinor, releasedPayoutMinor: released)
            let transfers = try PostingRecipes.partialRelease(firstID: TransferID(Int64(20 + 2 * index)), escrow: t.escrowID, worker: t.worker,
                                                              feeRevenue: t.fees, part: part, asset: .usdc)
            #expect(transfers.map(\.code) == [8, 9])
            try await t.books.commit(transfers)
            released += partMinor
        }
        #expect(try t.books.posted(t.escrow) == 0)
        #expect(try t.books.posted(t.workerWallet) == 925_001)
        #expect(try t.books.posted(t.books.chart.feeRevenue(mode: .test, asset: .usdc)) == 75_000)
        try t.books.expectClean()
    }

    @Test func cardFundingIntentCountsOnlyOncePosted() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 0)
        defer { t.books.close() }
        let clearing = try t.books.id(t.books.chart.clearing(connector: "stripe", mode: .test, asset: .usd))
        let split = try FeePolicy(basisPoints: 290, fixedMinor: 30, payer: .agentOnTop).split(budgetMinor: 1_000)  // escrow 1_059
        try await t.books.commit(PostingRecipes.fundIntent(id: TransferID(10), clearing: clearing, escrow: t.escrowID, split: split,
                                                           asset: .usd, timeoutSeconds: 86_400))
        let pending = try #require(try t.books.ledger.account(code: t.escrow.code)).balance
        #expect(pending.creditsPending == 1_059)
        #expect(try t.books.posted(t.escrow) == 0)

        try await t.books.commit(PostingRecipes.fundIntentSucceeded(id: TransferID(11), intent: TransferID(10)))
        #expect(try t.books.posted(t.escrow) == 1_059)
        #expect(try t.books.posted(t.books.chart.clearing(connector: "stripe", mode: .test, asset: .usd)) == 1_059)
        #expect(try t.books.ledger.transfer(TransferID(11))?.code == RecipeCode.fundIntentPost.rawValue)
        try t.books.expectClean()
    }

    @Test func failedCardFundingLeavesNothingInEscrow() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 0)
        defer { t.books.close() }
        let clearing = try t.books.id(t.books.chart.clearing(connector: "stripe", mode: .test, asset: .usd))
        let split = try FeePolicy(basisPoints: 0, payer: .agentOnTop).split(budgetMinor: 2_000)
        try await t.books.commit(PostingRecipes.fundIntent(id: TransferID(10), clearing: clearing, escrow: t.escrowID, split: split,
                                                           asset: .usd, timeoutSeconds: 3_600))
        try await t.books.commit(PostingRecipes.fundIntentFailed(id: TransferID(11), intent: TransferID(10)))
        let escrow = try #require(try t.books.ledger.account(code: t.escrow.code)).balance
        #expect(escrow == .zero)
        try t.books.expectClean()
    }

    @Test func cancellingRefundsTheWholeEscrowFeeIncluded() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 1_100)
        defer { t.books.close() }
        let split = try FeePolicy(basisPoints: 1_000, payer: .agentOnTop).split(budgetMinor: 1_000)
        try await t.books.commit(PostingRecipes.fundFromWallet(id: TransferID(10), wallet: t.agent, escrow: t.escrowID, split: split, asset: .usd))
        try await t.books.commit(PostingRecipes.cancelToWallet(id: TransferID(11), escrow: t.escrowID, wallet: t.agent,
                                                               amountMinor: split.escrowMinor, asset: .usd))
        #expect(try t.books.posted(t.agentWallet) == 1_100)
        #expect(try t.books.posted(t.escrow) == 0)
        #expect(try t.books.posted(t.books.chart.feeRevenue(mode: .test, asset: .usd)) == 0)
        try t.books.expectClean()
    }

    @Test func cardRefundIntentFreezesEscrowUntilTheProcessorAnswers() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 0)
        defer { t.books.close() }
        let clearing = try t.books.id(t.books.chart.clearing(connector: "stripe", mode: .test, asset: .usd))
        let split = try FeePolicy(basisPoints: 1_000, payer: .fromPayout).split(budgetMinor: 5_000)
        try await t.books.commit(PostingRecipes.fundIntent(id: TransferID(10), clearing: clearing, escrow: t.escrowID, split: split, asset: .usd, timeoutSeconds: 60))
        try await t.books.commit(PostingRecipes.fundIntentSucceeded(id: TransferID(11), intent: TransferID(10)))
        try await t.books.commit(PostingRecipes.refundIntent(id: TransferID(12), escrow: t.escrowID, clearing: clearing, amountMinor: 5_000, asset: .usd))
        #expect(try t.books.available(t.escrow) == 0)
        // While the refund is under way, the same money cannot also be approved.
        let approval = try PostingRecipes.approve(firstID: TransferID(13), escrow: t.escrowID, worker: t.worker, feeRevenue: t.fees, split: split, asset: .usd)
        await #expect(throws: LedgerError.self) { try await t.books.commit(approval) }

        try await t.books.commit(PostingRecipes.refundFailed(id: TransferID(15), intent: TransferID(12)))
        #expect(try t.books.available(t.escrow) == 5_000)
        try await t.books.commit(PostingRecipes.refundIntent(id: TransferID(16), escrow: t.escrowID, clearing: clearing, amountMinor: 5_000, asset: .usd))
        try await t.books.commit(PostingRecipes.refundSucceeded(id: TransferID(17), intent: TransferID(16)))
        #expect(try t.books.posted(t.escrow) == 0)
        #expect(try t.books.posted(t.books.chart.clearing(connector: "stripe", mode: .test, asset: .usd)) == 0)
        try t.books.expectClean()
    }

    @Test func withdrawalSettlesThroughPayoutsInFlight() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 5_000)
        defer { t.books.close() }
        let inFlight = t.books.chart.payoutsInFlight(connector: "test", mode: .test, asset: .usd)
        let clearing = t.books.chart.clearing(connector: "test", mode: .test, asset: .usd)
        try await t.books.commit(PostingRecipes.withdrawalIntent(id: TransferID(10), wallet: t.agent, inFlight: t.books.id(inFlight), amountMinor: 3_000, asset: .usd))
        #expect(try t.books.available(t.agentWallet) == 2_000)
        #expect(try t.books.posted(t.agentWallet) == 5_000)

        let settle = try PostingRecipes.withdrawalSucceeded(firstID: TransferID(11), intent: TransferID(10), inFlight: t.books.id(inFlight),
                                                            clearing: t.books.id(clearing), amountMinor: 3_000, asset: .usd)
        try await t.books.commit(settle)
        #expect(try t.books.posted(t.agentWallet) == 2_000)
        #expect(try t.books.posted(inFlight) == 0)
        #expect(try t.books.posted(clearing) == 2_000)

        try await t.books.commit(PostingRecipes.withdrawalIntent(id: TransferID(20), wallet: t.agent, inFlight: t.books.id(inFlight), amountMinor: 1_500, asset: .usd))
        try await t.books.commit(PostingRecipes.withdrawalFailed(id: TransferID(21), intent: TransferID(20)))
        #expect(try t.books.available(t.agentWallet) == 2_000)

        try await t.books.commit(PostingRecipes.payoutReturned(firstID: TransferID(30), settlement: TransferID(12), post: TransferID(11)))
        #expect(try t.books.posted(t.agentWallet) == 5_000)
        #expect(try t.books.posted(inFlight) == 0)
        #expect(try t.books.posted(clearing) == 5_000)
        #expect(try t.books.ledger.transfer(TransferID(31))?.reversesID == TransferID(11))
        try t.books.expectClean()
    }

    @Test func disputeSplitPaysEachPartyItsShare() async throws {
        let t = try await TaskBooks.open(fundAgentMinor: 1_100)
        defer { t.books.close() }
        let split = try FeePolicy(basisPoints: 1_000, payer: .agentOnTop).split(budgetMinor: 1_000)
        try await t.books.commit(PostingRecipes.fundFromWallet(id: TransferID(10), wallet: t.agent, escrow: t.escrowID, split: split, asset: .usd))
        let ruling = try PostingRecipes.disputeSplit(firstID: TransferID(20), escrow: t.escrowID, worker: t.worker, agent: t.agent, feeRevenue: t.fees,
                                                     escrowMinor: 1_100, workerMinor: 600, agentMinor: 450, feeMinor: 50, asset: .usd)
        #expect(ruling.map(\.code) == [22, 23, 24])
        try await t.books.commit(ruling)
        #expect(try t.books.posted(t.workerWallet) == 600)
        #expect(try t.books.posted(t.agentWallet) == 450)
        #expect(try t.books.posted(t.books.chart.feeRevenue(mode: .test, asset: .usd)) == 50)
        #expect(try t.books.posted(t.escrow) == 0)
        try t.books.expectClean()
    }

    @Test func gasIsBookedInGweiRoundedUpWithTheExactWei() async throws {
        let books = try await Books.open()
        defer { books.close() }
        let clearing = books.chart.clearing(connector: "base", mode: .live, asset: .eth)
        try await books.commit(PostingRecipes.opening(id: TransferID(1), clearing: books.id(clearing), equity: books.id(books.chart.opening(mode: .live, asset: .eth)),
                                                      amountMinor: 1_000_000_000, asset: .eth))
        let wei: UInt64 = 21_000 * 1_500_000_001  // 31_500.000021 gwei
        let transfers = try PostingRecipes.gas(id: TransferID(2), expense: books.id(books.chart.gasExpense), clearing: books.id(clearing),
                                               wei: wei, reference: "0xabc")
        #expect(transfers[0].amountMinor == 31_501)
        #expect(transfers[0].metadata == #"{"reference":"0xabc","wei":"31500000021000"}"#)
        try await books.commit(transfers)
        #expect(try books.posted(books.chart.gasExpense) == 31_501)
        #expect(try books.posted(clearing) == 1_000_000_000 - 31_501)
        #expect(try books.ledger.transfer(TransferID(2))?.metadata?.contains(#""wei":"31500000021000""#) == true)
        try books.expectClean()
    }

    @Test func processorFeeComesOutOfStripeClearing() async throws {
        let books = try await Books.open()
        defer { books.close() }
        let clearing = books.chart.clearing(connector: "stripe", mode: .live, asset: .usd)
        try await books.commit(PostingRecipes.processorFee(id: TransferID(1), expense: books.id(books.chart.processorFeeExpense),
                                                           clearing: books.id(clearing), amountMinor: 59, asset: .usd))
        #expect(try books.posted(books.chart.processorFeeExpense) == 59)
        #expect(try books.posted(clearing) == -59)
        #expect(try books.ledger.transfer(TransferID(1))?.code == 20)
        try books.expectClean()
    }

    // MARK: - Pure

    @Test func approvalWithoutFeeIsOneTransferAndIdsFollowTheFirst() throws {
        let free = try FeePolicy(basisPoints: 0, payer: .fromPayout).split(budgetMinor: 700)
        let one = try PostingRecipes.approve(firstID: TransferID(100), escrow: AccountID(1), worker: AccountID(2), feeRevenue: AccountID(3), split: free, asset: .usd)
        #expect(one.map(\.id) == [TransferID(100)])
        #expect(one.map(\.amountMinor) == [700])
        let paid = try FeePolicy(basisPoints: 1_000, payer: .fromPayout).split(budgetMinor: 700)
        let two = try PostingRecipes.approve(firstID: TransferID(100), escrow: AccountID(1), worker: AccountID(2), feeRevenue: AccountID(3), split: paid, asset: .usd)
        #expect(two.map(\.id) == [TransferID(100), TransferID(101)])
        #expect(two.map(\.amountMinor) == [630, 70])
        #expect(two.map(\.creditAccountID) == [AccountID(2), AccountID(3)])
    }

    @Test func derivedTransferIDsRefuseOverflow() throws {
        let split = try FeeSplit(payoutMinor: 10, feeMinor: 1)
        #expect(throws: RecipeError.transferIDOutOfRange(base: TransferID(.max), offset: 1)) {
            try PostingRecipes.approve(firstID: TransferID(.max), escrow: AccountID(1), worker: AccountID(2), feeRevenue: AccountID(3), split: split, asset: .usd)
        }
    }

    static let badRulings: [(worker: Int64, agent: Int64, fee: Int64, error: RecipeError)] = [
        (600, 450, 49, .partsDoNotSumToEscrow(escrowMinor: 1_100, partsMinor: 1_099)),
        (600, 450, 51, .partsDoNotSumToEscrow(escrowMinor: 1_100, partsMinor: 1_101)),
        (1_200, -150, 50, .amountInvalid(field: "agent", amountMinor: -150)),
        (.max, .max, 0, .partsDoNotSumToEscrow(escrowMinor: 1_100, partsMinor: nil)),
    ]

    @Test(arguments: badRulings.indices)
    func disputeSplitRefusesPartsThatDoNotMakeTheEscrow(index: Int) {
        let r = Self.badRulings[index]
        #expect(throws: r.error) {
            try PostingRecipes.disputeSplit(firstID: TransferID(1), escrow: AccountID(1), worker: AccountID(2), agent: AccountID(3), feeRevenue: AccountID(4),
                                            escrowMinor: 1_100, workerMinor: r.worker, agentMinor: r.agent, feeMinor: r.fee, asset: .usd)
        }
    }

    @Test func gweiRoundUpOnlyWhenThereAreLeftoverWei() {
        #expect(PostingRecipes.gweiRoundedUp(wei: 1) == 1)
        #expect(PostingRecipes.gweiRoundedUp(wei: 1_000_000_000) == 1)
        #expect(PostingRecipes.gweiRoundedUp(wei: 1_000_000_001) == 2)
        #expect(PostingRecipes.gweiRoundedUp(wei: .max) == 18_446_744_074)
    }

    @Test func recipeTableDocumentsEveryCode() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Ledger/posting-recipes.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for code in RecipeCode.allCases {
            #expect(text.contains("| \(code.rawValue) | `\(code)` |"), "\(code) missing from the code table")
            #expect(text.contains("\(code.rawValue) `\(code)`"), "\(code) missing from the recipes table")
        }
    }
}
