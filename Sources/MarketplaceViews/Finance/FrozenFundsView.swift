import LedgerCore
import Marketplace

/// Money frozen in task escrow at the period's end: each task with its title, status and why
/// its money is held, oldest first; totals per reason; and the age buckets.
struct FrozenFundsView: Sendable {
    struct Line: Sendable {
        let task: String
        let title: String
        let status: String
        let reason: String
        let unexpected: Bool
        let asset: String
        let amount: String
        let exact: String
        let fundedAt: String
        let ageDays: String
        let bucket: String
    }

    struct ReasonTotal: Sendable {
        let reason: String
        let asset: String
        let tasks: Int
        let amount: String
        let unexpected: Bool
    }

    let lines: [Line]
    let reasons: [ReasonTotal]
    let buckets: ReportTableView
    let empty: Bool

    init(_ report: FinanceReport, reasons known: [String: FrozenReason]) throws(MarketplaceError) {
        let rows = report.table("lines")?.rows ?? []
        lines = rows.map { row in
            let reason = known[row[0].text]
            return Line(task: row[0].text, title: reason?.title ?? "", status: reason?.status ?? "unknown",
                        reason: reason?.reason ?? "no such task in the marketplace", unexpected: reason?.unexpected ?? true,
                        asset: row[1].text, amount: AmountText.grouped(row[2].text), exact: row[2].text, fundedAt: row[3].text,
                        ageDays: row[4].text, bucket: row[5].text)
        }
        var totals: [(reason: String, asset: String, tasks: Int, minor: Int64, scale: Int, unexpected: Bool)] = []
        for (row, line) in zip(rows, lines) {
            guard case .money(let minor, let scale) = row[2] else { continue }
            if let index = totals.firstIndex(where: { $0.reason == line.reason && $0.asset == line.asset }) {
                totals[index].tasks += 1
                do { totals[index].minor = try MinorUnits.add(totals[index].minor, minor) } catch { throw .internalError("a frozen total overflows: \(error)") }
            } else {
                totals.append((line.reason, line.asset, 1, minor, scale, line.unexpected))
            }
        }
        reasons = totals.map { ReasonTotal(reason: $0.reason, asset: $0.asset, tasks: $0.tasks, amount: AmountText.grouped($0.minor, scale: $0.scale), unexpected: $0.unexpected) }
        buckets = ReportTableView(id: "aging", report, table: "buckets", labels: ["bucket": "Age (days)"], emptyText: "No frozen funds.")
        empty = rows.isEmpty
    }
}
