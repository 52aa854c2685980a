import Foundation
import GRDB
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

    /// Finds the operation with `key`, or records a new one whose batch `build` makes from its
    /// first transfer id. The same key with another batch is a conflict.
    static func record(key: String, in stores: Stores, nowMicros: Int64, build: (TransferID) throws -> [TransferRequest]) throws -> Operation {
        let db = stores.db
        if let existing = try find(key: key, in: Stores(db)) {
            let again = try build(existing.firstTransferID)
            guard again == existing.batch.transfers else {
                throw MarketplaceError.conflict(field: "idempotency_key", message: "this idempotency key was used with a different request")
            }
            return existing
        }
        try db.run(sql: "INSERT INTO operations (key, batch, state, created_at) VALUES (?, '', 'pending', ?)", arguments: [key, nowMicros])
        let id = db.lastInsertedRowID
        let transfers = try build(TransferID(id * transfersMax))
        precondition(Int64(transfers.count) <= transfersMax, "an operation carries at most 16 transfers")
        let batch = TransferBatch(transfers, idempotencyKey: key)
        try db.run(sql: "UPDATE operations SET batch = ? WHERE id = ?", arguments: [try encode(batch), id])
        return Operation(id: id, key: key, batch: batch, isCommitted: false)
    }

    /// Records the operation (or finds it) and commits its batch in the same transaction, so
    /// the marketplace's rows and the money land in one commit or not at all.
    static func commit(key: String, in transaction: LedgerTransaction, nowMicros: Int64,
                       build: (TransferID) throws -> [TransferRequest]) throws -> Operation {
        try record(key: key, in: transaction.stores, nowMicros: nowMicros, build: build).committed(in: transaction)
    }

    /// Commits this recorded operation's batch inside `transaction` and marks it committed;
    /// a committed one comes back as it is. A ledger refusal throws a MarketplaceError (a short
    /// balance is INSUFFICIENT_BALANCE), which rolls the whole transaction back.
    func committed(in transaction: LedgerTransaction) throws -> Operation {
        guard !isCommitted else { return self }
        let refusal: LedgerError?
        do {
            _ = try transaction.commit(batch)
            refusal = nil
        } catch {
            refusal = error
        }
        if let refusal { throw Self.marketplaceError(refusal, committing: key, asset: batch.transfers.first?.asset?.code ?? "?") }
        try Self.markCommitted(id, in: transaction.stores)
        return Operation(id: id, key: key, batch: batch, isCommitted: true)
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
        let db = stores.db
        return try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, key, batch, state FROM operations WHERE key = ?"), arguments: [key]).map(decode)
    }

    static func pending(in stores: Stores) throws -> [Operation] {
        let db = stores.db
        return try Row.fetchAll(try db.cachedStatement(sql: "SELECT id, key, batch, state FROM operations WHERE state = 'pending' ORDER BY id")).map(decode)
    }

    static func markCommitted(_ id: Int64, in stores: Stores) throws {
        let db = stores.db
        try db.run(sql: "UPDATE operations SET state = 'committed' WHERE id = ?", arguments: [id])
    }

    private static func decode(_ row: Row) throws -> Operation {
        let batch = try JSONDecoder().decode(TransferBatch.self, from: Data((row["batch"] as String).utf8))
        return Operation(id: row["id"], key: row["key"], batch: batch, isCommitted: (row["state"] as String) == "committed")
    }

    private static func encode(_ batch: TransferBatch) throws -> String {
        try StoredJSON.string(batch)
    }
}
