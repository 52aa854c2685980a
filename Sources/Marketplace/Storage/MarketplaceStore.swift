import Foundation
import GRDB

/// The marketplace's tables, in the same SQLite file as the ledger, through GRDB.
/// Its migrations are named `m…` and live in Sources/Marketplace/Schema.
public final class MarketplaceStore: Sendable {
    let pool: DatabasePool
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
    ]

    /// Opens the file and migrates the marketplace's tables forward; refuses a newer schema.
    public init(path: String) throws(MarketplaceError) {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON") }
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            for migration in Self.migrations {
                migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
            }
            let known = Set(Self.migrations.map(\.identifier))
            let unknown = try pool.read { db in try migrator.appliedIdentifiers(db).filter { $0.hasPrefix("m") && !known.contains($0) } }
            guard unknown.isEmpty else {
                throw MarketplaceError.internalError("the database was migrated by a newer binary (\(unknown.sorted().joined(separator: ", ")))")
            }
            try migrator.migrate(pool)
        } catch let error as MarketplaceError {
            throw error
        } catch {
            throw .internalError("cannot open the marketplace store: \(error)")
        }
    }

    public func close() { try? pool.close() }

    func read<T>(_ body: (Database) throws -> T) throws(MarketplaceError) -> T {
        do { return try pool.read(body) } catch { throw Self.mapped(error) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(MarketplaceError) -> T {
        do { return try pool.write(body) } catch { throw Self.mapped(error) }
    }

    private static func mapped(_ error: any Error) -> MarketplaceError {
        if let error = error as? MarketplaceError { return error }
        return .internalError("storage: \(error)")
    }
}
