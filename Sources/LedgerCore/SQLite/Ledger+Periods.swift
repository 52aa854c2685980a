import Foundation
import GRDB

/// An accounting period the ledger has frozen: no row can be stamped inside it any more.
public struct ClosedPeriod: Sendable, Hashable, Codable {
    public let name: String
    /// Microseconds since 1970; the period is [startsAt, endsAt).
    public let startsAt: Int64
    public let endsAt: Int64
    /// The last journal row stamped before `endsAt` (0 for an empty journal) and its hash,
    /// so `verify` can tell the period's rows were not touched afterwards.
    public let lastSeq: Int64
    public let lastHash: JournalHash
    public let closedAt: Int64
    public let closedBy: String
}

/// Why a period could not be closed.
public enum PeriodError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The period has not ended yet at the commit's time.
    case notEnded(name: String, endsAt: Int64, now: Int64)
    case alreadyClosed(name: String)
    /// Periods are closed in order, each starting where the last closed one ended.
    case notContiguous(name: String, expectedStart: Int64, start: Int64)
    case empty(name: String)

    public var description: String {
        switch self {
        case .notEnded(let name, let end, let now): "period \(name) ends at \(end), after the ledger's time \(now): it cannot be closed yet"
        case .alreadyClosed(let name): "period \(name) is already closed"
        case .notContiguous(let name, let expected, let start):
            "period \(name) starts at \(start), but the next period to close starts at \(expected)"
        case .empty(let name): "period \(name) does not end after it starts"
        }
    }
}

extension Ledger {
    /// Closes [startsAt, endsAt) as `name`: records where the journal stood at its end and,
    /// in the same commit, raises the writer's timestamp floor to `endsAt`, so every later row
    /// (a correction included) is stamped in the open period. The first period may start
    /// anywhere; each later one must start where the last closed one ended.
    public func closePeriod(name: String, startsAt: Int64, endsAt: Int64, by closer: String) async throws -> ClosedPeriod {
        try await transaction { transaction in
            guard startsAt < endsAt else { throw PeriodError.empty(name: name) }
            let db = transaction.db
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM closed_periods WHERE name = ?", arguments: [name]) == true {
                throw PeriodError.alreadyClosed(name: name)
            }
            if let lastEnd = try Int64.fetchOne(db, sql: "SELECT MAX(ends_at) FROM closed_periods"), lastEnd != startsAt {
                throw PeriodError.notContiguous(name: name, expectedStart: lastEnd, start: startsAt)
            }
            let now = transaction.timestampMicros
            guard endsAt <= now else { throw PeriodError.notEnded(name: name, endsAt: endsAt, now: now) }
            let lastSeq = try Self.lastSeq(before: endsAt, db)
            let hash = lastSeq == 0 ? JournalHash.genesis
                : try Data.fetchOne(db, sql: "SELECT hash FROM transfers WHERE seq = ?", arguments: [lastSeq]).flatMap { JournalHash(bytes: $0) } ?? .genesis
            try db.execute(sql: """
                INSERT INTO closed_periods (name, starts_at, ends_at, last_seq, last_hash, closed_at, closed_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, startsAt, endsAt, lastSeq, Data(hash.bytes), now, closer])
            transaction.raiseTimestampFloor(to: endsAt)
            return ClosedPeriod(name: name, startsAt: startsAt, endsAt: endsAt, lastSeq: lastSeq, lastHash: hash, closedAt: now, closedBy: closer)
        }
    }

    /// The closed periods, oldest first.
    public func closedPeriods() throws(LedgerError) -> [ClosedPeriod] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, starts_at, ends_at, last_seq, last_hash, closed_at, closed_by FROM closed_periods ORDER BY ends_at")
                .map(Self.period)
        }
    }

    static func period(_ row: Row) -> ClosedPeriod {
        ClosedPeriod(name: row[0], startsAt: row[1], endsAt: row[2], lastSeq: row[3], lastHash: JournalHash(bytes: row[4] as Data) ?? .genesis,
                     closedAt: row[5], closedBy: row[6])
    }
}
