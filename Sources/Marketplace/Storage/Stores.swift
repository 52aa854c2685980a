import GRDB
import LedgerCore

/// The marketplace's stores inside one read or one commit: what domain code is handed instead
/// of a database connection. Each aggregate's rows are reached through its store's protocol
/// (`stores.tasks` is `some TaskStore`), so the domain sees neither SQL nor the backend.
///
/// SQLite's stores (Storage/SQLite/) are the first implementation: each wraps the connection
/// of the read or of the ledger's commit it runs in, so a store's writes land in that commit.
/// A second backend implements the same protocols and hands out its own `Stores`.
public struct Stores {
    let db: Database

    init(_ db: Database) { self.db = db }
}

extension LedgerTransaction {
    /// The marketplace's stores inside this ledger commit.
    var stores: Stores { Stores(db) }
}

extension MarketplaceStore {
    /// Runs `body` on the stores of one consistent read.
    func read<T>(_ body: (Stores) throws -> T) throws(MarketplaceError) -> T {
        try readDB { db in try body(Stores(db)) }
    }

    /// Runs `body` on the stores inside the next group commit and returns once it is durable.
    func write<T: Sendable>(_ body: @escaping @Sendable (Stores) throws -> T) async throws(MarketplaceError) -> T {
        try await writeDB { db in try body(Stores(db)) }
    }
}
