import LedgerCore
import Marketplace

/// The last reconciliation: when it ran, each connector's counts, and its breaks.
struct ReconciliationView: Sendable {
    struct ConnectorLine: Sendable {
        let connector: String
        let ledgerItems: Int
        let statementItems: Int
        let matchedByReference: Int
        let matchedByAmount: Int
        let breaks: Int
    }

    struct BreakLine: Sendable {
        let kind: String
        let connector: String
        let reference: String
        let ledgerAmount: String
        let processorAmount: String
        let detail: String
    }

    let ran: Bool
    let runID: String
    let startedAt: String
    let connectors: [ConnectorLine]
    let breaks: [BreakLine]
    let breakCount: Int
    let clean: Bool

    init(_ run: StoredReconciliation?) {
        ran = run != nil
        runID = run.map { String($0.id) } ?? ""
        startedAt = run.map { Timestamps.format($0.startedAt) } ?? ""
        connectors = (run?.connectors ?? []).map {
            ConnectorLine(connector: $0.connector, ledgerItems: $0.ledgerItems, statementItems: $0.processorItems,
                          matchedByReference: $0.matchedByReference, matchedByAmount: $0.matchedByAmount, breaks: $0.breakCount)
        }
        breaks = (run?.breaks ?? []).map { item in
            let scale = Asset.named(item.asset)?.scale ?? 0
            return BreakLine(kind: item.kind.rawValue, connector: item.connector, reference: item.reference,
                             ledgerAmount: item.ledgerMinor.map { AmountText.grouped($0, scale: scale) } ?? "",
                             processorAmount: item.processorMinor.map { AmountText.grouped($0, scale: scale) } ?? "", detail: item.detail)
        }
        breakCount = breaks.count
        clean = run != nil && breaks.isEmpty
    }
}
