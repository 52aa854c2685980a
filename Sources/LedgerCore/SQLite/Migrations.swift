import GRDB

/// The schema migrations from Ledger/migrations, embedded at build time, in order.
enum Migrations {
    /// The ledger's migrations are named `v…`; other modules keep their own prefix in the same
    /// `grdb_migrations` table, and only the ledger's count when telling a newer database.
    static let prefix = "v"

    static let all: [(identifier: String, sql: String)] = [
        ("v0001_ledger", String(decoding: PackageResources.v0001_ledger_sql, as: UTF8.self)),
        ("v0002_periods", String(decoding: PackageResources.v0002_periods_sql, as: UTF8.self)),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in all {
            migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    /// Migrates forward; refuses a database that a newer binary has already migrated.
    static func apply(to writer: some DatabaseWriter) throws(LedgerError) {
        do {
            let migrator = Self.migrator
            let unknown = try writer.read { db in
                try migrator.appliedIdentifiers(db).filter { $0.hasPrefix(prefix) }.subtracting(all.map(\.identifier))
            }
            guard unknown.isEmpty else { throw LedgerError.databaseNewerThanBinary(migrations: unknown.sorted()) }
            try migrator.migrate(writer)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw .storage("migration failed: \(error)")
        }
    }

    /// For a reader: every migration this binary knows is applied, and none it does not.
    static func requireCurrent(in reader: some DatabaseReader) throws(LedgerError) {
        let applied = Set(try Self.applied(in: reader))
        let unknown = applied.subtracting(all.map(\.identifier))
        guard unknown.isEmpty else { throw .databaseNewerThanBinary(migrations: unknown.sorted()) }
        let missing = all.map(\.identifier).filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw .storage("the database is not migrated to this binary (missing \(missing.joined(separator: ", "))); run `marketplace migrate` first")
        }
    }

    /// The identifiers applied to a database, in order.
    static func applied(in reader: some DatabaseReader) throws(LedgerError) -> [String] {
        do {
            return try reader.read { db in try Self.migrator.appliedMigrations(db).filter { $0.hasPrefix(prefix) } }
        } catch {
            throw .storage("cannot read migrations: \(error)")
        }
    }
}
