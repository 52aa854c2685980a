import Foundation
import Synchronization
import GRDB
import LedgerCore
import Logging
import Marketplace
import MarketplaceHTTP

/// The real services on a fresh SQLite file, with a cheap bcrypt cost so tests stay fast.
struct TestServices {
    var services: Services
    let ledger: Ledger
    let store: MarketplaceStore
    let path: String
    let clock: ManualClock

    /// The key that seals webhook secrets in tests.
    static let secretsKey = [UInt8](repeating: 0x5e, count: 32)

    init(clock: ManualClock = ManualClock(), card: CardPayments? = nil, chain: ChainPayments? = nil,
         webhookPolicy: WebhookService.Policy = .init(attemptsMax: 6, allowPrivateTargets: true), logger: Logger? = nil,
         pricing: Pricing = .standard) async throws {
        self.clock = clock
        path = FileManager.default.temporaryDirectory.appendingPathComponent("http-\(UUID().uuidString).sqlite").path
        ledger = try Ledger(path: path, clock: clock.ledgerClock)
        store = try MarketplaceStore(ledger: ledger)
        let tokens = try await TokenIssuer(secret: Array(repeating: 7, count: 32))
        services = Services.assemble(ledger: ledger, store: store, tokens: tokens,
                                     ServiceSettings(clock: clock.ledgerClock, pricing: pricing, card: card, chain: chain, logger: logger, bcryptCost: 4,
                                                     webhooks: (Self.secretsKey, webhookPolicy)))
    }

    /// Registers `email` (an agent), grants it admin as `marketplace admin grant` does, and
    /// returns a test-mode access token.
    func adminToken(_ email: String) async throws -> String {
        _ = try await services.auth.register(Registration(email: email, password: "correct horse", fullName: "Admin", role: "agent"))
        _ = try await services.auth.grantAdmin(email: email)
        return try await services.auth.login(email: email, password: "correct horse", mode: .test).accessToken
    }

    func close() {
        store.close()
        ledger.close()
    }
}

/// Reads the test's SQLite file directly.
enum TestDatabase {
    /// Every table except stored idempotent responses, as one string: equal before and after
    /// means nothing changed.
    static func snapshot(_ path: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'idempotent_requests' ORDER BY name")
            return try tables.map { table in
                "\(table):" + (try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description).joined(separator: ";"))
            }.joined(separator: "\n")
        }
    }
}

/// Log records a test reads back.
final class CapturedLogs: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }

    func append(_ record: Record) { records.withLock { $0.append(record) } }

    /// Records whose message contains `text`.
    func matching(_ text: String) -> [Record] { all.filter { $0.message.contains(text) } }
}

/// A swift-log handler that keeps every record in `CapturedLogs`.
struct CapturingLogHandler: LogHandler {
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        logs.append(.init(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
    }
}
