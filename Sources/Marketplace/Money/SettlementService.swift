import Connectors
import Crypto
import Foundation
public import Logging
public import LedgerCore

/// Where money moves for the marketplace: wallets, test-mode deposits, funding a task from the
/// wallet, refunds on cancel. Every movement is a posting recipe committed to the ledger
/// through a recorded `Operation`; this service never writes ledger tables.
public struct SettlementService: Sendable {
    let ledger: Ledger
    let store: MarketplaceStore
    let chart: ChartOfAccounts
    public let pricing: Pricing
    let clock: LedgerClock
    /// Card payments through a connector (Stripe); nil keeps the test-mode connector only.
    public var card: CardPayments?
    /// USDC on Base (payouts, deposits, authorization funding); nil keeps the test connector.
    public var chain: ChainPayments?
    /// Where connector failures, refused events and chain notices are logged.
    public var logger = Logger(label: "settlement")

    /// The assets a wallet can hold.
    public static let walletAssets: [Asset] = [.usd, .usdc]
    /// The longest client idempotency key.
    public static let idempotencyKeyLengthMax = 255
    /// The most one test-mode deposit credits, in whole units (100,000.00 USD or USDC): test
    /// money is free, and an uncapped deposit could push the shared test clearing account
    /// toward Int64's end, where every other user's deposit would be refused.
    public static let testDepositUnitsMax: Int64 = 100_000

    public init(ledger: Ledger, store: MarketplaceStore, chart: ChartOfAccounts = .standard, pricing: Pricing = .standard,
                clock: LedgerClock = .system) {
        self.ledger = ledger
        self.store = store
        self.chart = chart
        self.pricing = pricing
        self.clock = clock
    }

    /// The caller's wallets, one per asset.
    public func wallets(for caller: Principal) async throws(MarketplaceError) -> [Wallet] {
        try caller.require(.walletRead)
        var wallets: [Wallet] = []
        for asset in Self.walletAssets { wallets.append(try await wallet(of: caller, asset: asset)) }
        return wallets
    }

    /// Credits the caller's wallet through the test connector (test mode only).
    public func deposit(amount: String, currency: String, idempotencyKey: String, by caller: Principal) async throws(MarketplaceError) -> Wallet {
        try caller.require(.walletWrite)
        guard caller.mode == .test else {
            throw .forbidden("live deposits arrive through a payment connector, not this endpoint")
        }
        let (asset, amountMinor) = try Self.money(amount, currency)
        guard amountMinor <= Self.testDepositUnitsMax * MinorUnits.factor(scale: asset.scale) else {
            throw .validation(field: "amount", message: "a test deposit is at most \(Self.testDepositUnitsMax) \(asset.code)")
        }
        let key = try Self.clientKey(idempotencyKey, scope: "deposit:\(caller.userID)")
        let clearing = chart.clearing(connector: "test", mode: .test, asset: asset)!
        let walletAccount = walletAccount(caller, asset)
        let now = clock.nowMicros()
        return try await store.transaction { transaction in
            let clearing = try transaction.account(clearing)
            let wallet = try transaction.account(walletAccount)
            let replayed = try Operation.find(key: key, in: transaction.stores) != nil
            let operation = try Operation.commit(key: key, in: transaction, nowMicros: now) { first in
                PostingRecipes.deposit(id: first, clearing: clearing, wallet: wallet, amountMinor: amountMinor, asset: asset)
            }
            if !replayed {  // a replayed key moves nothing and tells nothing again
                try TestConnectorLog.record(.deposit, asset: asset, amountMinor: amountMinor, transfer: operation.firstTransferID, nowMicros: now, transaction.stores)
                try Outbox.emit(.depositCredited, to: [caller.userID], mode: caller.mode, task: nil,
                                data: ["amount": Outbox.money(amountMinor, asset), "connector": "test"], nowMicros: now, transaction.stores)
            }
            // The answer is made in the commit, so that a keyed deposit's stored answer lands with it.
            return try Self.wallet(of: caller, asset: asset, account: wallet, transaction.stores) { transaction.balance(of: $0) }
        }
    }

    /// Funds a published task from the owner's wallet: budget plus the fee on top into the task's
    /// escrow. Funding twice returns the first funding; a short wallet is INSUFFICIENT_BALANCE.
    public func fund(_ taskID: String, by caller: Principal) async throws(MarketplaceError) -> TaskFunding {
        switch try await fund(taskID, from: .wallet, by: caller) {
        case .funded(let funding, _): return funding
        case .awaitingApproval(let approval):
            throw .conflict(field: nil, message: "the funding waits for the account owner's approval (\(approval.id))")
        default: throw .internalError("a wallet funding answered neither funded nor awaiting approval")
        }
    }

    /// Funds a published or assigned task from the owner's wallet or through the test connector,
    /// in one commit: the checks, the ledger batch, the funding row. Through an API key with a
    /// spend policy, a funding above its caps is not made: it waits for the account owner's
    /// approval. Funding twice returns the first funding. Checked inside the commit, so a
    /// concurrent cancel either sees this funding (and refunds it) or refuses it, and two
    /// fundings through one key cannot both slip under its cap; a short wallet rolls all of it
    /// back (INSUFFICIENT_BALANCE).
    func fund(_ taskID: String, from source: FundingSource, by caller: Principal) async throws(MarketplaceError) -> FundingOutcome {
        try caller.require(.walletWrite)
        try caller.requirePoster()
        let now = clock.nowMicros()
        return try await store.transaction { transaction in try fund(taskID, from: source, by: caller, nowMicros: now, in: transaction) }
    }

    /// Funding's work inside a commit, for `fund` and for approving a funding that awaited approval.
    func fund(_ taskID: String, from source: FundingSource, by caller: Principal, nowMicros now: Int64,
              in transaction: LedgerTransaction) throws -> FundingOutcome {
        guard source == .wallet || source == .connector else {
            throw MarketplaceError.validation(field: "source", message: "card and USDC funding go through their connectors")
        }
        let stores = transaction.stores
        let owned = try TaskService.owned(taskID, by: caller, stores)
        if !owned.milestones.isEmpty {
            return try fundMilestones(only: nil, of: owned, from: source, by: caller, nowMicros: now, in: transaction)
        }
        let preparation: FundingPreparation
        switch try prepareFunding(taskID, by: caller, nowMicros: now, stores) {
        case .funded(let funding, let task): return .funded(funding, mockOperator: task.spec.mockOperator)
        case .ready(let ready): preparation = ready
        }
        guard source == .wallet || caller.mode == .test else {
            throw MarketplaceError.forbidden("live funding through a connector goes through Stripe Checkout or a USDC authorization")
        }
        let (task, split, keyID) = (preparation.task, preparation.split, preparation.keyID)
        let asset = task.spec.asset
        if let keyID, let reason = preparation.policyRefusal {
            return .awaitingApproval(try Self.requestApproval(taskID: taskID, userID: caller.userID, keyID: keyID, escrowMinor: split.escrowMinor,
                                                              asset: asset, reason: reason, nowMicros: now, stores))
        }
        let payer = try transaction.account(source == .wallet ? walletAccount(caller, asset) : chart.clearing(connector: "test", mode: .test, asset: asset)!)
        let escrow = try transaction.account(chart.escrow(task: taskID, mode: caller.mode.ledger, asset: asset))
        let metadata = #"{"task":"\#(taskID)","fee_rule":"\#(pricing.version)"}"#
        let operation = try Operation.commit(key: "fund:\(taskID)", in: transaction, nowMicros: now) { first in
            source == .wallet
                ? PostingRecipes.fundFromWallet(id: first, wallet: payer, escrow: escrow, split: split, asset: asset, metadata: metadata)
                : PostingRecipes.fundFromDeposit(id: first, clearing: payer, escrow: escrow, split: split, asset: asset, metadata: metadata)
        }
        if source == .connector {
            try TestConnectorLog.record(.funding, asset: asset, amountMinor: split.escrowMinor, transfer: operation.firstTransferID, nowMicros: now, stores)
        }
        let funding = TaskFunding(taskID: taskID, escrowAccountID: escrow, asset: asset, split: split, feeRule: pricing.version, source: source)
        try funding.insert(fundedAt: now, keyID: keyID, stores)
        try Outbox.emit(.taskFunded, to: [task.ownerID], mode: task.mode, task: task, data: Outbox.funded(funding), nowMicros: now, stores)
        return .funded(funding, mockOperator: task.spec.mockOperator)
    }

    /// Cancels a published or assigned task; a funded one is refunded in full, fee included (to
    /// the wallet, or to the card that paid), and the answer says how.
    public func cancel(_ taskID: String, by caller: Principal) async throws(MarketplaceError) -> ClosedTask {
        try caller.require(.tasksWrite)
        guard let closed = try await close(taskID, on: .cancel, reason: "canceled", owner: caller) else {
            throw .notFound("no task \(taskID)")
        }
        return closed
    }

    /// Commits every operation recorded but not yet committed (after a crash); returns how many.
    public func resumePendingOperations() async throws(MarketplaceError) -> Int {
        let pending = try store.read { stores in try stores.operations.pending() }
        for operation in pending {
            do {
                try await commit(operation)
            } catch where error.isTransient {
                // The ledger may or may not have it: leave the operation for the next start.
                continue
            } catch {
                try await forget(operation)
                continue
            }
            if operation.key.hasPrefix("approve:") { _ = try await markPaid(String(operation.key.dropFirst(8))) }
        }
        // Withdrawals whose settlement was never recorded (a stop between the two commits).
        _ = try await finishTestWithdrawals()
        return pending.count
    }

    /// A task's funding, when its money is in escrow.
    public func funding(of taskID: String) throws(MarketplaceError) -> TaskFunding? {
        try store.read { stores in try stores.fundings.committed(of: taskID) }
    }

    /// The ledger mode of a task's money, for a commit that has only the task's id.
    static func mode(ofTask taskID: String, _ stores: Stores) throws -> LedgerMode {
        guard let task = try stores.tasks.fetch(taskID) else { throw MarketplaceError.internalError("task \(taskID) is not on record") }
        return task.mode.ledger
    }

    /// A task's funding whose ledger batch is committed (read inside a read or a transaction).
    static func committedFunding(of taskID: String, _ stores: Stores) throws -> TaskFunding? {
        try stores.fundings.committed(of: taskID)
    }

    // MARK: - Ledger plumbing

    /// Drops an operation the ledger refused (nothing moved), and the funding it stood for.
    func forget(_ operation: Operation) async throws(MarketplaceError) {
        try await store.write { stores in
            if operation.key.hasPrefix("fund:") { try stores.fundings.delete(of: String(operation.key.dropFirst(5))) }
            try stores.operations.forgetPending(operation.id)
        }
    }

    static func assetCode(of operation: Operation) -> String {
        operation.batch.transfers.first?.asset?.code ?? "?"
    }

    /// Commits an operation recorded in an earlier write (a crash's leftovers, a withdrawal's
    /// second step) and marks it; one already committed is left alone.
    func commit(_ operation: Operation) async throws(LedgerError) {
        guard !operation.isCommitted else { return }
        _ = try await ledger.commit(operation.batch)
        do {
            try await store.write { stores in try stores.operations.markCommitted(operation.id) }
        } catch {
            throw .storage("the operation committed but could not be marked: \(error)")
        }
    }

    private func wallet(of caller: Principal, asset: Asset) async throws(MarketplaceError) -> Wallet {
        let account = try await account(walletAccount(caller, asset))
        let ledger = ledger
        return try store.read { stores in
            try Self.wallet(of: caller, asset: asset, account: account, stores) { id in try ledger.account(id)?.balance }
        }
    }

    /// The wallet as `db` and `balance` see it: the committed state, or a commit's own.
    /// Frozen sums the escrows of the owner's open funded tasks; a sum past Int64 is refused.
    static func wallet(of caller: Principal, asset: Asset, account: AccountID, _ stores: Stores,
                       balance: (AccountID) throws -> AccountBalance?) throws -> Wallet {
        let walletBalance = try balance(account) ?? .zero
        let escrows = try stores.fundings.openEscrows(owner: caller.userID, mode: caller.mode, asset: asset)
        var frozen = walletBalance.pendingOutflows(for: .liability)
        for escrow in escrows {
            let escrowBalance = try balance(escrow) ?? .zero
            frozen = try Self.sum(frozen, escrowBalance.posted(for: .liability), escrowBalance.pendingOutflows(for: .liability), field: "frozen")
        }
        return Wallet(asset: asset, accountID: account, availableMinor: walletBalance.available(for: .liability),
                      pendingMinor: walletBalance.pendingOutflows(for: .liability), frozenMinor: frozen)
    }

    /// `values` added with overflow refused as a typed error naming `field`.
    static func sum(_ values: Int64..., field: String) throws(MarketplaceError) -> Int64 {
        var total: Int64 = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw .validation(field: field, message: "\(field) is past the largest amount the ledger holds") }
            total = next
        }
        return total
    }

    /// Each user has a wallet per mode and asset: test and live money never share an account.
    func walletAccount(_ caller: Principal, _ asset: Asset) -> NewAccount {
        walletAccount(user: caller.userID, mode: caller.mode, asset)
    }

    /// The one place the wallet naming lives: a user's wallet per mode and asset.
    func walletAccount(user userID: String, mode: Mode, _ asset: Asset) -> NewAccount {
        chart.wallet(user: userID, mode: mode.ledger, asset: asset)
    }

    func account(_ new: NewAccount) async throws(MarketplaceError) -> AccountID {
        if let existing = try readLedger({ try ledger.account(code: new.code) }) { return existing.id }
        do {
            return try await ledger.createAccounts([new])[0].id
        } catch {
            throw .internalError("cannot open account \(new.code): \(error)")
        }
    }

    private func readLedger<T>(_ body: () throws -> T) throws(MarketplaceError) -> T {
        do { return try body() } catch { throw .internalError("ledger: \(error)") }
    }

    static func money(_ amount: String, _ currency: String) throws(MarketplaceError) -> (Asset, Int64) {
        guard let asset = Asset.named(currency), walletAssets.contains(asset) else {
            throw .validation(field: "currency", message: "currency must be USD or USDC")
        }
        let minor: Int64
        do { minor = try MinorUnits.parse(amount, scale: asset.scale) } catch { throw .validation(field: "amount", message: "amount: \(error)") }
        guard minor > 0 else { throw .validation(field: "amount", message: "amount must be greater than zero") }
        return (asset, minor)
    }

    /// The ledger key for a client's Idempotency-Key: `scope:key`, or, when that plus
    /// `suffixLength` characters would not fit the ledger's 255, `scope:#` and the key's SHA-256
    /// in hex. Keys that fitted before keep their old form, so a retry across versions replays.
    static func clientKey(_ key: String, scope: String, suffixLength: Int = 0) throws(MarketplaceError) -> String {
        guard !key.isEmpty, key.count <= idempotencyKeyLengthMax else {
            throw .validation(field: "idempotency_key", message: "send an Idempotency-Key header of 1 to \(idempotencyKeyLengthMax) characters")
        }
        let plain = "\(scope):\(key)"
        if plain.count + suffixLength <= TransferBatch.idempotencyKeyLengthMax { return plain }
        return "\(scope):#\(Hex.encode(SHA256.hash(data: Array(key.utf8)), prefix: false))"
    }
}
