import LedgerCore

/// The operations: one business event's ledger batch under its key, recorded before (or in
/// the same commit as) the ledger commits it, and marked once the ledger has it.
protocol OperationStore {
    func find(key: String) throws -> Operation?
    /// Operations recorded but not yet committed (after a crash), oldest first.
    func pending() throws -> [Operation]
    /// The key of the operation with `id`, if there is one.
    func key(of id: Int64) throws -> String?
    /// The id the next operation takes: its transfers are `id × 16 + i`. Asked inside the
    /// commit that then records it (one writer at a time).
    func nextID() throws -> Int64
    /// Writes the operation once, in its state, with its batch.
    func insert(_ operation: Operation, nowMicros: Int64) throws
    func markCommitted(_ id: Int64) throws
    /// Removes an operation still pending (the ledger refused it: nothing moved).
    func forgetPending(_ id: Int64) throws
}
