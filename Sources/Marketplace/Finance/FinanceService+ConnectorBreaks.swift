import Connectors
import Foundation
import LedgerCore

/// Breaks that are not a disagreement of two lines but something finance must see: statement
/// lines of money no posting recipe moves, connector calls that fail or were failed for
/// support, funding events refused, and fees a chain did not report.
extension FinanceService {
    /// What each statement kind the ledger does not book means, for the break's detail.
    static func meaning(of kind: StatementLine.Kind) -> String {
        switch kind {
        case .platformIncome: "platform income from connected accounts (an application fee); the marketplace charges none: book it as income or find who set it"
        case .bankPayout: "money between the processor balance and the platform's bank; the ledger does not keep the bank: match it with the bank statement"
        case .reserve: "money the processor holds back or releases within its balance; it comes back on release"
        case .adjustment: "a correction or a dispute's debit; find its dispute or the processor's note and book it"
        case .unusedProduct: "a processor product the marketplace does not use; find who used it"
        case .unknownType: "a type the processor does not document for the pinned API version; read it on the processor's dashboard"
        case .charge, .refund, .transfer, .transferReversal, .processorFee: "booked by the ledger"
        }
    }

    /// A break for every line in [from, to) the ledger does not book (by its kind).
    static func unbookedBreaks(_ lines: [StatementLine], connector: String, from: Int64, to: Int64) -> [ReconciliationBreak] {
        lines.compactMap { line in
            let time = line.createdSeconds &* 1_000_000
            guard time >= from, time < to, let kind = ReconciliationBreak.Kind(unbooked: line.kind) else { return nil }
            let asset = line.currency.uppercased()
            let scale = Asset.named(asset)?.scale ?? 2
            return ReconciliationBreak(kind: kind, connector: connector, reference: line.id, asset: asset, ledgerMinor: nil, processorMinor: line.amountMinor,
                                       detail: "\(connector) \(line.type) \(line.source ?? line.id) of \(MinorUnits.format(line.amountMinor, scale: scale)) \(asset): \(meaning(of: line.kind))")
        }
    }

    /// Calls whose last send or read failed, calls failed for support, and refused events,
    /// last changed in [from, to).
    func callBreaks(from: Int64, to: Int64) throws(MarketplaceError) -> [ReconciliationBreak] {
        try store.read { stores in
            var breaks: [ReconciliationBreak] = []
            let calls = try stores.connectorCalls.troubled(fromMicros: from, toMicros: to,
                                                                       givenUpPrefix: SettlementService.givenUpPrefix, refusedPrefix: SettlementService.refusedPrefix)
            for call in calls {
                let kind: ReconciliationBreak.Kind = call.state != "failed" ? .callRetrying
                    : call.error.hasPrefix(SettlementService.refusedPrefix) ? .fundingRefused : .callGivenUp
                let what = "\(call.kind) of task \(call.taskID)"
                let detail = switch kind {
                case .callRetrying: "\(what) failed \(call.attempts) time(s) in a row and is retried (failed for support after \(SettlementService.callAttemptsMax)): \(call.error)"
                case .fundingRefused: "\(what) was paid, but not as asked; nothing was posted and the payment is the processor's to refund: \(call.error)"
                default: "\(what) is failed for support, its intent voided: \(call.error)"
                }
                breaks.append(ReconciliationBreak(kind: kind, connector: call.connector, reference: "call:\(call.id)", asset: call.request?.asset ?? "",
                                                  ledgerMinor: call.request?.amountMinor, processorMinor: nil, detail: detail))
            }
            for event in try stores.connectorEvents.refused(fromMicros: from, toMicros: to) {
                let detail = event.detail ?? "refused"
                // A refused funding already has its call's break; an event refused for its mode has none.
                guard detail.hasPrefix("the event is") else { continue }
                breaks.append(ReconciliationBreak(kind: .eventRefused, connector: event.connector, reference: event.eventID, asset: "",
                                                  ledgerMinor: nil, processorMinor: nil, detail: "\(event.type): \(detail); nothing was acted on"))
            }
            return breaks
        }
    }
}
