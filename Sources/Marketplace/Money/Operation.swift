import Foundation
import LedgerCore

/// One business event's ledger batch, recorded in the marketplace's tables before the ledger
/// is asked to commit it. Its transfer ids are `id × 16 + i` and its key is the ledger's
/// idempotency key, so committing it again after a crash replays instead of paying twice.
struct Operation: Sendable {
    /// The most transfers one operation may carry.
    static let transfersMax: Int64 = 16

    /// The id of its first transfer (an intent's pending transfer, for the post or void that follows).
    var firstTransferID: TransferID { TransferID(id * Self.transfersMax) }

    let id: Int64
    let key: String
    let batch: TransferBatch
    let isCommitted: Bool

    /// Finds the operation with `key`, or records a new pending one whose batch `build` makes
    /// from its first transfer id, in one write. The same key with another batch is a conflict.
    static func record(key: String, in stores: Stores, nowMicros: Int64, build: (TransferID) throws -> [TransferRequest]) throws -> Operation {
        if let existing = try find(key: key, in: stores) { return try existing.same(as: build) }
        let operation = try new(key: key, stores, build: build)
        try stores.operations.insert(operation, nowMicros: nowMicros)
        return operation
    }

    /// Records the operation (or finds it) and commits its batch in the same transaction, so
    /// the marketplace's rows and the money land in one commit or not at all. A new one is
    /// written once, already committed, after the ledger took its batch.
    static func commit(key: String, in transaction: LedgerTransaction, nowMicros: Int64,
                       build: (TransferID) throws -> [TransferRequest]) throws -> Operation {
        let stores = transaction.stores
        if let existing = try find(key: key, in: stores) { return try existing.same(as: build).committed(in: transaction) }
        let operation = try new(key: key, stores, build: build)
        try commitBatch(operation, in: transaction)
        let committed = Operation(id: operation.id, key: key, batch: operation.batch, isCommitted: true)
        try stores.operations.insert(committed, nowMicros: nowMicros)
        return committed
    }

    /// A new operation under `key`, with the next id and the batch `build` makes from it.
    private static func new(key: String, _ stores: Stores, build: (TransferID) throws -> [TransferRequest]) throws -> Operation {
        let id = try stores.operations.nextID()
        let transfers = try build(TransferID(id * transfersMax))
        precondition(Int64(transfers.count) <= transfersMax, "an operation carries at most 16 transfers")
        return Operation(id: id, key: key, batch: TransferBatch(transfers, idempotencyKey: key), isCommitted: false)
    }

    /// This operation, when `build` makes the same batch from its first transfer id; else the
    /// key was used for another request.
    private func same(as build: (TransferID) throws -> [TransferRequest]) throws -> Operation {
        guard try build(firstTransferID) == batch.transfers else {
            throw MarketplaceError.conflict(field: "idempotency_key", message: "this idempotency key was used with a different request")
        }
        return self
    }

    /// Commits this recorded operation's batch inside `transaction` and marks it committed;
    /// a committed one comes back as it is. A ledger refusal throws a MarketplaceError (a short
    /// balance is INSUFFICIENT_BALANCE), which rolls the whole transaction back.
    func committed(in transaction: LedgerTransaction) throws -> Operation {
        guard !isCommitted else { return self }
        try Self.commitBatch(self, in: transaction)
        try transaction.stores.operations.markCommitted(id)
        return Operation(id: id, key: key, batch: batch, isCommitted: true)
    }

    /// Commits the operation's batch inside `transaction`; a refusal rolls the transaction back.
    private static func commitBatch(_ operation: Operation, in transaction: LedgerTransaction) throws {
        let refusal: LedgerError?
        do {
            _ = try transaction.commit(operation.batch)
            refusal = nil
        } catch {
            refusal = error
        }
        if let refusal { throw marketplaceError(refusal, committing: operation.key, asset: operation.batch.transfers.first?.asset?.code ?? "?") }
    }

    /// A storage failure stays as it is (the whole commit fails); a short balance is
    /// INSUFFICIENT_BALANCE; any other refusal is the marketplace's bug.
    private static func marketplaceError(_ error: LedgerError, committing key: String, asset: String) -> any Error {
        if error.isTransient { return error }
        if case .exceedsCredits(_, _, let available, let requested) = error {
            return MarketplaceError.insufficientBalance(availableMinor: available, requiredMinor: requested, asset: asset)
        }
        if case .overflow = error {
            // A balance past Int64 (a shared account at its end): the request is refused, typed.
            return MarketplaceError.validation(field: "amount", message: "this amount would take an account past the largest balance the ledger holds")
        }
        return MarketplaceError.internalError("the ledger refused \(key): \(error)")
    }

    static func find(key: String, in stores: Stores) throws -> Operation? {
        try stores.operations.find(key: key)
    }

    static func pending(in stores: Stores) throws -> [Operation] {
        try stores.operations.pending()
    }

    static func markCommitted(_ id: Int64, in stores: Stores) throws {
        try stores.operations.markCommitted(id)
    }
}
