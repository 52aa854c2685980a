/// The ledger's state held in memory by the single writer: every account's balances, the
/// open holds and the head of the journal. Batches are validated here, against these
/// values, before a row is written; a batch that fails leaves the state as it found it.
struct LedgerState {
    /// Indexed by account id (ids are dense from 1; index 0 is unused).
    var accounts: [AccountState] = [AccountState(balance: .zero, assetID: 0, flags: [], mode: .live)]
    var holds: [TransferID: Hold] = [:]
    /// A lower bound on the earliest expiry among `holds`, nil when none has a timeout.
    var nextExpiryAt: Int64?
    /// The largest caller transfer id in the journal: a larger id needs no look-up to be unique.
    var maxTransferID: Int64 = 0
    var lastSeq: Int64 = 0
    var lastTimestamp: Int64 = 0
    var lastHash: JournalHash = .genesis
    /// Increases once per staged batch and once per commit, to mark touched accounts.
    private var batchMark: Int64 = 0
    private(set) var commitMark: Int64 = 0
    /// Accounts whose balances changed in the open commit, each once.
    private(set) var touchedInCommit: [Int] = []

    /// Starts a new commit's bookkeeping.
    mutating func beginCommit() {
        commitMark += 1
        touchedInCommit.removeAll(keepingCapacity: true)
    }

    func hasAccount(_ id: AccountID) -> Bool {
        id.rawValue > 0 && id.rawValue < Int64(accounts.count)
    }

    /// Expires every hold due at `timestamp`, appending the ledger's void rows to `rows`.
    mutating func expireHolds(at timestamp: Int64, into rows: inout [Transfer.Fields]) {
        guard let next = nextExpiryAt, next <= timestamp else { return }
        var due: [Hold] = []
        var earliestRemaining: Int64?
        for hold in holds.values {
            guard let expiresAt = hold.expiresAt else { continue }
            if expiresAt <= timestamp {
                due.append(hold)
            } else {
                earliestRemaining = min(earliestRemaining ?? expiresAt, expiresAt)
            }
        }
        nextExpiryAt = earliestRemaining
        // Oldest first, so the journal reads in the order the holds lapsed.
        for hold in due.sorted(by: { ($0.expiresAt!, $0.id) < ($1.expiresAt!, $1.id) }) {
            holds[hold.id] = nil
            touch(hold.debitAccountID)
            touch(hold.creditAccountID)
            accounts[Int(hold.debitAccountID.rawValue)].balance.debitsPending -= hold.amountMinor
            accounts[Int(hold.creditAccountID.rawValue)].balance.creditsPending -= hold.amountMinor
            lastSeq += 1
            rows.append(Transfer.Fields(
                seq: lastSeq, id: .expiry(of: hold.id), debitAccountID: hold.debitAccountID,
                creditAccountID: hold.creditAccountID, amountMinor: hold.amountMinor, assetID: hold.assetID,
                flags: .expiry, pendingID: hold.id, reversesID: nil, timeoutSeconds: 0, code: 0,
                timestamp: timestamp, metadata: nil))
        }
    }

    /// Validates `batch` and applies it, appending its rows to `rows`; all or none. Returns what
    /// undoes it, for a transaction that fails after the batch was staged.
    @discardableResult
    mutating func stage(_ batch: TransferBatch, at timestamp: Int64, lookup: some JournalLookup, into rows: inout [Transfer.Fields]) throws(LedgerError) -> Undo {
        guard !batch.transfers.isEmpty else { throw .emptyBatch }
        guard batch.transfers.count <= TransferBatch.transfersMax else {
            throw .batchTooLarge(count: batch.transfers.count, max: TransferBatch.transfersMax)
        }
        batchMark += 1
        var undo = Undo(maxTransferID: maxTransferID, lastSeq: lastSeq, nextExpiryAt: nextExpiryAt, rowCount: rows.count)
        do {
            var context = BatchContext()
            for (index, request) in batch.transfers.enumerated() {
                let row = try stage(request, index: index, earlier: batch.transfers[..<index], at: timestamp, lookup: lookup,
                                    context: &context, undo: &undo)
                rows.append(row)
            }
        } catch {
            rollBack(undo, rows: &rows)
            throw error
        }
        assertBalanced(undo)
        return undo
    }

    /// The invariants every staged batch keeps, checked in debug builds on both sides of the
    /// batch: per asset, what it debited equals what it credited (pending and posted), and no
    /// account it touched is past its constraint, before or after.
    private func assertBalanced(_ undo: Undo) {
        #if DEBUG
        var moved: [Int64: (debits: Int64, credits: Int64)] = [:]
        for (index, before) in undo.accounts {
            let account = accounts[index]
            let after = account.balance
            assert(Self.withinConstraint(before, account.flags), "account \(index) was past its constraint before the batch")
            assert(Self.withinConstraint(after, account.flags), "account \(index) is past its constraint after the batch")
            let debits = (after.debitsPending &- before.debitsPending) &+ (after.debitsPosted &- before.debitsPosted)
            let credits = (after.creditsPending &- before.creditsPending) &+ (after.creditsPosted &- before.creditsPosted)
            moved[account.assetID, default: (0, 0)].debits &+= debits
            moved[account.assetID, default: (0, 0)].credits &+= credits
        }
        for (asset, sums) in moved {
            assert(sums.debits == sums.credits, "a batch debited \(sums.debits) and credited \(sums.credits) of \(Self.code(of: asset))")
        }
        #endif
    }

    /// True when `balance` keeps the constraint `flags` name (pending counts against it).
    static func withinConstraint(_ balance: AccountBalance, _ flags: AccountFlags) -> Bool {
        if flags.contains(.debitsMustNotExceedCredits), balance.debitsPending &+ balance.debitsPosted > balance.creditsPosted { return false }
        if flags.contains(.creditsMustNotExceedDebits), balance.creditsPending &+ balance.creditsPosted > balance.debitsPosted { return false }
        return true
    }

    // MARK: - One transfer

    private mutating func stage(_ request: TransferRequest, index: Int, earlier: ArraySlice<TransferRequest>, at timestamp: Int64,
                                lookup: some JournalLookup, context: inout BatchContext, undo: inout Undo) throws(LedgerError) -> Transfer.Fields {
        try checkID(request.id, index: index, earlier: earlier, lookup: lookup, context: &context)
        if let metadata = request.metadata, metadata.utf8.count > TransferRequest.metadataBytesMax {
            throw .metadataTooLong(index: index, bytes: metadata.utf8.count)
        }
        var row: Transfer.Fields
        switch request.kind {
        case .posted:
            row = try movement(request, index: index, pending: false, timeoutSeconds: 0, undo: &undo)
        case .pending(let timeoutSeconds):
            guard timeoutSeconds >= 0, timeoutSeconds <= TransferRequest.timeoutSecondsMax else {
                throw .timeoutOutOfRange(index: index, timeoutSeconds: timeoutSeconds)
            }
            row = try movement(request, index: index, pending: true, timeoutSeconds: timeoutSeconds, undo: &undo)
        case .postPending(let pendingID):
            row = try resolve(pendingID, post: true, request: request, index: index, lookup: lookup, context: &context, undo: &undo)
        case .voidPending(let pendingID):
            row = try resolve(pendingID, post: false, request: request, index: index, lookup: lookup, context: &context, undo: &undo)
        case .reversal(let originalID):
            row = try reversal(of: originalID, request: request, index: index, lookup: lookup, context: &context, undo: &undo)
        }
        lastSeq += 1
        row.seq = lastSeq
        row.timestamp = timestamp
        if row.flags == .pending {
            let hold = Hold(Transfer(row, hash: .genesis))
            holds[hold.id] = hold
            undo.holdsAdded.append(hold.id)
            if let expiresAt = hold.expiresAt { nextExpiryAt = min(nextExpiryAt ?? expiresAt, expiresAt) }
        }
        return row
    }

    /// Ids only grow in the common case, which costs one comparison; an id below the largest
    /// seen is looked up in the journal and among the batch's earlier transfers (all accepted,
    /// or the batch would have stopped), gathered into a set only then.
    private mutating func checkID(_ id: TransferID, index: Int, earlier: ArraySlice<TransferRequest>, lookup: some JournalLookup,
                                  context: inout BatchContext) throws(LedgerError) {
        guard id.rawValue > 0 else { throw .invalidTransferID(index: index, id: id) }
        if id.rawValue > maxTransferID {
            maxTransferID = id.rawValue
            context.idsBelowMax?.insert(id)
            return
        }
        if context.idsBelowMax == nil { context.idsBelowMax = Set(earlier.map(\.id)) }
        if context.idsBelowMax!.contains(id) { throw .transferExists(index: index, id: id) }
        if try lookup.transferExists(id) { throw .transferExists(index: index, id: id) }
        context.idsBelowMax!.insert(id)
    }

    /// A posted or pending movement between two named accounts.
    private mutating func movement(_ request: TransferRequest, index: Int, pending: Bool, timeoutSeconds: Int64, undo: inout Undo) throws(LedgerError) -> Transfer.Fields {
        guard let debit = request.debitAccountID else { throw .missingField(index: index, field: "debit_account_id") }
        guard let credit = request.creditAccountID else { throw .missingField(index: index, field: "credit_account_id") }
        guard let amount = request.amountMinor else { throw .missingField(index: index, field: "amount") }
        guard let asset = request.asset else { throw .missingField(index: index, field: "asset") }
        guard amount > 0 else { throw .amountNotPositive(index: index, amountMinor: amount) }
        guard hasAccount(debit) else { throw .unknownAccount(index: index, field: "debit_account_id", id: debit) }
        guard hasAccount(credit) else { throw .unknownAccount(index: index, field: "credit_account_id", id: credit) }
        guard debit != credit else { throw .sameAccount(index: index, id: debit) }
        let debitAsset = accounts[Int(debit.rawValue)].assetID
        let creditAsset = accounts[Int(credit.rawValue)].assetID
        guard debitAsset == asset.id, creditAsset == asset.id else {
            throw .assetMismatch(index: index, asset: asset.code, debitAsset: Self.code(of: debitAsset), creditAsset: Self.code(of: creditAsset))
        }
        guard accounts[Int(debit.rawValue)].mode == accounts[Int(credit.rawValue)].mode else {
            throw .modeMismatch(index: index, debit: debit, credit: credit)
        }
        try apply(debit: debit, credit: credit, pendingDelta: pending ? amount : 0, postedDelta: pending ? 0 : amount, index: index, undo: &undo)
        return Transfer.Fields(seq: 0, id: request.id, debitAccountID: debit, creditAccountID: credit, amountMinor: amount,
                               assetID: asset.id, flags: pending ? .pending : [], pendingID: nil, reversesID: nil,
                               timeoutSeconds: timeoutSeconds, code: request.code, timestamp: 0, metadata: request.metadata)
    }

    /// Posts (part of) or voids a pending transfer.
    private mutating func resolve(_ pendingID: TransferID, post: Bool, request: TransferRequest, index: Int, lookup: some JournalLookup,
                                  context: inout BatchContext, undo: inout Undo) throws(LedgerError) -> Transfer.Fields {
        guard let hold = holds[pendingID] else {
            throw try Self.whyNotOpen(pendingID, index: index, lookup: lookup, resolvedInBatch: context.resolved[pendingID])
        }
        var amount = hold.amountMinor
        if post, let requested = request.amountMinor {
            guard requested > 0 else { throw .amountNotPositive(index: index, amountMinor: requested) }
            guard requested <= hold.amountMinor else {
                throw .postExceedsPending(index: index, pendingID: pendingID, pendingMinor: hold.amountMinor, requestedMinor: requested)
            }
            amount = requested
        } else if !post, let requested = request.amountMinor, requested != hold.amountMinor {
            throw .postExceedsPending(index: index, pendingID: pendingID, pendingMinor: hold.amountMinor, requestedMinor: requested)
        }
        try apply(debit: hold.debitAccountID, credit: hold.creditAccountID, pendingDelta: -hold.amountMinor,
                  postedDelta: post ? amount : 0, index: index, undo: &undo)
        holds[pendingID] = nil
        undo.holdsRemoved.append(hold)
        context.resolved[pendingID] = post ? .postPending : .voidPending
        return Transfer.Fields(seq: 0, id: request.id, debitAccountID: hold.debitAccountID, creditAccountID: hold.creditAccountID,
                               amountMinor: amount, assetID: hold.assetID, flags: post ? .postPending : .voidPending,
                               pendingID: pendingID, reversesID: nil, timeoutSeconds: 0, code: request.code, timestamp: 0,
                               metadata: request.metadata)
    }

    /// The precise reason a pending transfer cannot be posted or voided.
    private static func whyNotOpen(_ pendingID: TransferID, index: Int, lookup: some JournalLookup, resolvedInBatch: TransferFlags?) throws(LedgerError) -> LedgerError {
        if let resolvedInBatch {
            return resolvedInBatch == .postPending ? .pendingAlreadyPosted(index: index, pendingID: pendingID) : .pendingAlreadyVoided(index: index, pendingID: pendingID)
        }
        guard let original = try lookup.transfer(pendingID) else { return .pendingNotFound(index: index, pendingID: pendingID) }
        guard original.flags == .pending else { return .notPending(index: index, id: pendingID) }
        guard let resolution = try lookup.resolution(of: pendingID) else {
            return .storage("pending transfer \(pendingID) is open in the journal but not in memory")
        }
        if resolution.flags.contains(.expired) { return .pendingExpired(index: index, pendingID: pendingID) }
        if resolution.flags.contains(.postPending) { return .pendingAlreadyPosted(index: index, pendingID: pendingID) }
        return .pendingAlreadyVoided(index: index, pendingID: pendingID)
    }

    /// A compensating movement back along a posted transfer.
    private mutating func reversal(of originalID: TransferID, request: TransferRequest, index: Int, lookup: some JournalLookup,
                                   context: inout BatchContext, undo: inout Undo) throws(LedgerError) -> Transfer.Fields {
        guard let original = try lookup.transfer(originalID) else { throw .reversalTargetNotFound(index: index, id: originalID) }
        guard original.flags == [] || original.flags == .postPending, original.reversesID == nil else {
            throw .reversalTargetNotPosted(index: index, id: originalID)
        }
        let reversed = try lookup.reversedMinor(of: originalID) + context.reversed[originalID, default: 0]
        let remaining = original.amountMinor - reversed
        let amount = request.amountMinor ?? remaining
        guard amount > 0 || request.amountMinor == nil else { throw .amountNotPositive(index: index, amountMinor: amount) }
        guard amount > 0, amount <= remaining else {
            throw .reversalExceedsOriginal(index: index, id: originalID, remainingMinor: remaining, requestedMinor: amount)
        }
        try apply(debit: original.creditAccountID, credit: original.debitAccountID, pendingDelta: 0, postedDelta: amount, index: index, undo: &undo)
        context.reversed[originalID, default: 0] += amount
        return Transfer.Fields(seq: 0, id: request.id, debitAccountID: original.creditAccountID, creditAccountID: original.debitAccountID,
                               amountMinor: amount, assetID: original.assetID, flags: [], pendingID: nil, reversesID: originalID,
                               timeoutSeconds: 0, code: request.code, timestamp: 0, metadata: request.metadata)
    }

    // MARK: - Balances

    private mutating func apply(debit: AccountID, credit: AccountID, pendingDelta: Int64, postedDelta: Int64, index: Int, undo: inout Undo) throws(LedgerError) {
        save(debit, undo: &undo)
        save(credit, undo: &undo)
        try accounts[Int(debit.rawValue)].debit(pendingDelta: pendingDelta, postedDelta: postedDelta, index: index, id: debit)
        try accounts[Int(credit.rawValue)].credit(pendingDelta: pendingDelta, postedDelta: postedDelta, index: index, id: credit)
    }

    /// Records an account's state before the batch first changes it, and marks it for writing.
    private mutating func save(_ id: AccountID, undo: inout Undo) {
        let index = Int(id.rawValue)
        if accounts[index].batchMark != batchMark {
            accounts[index].batchMark = batchMark
            undo.accounts.append((index, accounts[index].balance))
        }
        touch(id)
    }

    private mutating func touch(_ id: AccountID) {
        let index = Int(id.rawValue)
        if accounts[index].commitMark != commitMark {
            accounts[index].commitMark = commitMark
            touchedInCommit.append(index)
        }
    }

    /// Puts back what one staged batch changed (batches are undone newest first).
    mutating func rollBack(_ undo: Undo, rows: inout [Transfer.Fields]) {
        for (index, balance) in undo.accounts.reversed() { accounts[index].balance = balance }
        // Removed holds first, then added ones: a hold the batch both created and resolved must
        // end up gone, not restored.
        for hold in undo.holdsRemoved { holds[hold.id] = hold }
        for id in undo.holdsAdded { holds[id] = nil }
        maxTransferID = undo.maxTransferID
        lastSeq = undo.lastSeq
        nextExpiryAt = undo.nextExpiryAt
        rows.removeSubrange(undo.rowCount...)
    }

    /// How many accounts the open commit has touched so far: a transaction's checkpoint.
    var touchedCount: Int { touchedInCommit.count }

    /// Undoes a failed transaction's bookkeeping: accounts it first touched in this commit are
    /// untouched again (so the commit's index lists only accounts whose rows it holds), and
    /// accounts it created (ids at or after `accountCount`) are forgotten.
    mutating func forgetTransaction(touchedCount: Int, accountCount: Int) {
        for index in touchedInCommit[touchedCount...] where index < accounts.count { accounts[index].commitMark = 0 }
        touchedInCommit.removeSubrange(touchedCount...)
        if accounts.count > accountCount { accounts.removeSubrange(accountCount...) }
    }

    static func code(of assetID: Int64) -> String {
        Asset.withID(assetID)?.code ?? "asset \(assetID)"
    }

    /// What a failed batch must put back.
    struct Undo {
        var accounts: [(Int, AccountBalance)] = []
        var holdsAdded: [TransferID] = []
        var holdsRemoved: [Hold] = []
        let maxTransferID: Int64
        let lastSeq: Int64
        let nextExpiryAt: Int64?
        let rowCount: Int

        init(maxTransferID: Int64, lastSeq: Int64, nextExpiryAt: Int64?, rowCount: Int) {
            self.maxTransferID = maxTransferID
            self.lastSeq = lastSeq
            self.nextExpiryAt = nextExpiryAt
            self.rowCount = rowCount
        }
    }

    /// What one batch has done so far, for checks that span its transfers.
    private struct BatchContext {
        /// Ids taken in this batch, gathered only once an id below the maximum shows up.
        var idsBelowMax: Set<TransferID>?
        var resolved: [TransferID: TransferFlags] = [:]
        var reversed: [TransferID: Int64] = [:]
    }
}
