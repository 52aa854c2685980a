import Foundation
import GRDB
public import LedgerCore

/// The marketplace's tables, in the same SQLite file as the ledger, through GRDB.
/// Its migrations are named `m…` and live in Sources/Marketplace/Schema.
///
/// Reads go through a pool of its own; every write goes through the ledger's one writer
/// (`Ledger.transaction`), so the marketplace's rows and the ledger's batches share its
/// group commits, and a business event that moves money is one atomic commit.
public final class MarketplaceStore: Sendable {
    let pool: DatabasePool
    let ledger: Ledger
    /// Where the database lives.
    public let path: String

    static let migrations: [(identifier: String, sql: String)] = [
        ("m0001_accounts", String(decoding: PackageResources.m0001_accounts_sql, as: UTF8.self)),
        ("m0002_tasks", String(decoding: PackageResources.m0002_tasks_sql, as: UTF8.self)),
        ("m0003_money", String(decoding: PackageResources.m0003_money_sql, as: UTF8.self)),
        ("m0004_work", String(decoding: PackageResources.m0004_work_sql, as: UTF8.self)),
        ("m0005_deadlines", String(decoding: PackageResources.m0005_deadlines_sql, as: UTF8.self)),
        ("m0006_people", String(decoding: PackageResources.m0006_people_sql, as: UTF8.self)),
        ("m0007_requests", String(decoding: PackageResources.m0007_requests_sql, as: UTF8.self)),
        ("m0008_spending", String(decoding: PackageResources.m0008_spending_sql, as: UTF8.self)),
        ("m0009_messages", String(decoding: PackageResources.m0009_messages_sql, as: UTF8.self)),
        ("m0010_withdrawals", String(decoding: PackageResources.m0010_withdrawals_sql, as: UTF8.self)),
        ("m0011_proof_scores", String(decoding: PackageResources.m0011_proof_scores_sql, as: UTF8.self)),
        ("m0012_connectors", String(decoding: PackageResources.m0012_connectors_sql, as: UTF8.self)),
        ("m0013_payout_accounts", String(decoding: PackageResources.m0013_payout_accounts_sql, as: UTF8.self)),
        ("m0014_chain", String(decoding: PackageResources.m0014_chain_sql, as: UTF8.self)),
        ("m0015_webhooks", String(decoding: PackageResources.m0015_webhooks_sql, as: UTF8.self)),
        ("m0016_finance", String(decoding: PackageResources.m0016_finance_sql, as: UTF8.self)),
        ("m0017_call_failures", String(decoding: PackageResources.m0017_call_failures_sql, as: UTF8.self)),
        ("m0018_hidden_tasks", String(decoding: PackageResources.m0018_hidden_tasks_sql, as: UTF8.self)),
        ("m0019_referrals", String(decoding: PackageResources.m0019_referrals_sql, as: UTF8.self)),
        ("m0020_services", String(decoding: PackageResources.m0020_services_sql, as: UTF8.self)),
        ("m0021_milestones", String(decoding: PackageResources.m0021_milestones_sql, as: UTF8.self)),
        ("m0022_webhook_formats", String(decoding: PackageResources.m0022_webhook_formats_sql, as: UTF8.self)),
        ("m0023_order_numbers", String(decoding: PackageResources.m0023_order_numbers_sql, as: UTF8.self)),
    ]

    /// Opens the ledger's file and migrates the marketplace's tables forward; refuses a newer schema.
    /// On a ledger opened for reading only it migrates nothing: the schema must be current.
    public init(ledger: Ledger) throws(MarketplaceError) {
        self.ledger = ledger
        path = ledger.path
        var configuration = Configuration()
        configuration.readonly = ledger.isReadOnly
        if !ledger.isReadOnly {
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON") }
        }
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            for migration in Self.migrations {
                migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
            }
            let known = Set(Self.migrations.map(\.identifier))
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db).filter { $0.hasPrefix("m") } }
            let unknown = applied.subtracting(known)
            guard unknown.isEmpty else {
                throw MarketplaceError.internalError("the database was migrated by a newer binary (\(unknown.sorted().joined(separator: ", ")))")
            }
            if ledger.isReadOnly {
                let missing = known.subtracting(applied)
                guard missing.isEmpty else {
                    throw MarketplaceError.internalError("the database is not migrated to this binary (missing \(missing.sorted().joined(separator: ", "))); run `marketplace migrate` first")
                }
            } else {
                try migrator.migrate(pool)
            }
        } catch let error as MarketplaceError {
            throw error
        } catch {
            throw .internalError("cannot open the marketplace store: \(error)")
        }
    }

    /// Closes the store's readers; the ledger (and its writer) is closed by its owner.
    public func close() {
        try? pool.close()
    }

    /// The connection of one consistent read, for the stores' own implementation (`read`) and
    /// for tests that inspect rows; domain code reads through `read { stores in … }`.
    func readDB<T>(_ body: (Database) throws -> T) throws(MarketplaceError) -> T {
        do { return try pool.read(body) } catch { throw Self.mapped(error) }
    }

    /// Runs `body` in its own savepoint of the next group commit and returns once that commit
    /// is durable (WAL, synchronous=FULL). A body that throws rolls back its savepoint only.
    /// The connection is for the stores' own implementation (`write`) and for tests.
    func writeDB<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(MarketplaceError) -> T {
        try await transaction { transaction in try body(transaction.db) }
    }

    /// Like `write`, with the ledger's side of the commit: the body's ledger batches and
    /// accounts land with its rows, or (when it throws) none of them do.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (LedgerTransaction) throws -> T) async throws(MarketplaceError) -> T {
        let keyed = KeyedRequest.current
        do {
            let (result, answer) = try await ledger.transaction { transaction -> (T, KeyedRequest.Answer?) in
                let result = try body(transaction)
                // Under an Idempotency-Key the answer lands with the effect (see KeyedRequest).
                guard let keyed, let answer = keyed.render(result) else { return (result, nil) }
                try IdempotencyStore.save(answer, for: keyed, at: transaction.timestampMicros, transaction.stores)
                return (result, answer)
            }
            if let keyed, let answer { keyed.landed(answer, from: result) }
            return result
        } catch {
            throw Self.mapped(error)
        }
    }

    private static func mapped(_ error: any Error) -> MarketplaceError {
        if let error = error as? MarketplaceError { return error }
        if let error = error as? LedgerError, case .busy = error { return .unavailable(error.description) }
        return .internalError("storage: \(error)")
    }
}
