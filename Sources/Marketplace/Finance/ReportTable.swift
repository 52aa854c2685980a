import Foundation
public import LedgerCore

/// One cell of a report: text, a count, or exact money in an asset's minor units. Money is
/// written as a decimal string in JSON and CSV alike (never a binary float).
public enum ReportCell: Sendable, Hashable {
    case text(String)
    case count(Int64)
    case money(Int64, scale: Int)
    case empty

    /// The cell as CSV and HTML show it.
    public var text: String {
        switch self {
        case .text(let value): value
        case .count(let value): String(value)
        case .money(let minor, let scale): MinorUnits.format(minor, scale: scale)
        case .empty: ""
        }
    }

    func writeJSON(to output: inout [UInt8], _ quoter: JSONQuoter) {
        switch self {
        case .count(let value): output += String(value).utf8
        case .empty: output += "null".utf8
        default: quoter.write(text, to: &output)
        }
    }
}

/// A named table of a report: columns in order and rows of cells.
public struct ReportTable: Sendable, Hashable {
    public let name: String
    public let columns: [String]
    public var rows: [[ReportCell]]

    public init(name: String, columns: [String], rows: [[ReportCell]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// RFC 4180: a header line, then a line per row; a field with a comma, quote or line
    /// break is quoted with its quotes doubled. Lines end in CRLF.
    public func csv() -> String {
        var output = columns.map(Self.field).joined(separator: ",") + "\r\n"
        for row in rows { output += row.map { Self.field($0.text) }.joined(separator: ",") + "\r\n" }
        return output
    }

    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The value in `column` of `row`, for code that reads a report back.
    public func cell(_ row: Int, _ column: String) -> ReportCell? {
        columns.firstIndex(of: column).map { rows[row][$0] }
    }
}

/// A finance report: what it is, what it was asked for (as of, from, to, by), and its
/// tables. JSON carries every table; CSV carries one (the first, the report's lines, unless
/// another is named), since a CSV file holds one table.
public struct FinanceReport: Sendable, Hashable {
    public let kind: String
    public let parameters: [(String, String)]
    public var tables: [ReportTable]

    public init(kind: String, parameters: [(String, String)], tables: [ReportTable]) {
        self.kind = kind
        self.parameters = parameters
        self.tables = tables
    }

    public func table(_ name: String) -> ReportTable? { tables.first { $0.name == name } }

    /// The named table as CSV (the first, the report's lines, when nil); nil for an unknown name.
    public func csv(table name: String? = nil) -> String? {
        guard let name else { return tables.first?.csv() ?? "" }
        return table(name)?.csv()
    }

    /// `{"report": kind, <parameters>, <table name>: [{column: value, …}, …], …}` with keys in
    /// the report's own order.
    public func json() -> String {
        var output: [UInt8] = []
        let quoter = JSONQuoter()
        func key(_ name: String) {
            quoter.write(name, to: &output)
            output.append(UInt8(ascii: ":"))
        }
        output.append(UInt8(ascii: "{"))
        key("report")
        quoter.write(kind, to: &output)
        for (name, value) in parameters {
            output.append(UInt8(ascii: ","))
            key(name)
            quoter.write(value, to: &output)
        }
        for table in tables {
            output.append(UInt8(ascii: ","))
            key(table.name)
            output.append(UInt8(ascii: "["))
            for (index, row) in table.rows.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "{"))
                for (position, (column, cell)) in zip(table.columns, row).enumerated() {
                    if position > 0 { output.append(UInt8(ascii: ",")) }
                    key(column)
                    cell.writeJSON(to: &output, quoter)
                }
                output.append(UInt8(ascii: "}"))
            }
            output.append(UInt8(ascii: "]"))
        }
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }

    public static func == (lhs: FinanceReport, rhs: FinanceReport) -> Bool {
        lhs.kind == rhs.kind && lhs.parameters.map { [$0.0, $0.1] } == rhs.parameters.map { [$0.0, $0.1] } && lhs.tables == rhs.tables
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(tables)
    }
}
