import GRDB
import LedgerCore

/// What an operator watches, read in one consistent read for `/metrics`: webhook deliveries
/// waiting and given up, connector calls by connector, kind and state, the ledger's open holds
/// by asset, and the breaks the latest reconciliation found.
public struct OperationalFacts: Sendable, Hashable {
    public struct ConnectorCalls: Sendable, Hashable {
        public let connector: String
        public let kind: String
        public let state: String
        public let count: Int
    }

    /// The pending transfers of one asset not yet posted, voided or expired: how many, and the
    /// minor units they hold.
    public struct OpenHolds: Sendable, Hashable {
        public let asset: String
        public let count: Int
        public let amountMinor: Int64
    }

    public let webhookDeliveriesPending: Int
    public let webhookDeliveriesFailed: Int
    public let connectorCalls: [ConnectorCalls]
    /// One entry per asset that has open holds, in asset id order.
    public let openHolds: [OpenHolds]
    /// Nil before the first reconciliation.
    public let reconciliationBreaks: Int?
}

extension MarketplaceStore {
    /// Counts through the tables' indexes (deliveries by state, calls by connector and state).
    public func operationalFacts() throws(MarketplaceError) -> OperationalFacts {
        try readDB { db in
            let deliveries = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM webhook_deliveries WHERE state IN ('pending', 'failed') GROUP BY state")
            func deliveriesIn(_ state: String) -> Int { deliveries.first { $0[0] as String == state }.map { $0[1] } ?? 0 }
            let calls = try Row.fetchAll(db, sql: "SELECT connector, kind, state, COUNT(*) FROM connector_calls GROUP BY connector, kind, state ORDER BY 1, 2, 3")
                .map { OperationalFacts.ConnectorCalls(connector: $0[0], kind: $0[1], state: $0[2], count: $0[3]) }
            let breaks = try Int.fetchOne(db, sql: "SELECT break_count FROM reconciliation_runs ORDER BY id DESC LIMIT 1")
            return OperationalFacts(webhookDeliveriesPending: deliveriesIn("pending"), webhookDeliveriesFailed: deliveriesIn("failed"),
                                    connectorCalls: calls, openHolds: try Self.openHolds(db), reconciliationBreaks: breaks)
        }
    }
}

extension MarketplaceStore {
    /// The ledger's open holds by asset: its link index keeps one row per pending transfer until
    /// it is resolved (the rows the ledger's writer loads its holds from at start).
    static func openHolds(_ db: Database) throws -> [OperationalFacts.OpenHolds] {
        try Row.fetchAll(db, sql: """
            SELECT t.asset_id, COUNT(*), SUM(l.amount) FROM transfer_links l JOIN transfers t ON t.seq = l.seq
            WHERE l.kind = 1 GROUP BY t.asset_id ORDER BY t.asset_id
            """).map { row in
            let id: Int64 = row[0]
            return OperationalFacts.OpenHolds(asset: Asset.all.first { $0.id == id }?.code ?? String(id), count: row[1], amountMinor: row[2])
        }
    }
}

extension SettlementService {
    /// The store's operational counts (`MarketplaceStore.operationalFacts`).
    public func operationalFacts() throws(MarketplaceError) -> OperationalFacts { try store.operationalFacts() }
}
