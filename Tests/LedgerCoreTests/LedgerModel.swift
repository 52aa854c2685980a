@testable import LedgerCore

/// A deliberately simple, independent model of the ledger's rules, kept in dictionaries.
/// The property test runs the same operations on it and on the real ledger and compares.
struct LedgerModel {
    struct Hold { let debit: AccountID, credit: AccountID, amount: Int64, expiresAt: Int64? }
    struct Movement {
        let debit: AccountID, credit: AccountID, amount: Int64
        var reversed: Int64
    }

    var balances: [AccountID: AccountBalance] = [:]
    var flags: [AccountID: AccountFlags] = [:]
    var holds: [TransferID: Hold] = [:]
    var resolved: [TransferID: String] = [:]
    var movements: [TransferID: Movement] = [:]
    var usedIDs: Set<TransferID> = []
    /// What each committed transfer was: "posted", "pending", "post", "void" or "reversal".
    var kinds: [TransferID: String] = [:]
    var keys: [String: TransferBatch] = [:]
    var rows = 0

    /// Releases every hold due at `now`, as the ledger does before each commit.
    mutating func expire(at now: Int64) {
        for (id, hold) in holds where (hold.expiresAt ?? .max) <= now {
            balances[hold.debit]!.debitsPending -= hold.amount
            balances[hold.credit]!.creditsPending -= hold.amount
            holds[id] = nil
            resolved[id] = "expired"
            rows += 1
        }
    }

    /// Applies a batch all or none; returns the name of the first refusal, or nil.
    mutating func commit(_ batch: TransferBatch, at now: Int64) -> String? {
        expire(at: now)
        if let key = batch.idempotencyKey, let first = keys[key] { return first == batch ? nil : "idempotencyConflict" }
        var next = self
        var idsInBatch: Set<TransferID> = []
        for request in batch.transfers {
            guard !next.usedIDs.contains(request.id), !idsInBatch.contains(request.id) else { return "transferExists" }
            idsInBatch.insert(request.id)
            if let refusal = next.apply(request, at: now) { return refusal }
            next.usedIDs.insert(request.id)
            next.kinds[request.id] = Self.kind(of: request)
            next.rows += 1
        }
        if let key = batch.idempotencyKey { next.keys[key] = batch }
        self = next
        return nil
    }

    private mutating func apply(_ request: TransferRequest, at now: Int64) -> String? {
        switch request.kind {
        case .posted, .pending:
            let amount = request.amountMinor!
            let debit = request.debitAccountID!, credit = request.creditAccountID!
            let pending: Bool
            if case .pending = request.kind { pending = true } else { pending = false }
            if let refusal = move(debit: debit, credit: credit, pending: pending ? amount : 0, posted: pending ? 0 : amount) { return refusal }
            if case .pending(let timeout) = request.kind {
                holds[request.id] = Hold(debit: debit, credit: credit, amount: amount, expiresAt: timeout > 0 ? now + timeout * 1_000_000 : nil)
            } else {
                movements[request.id] = Movement(debit: debit, credit: credit, amount: amount, reversed: 0)
            }
            return nil
        case .postPending(let pendingID), .voidPending(let pendingID):
            let isPost: Bool
            if case .postPending = request.kind { isPost = true } else { isPost = false }
            guard let hold = holds[pendingID] else {
                switch resolved[pendingID] {
                case "posted": return "pendingAlreadyPosted"
                case "voided": return "pendingAlreadyVoided"
                case "expired": return "pendingExpired"
                default: return kinds[pendingID] != nil ? "notPending" : "pendingNotFound"
                }
            }
            let amount = isPost ? (request.amountMinor ?? hold.amount) : hold.amount
            guard amount > 0 else { return "amountNotPositive" }
            guard amount <= hold.amount else { return "postExceedsPending" }
            if let refusal = move(debit: hold.debit, credit: hold.credit, pending: -hold.amount, posted: isPost ? amount : 0) { return refusal }
            holds[pendingID] = nil
            resolved[pendingID] = isPost ? "posted" : "voided"
            if isPost { movements[request.id] = Movement(debit: hold.debit, credit: hold.credit, amount: amount, reversed: 0) }
            return nil
        case .reversal(let originalID):
            guard var original = movements[originalID] else {
                return kinds[originalID] != nil ? "reversalTargetNotPosted" : "reversalTargetNotFound"
            }
            let remaining = original.amount - original.reversed
            let amount = request.amountMinor ?? remaining
            guard amount > 0, amount <= remaining else { return "reversalExceedsOriginal" }
            if let refusal = move(debit: original.credit, credit: original.debit, pending: 0, posted: amount) { return refusal }
            original.reversed += amount
            movements[originalID] = original
            return nil
        }
    }

    private static func kind(of request: TransferRequest) -> String {
        switch request.kind {
        case .posted: "posted"
        case .pending: "pending"
        case .postPending: "post"
        case .voidPending: "void"
        case .reversal: "reversal"
        }
    }

    private mutating func move(debit: AccountID, credit: AccountID, pending: Int64, posted: Int64) -> String? {
        var d = balances[debit]!, c = balances[credit]!
        d.debitsPending += pending
        d.debitsPosted += posted
        c.creditsPending += pending
        c.creditsPosted += posted
        if flags[debit]!.contains(.debitsMustNotExceedCredits), d.debitsPending + d.debitsPosted > d.creditsPosted { return "exceedsCredits" }
        if flags[credit]!.contains(.creditsMustNotExceedDebits), c.creditsPending + c.creditsPosted > c.debitsPosted { return "exceedsDebits" }
        balances[debit] = d
        balances[credit] = c
        return nil
    }
}

extension LedgerError {
    /// The case's name, to compare with the model's refusals.
    var caseName: String {
        Mirror(reflecting: self).children.first?.label ?? "\(self)"
    }
}
