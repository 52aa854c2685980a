import Foundation
import LedgerCore
import Marketplace

/// One report table as the page shows it: headed columns, amounts grouped by thousands and
/// right-aligned, each cell carrying its exact value (`data-value`) and its column's name
/// (`data-column`) so that a browser's DOM can be checked against the report's JSON.
/// Plain stored properties only: the template reads them by reflection.
struct ReportTableView: Sendable {
    struct Column: Sendable {
        let name: String
        let label: String
        let numeric: Bool
    }

    struct Cell: Sendable {
        let column: String
        let text: String
        let exact: String
        let numeric: Bool
    }

    struct Row: Sendable {
        let cells: [Cell]
        let flagged: Bool
    }

    /// The element id, e.g. "fee-revenue".
    let id: String
    /// The report table's name in the JSON ("lines", "escrow", …).
    let table: String
    let columns: [Column]
    let rows: [Row]
    let empty: Bool
    let emptyText: String
    let width: Int

    /// `report`'s table `name`; `labels` renames columns, `flag` marks a row (drawn in red).
    init(id: String, _ report: FinanceReport, table name: String, labels: [String: String] = [:], emptyText: String,
         flag: ([ReportCell]) -> Bool = { _ in false }) {
        let source = report.table(name) ?? ReportTable(name: name, columns: [])
        let numeric = source.columns.indices.map { index in
            source.rows.contains { if case .money = $0[index] { true } else if case .count = $0[index] { true } else { false } }
        }
        self.id = id
        table = name
        columns = zip(source.columns, numeric).map { Column(name: $0, label: labels[$0] ?? Self.label($0), numeric: $1) }
        rows = source.rows.map { row in
            Row(cells: zip(source.columns, row).map { column, cell in
                switch cell {
                case .money(let minor, let scale): Cell(column: column, text: AmountText.grouped(minor, scale: scale), exact: cell.text, numeric: true)
                case .count: Cell(column: column, text: cell.text, exact: cell.text, numeric: true)
                default: Cell(column: column, text: cell.text, exact: cell.text, numeric: false)
                }
            }, flagged: flag(row))
        }
        empty = source.rows.isEmpty
        self.emptyText = emptyText
        width = max(1, source.columns.count)
    }

    /// "processor_fees" → "Processor fees".
    static func label(_ name: String) -> String {
        let words = name.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
