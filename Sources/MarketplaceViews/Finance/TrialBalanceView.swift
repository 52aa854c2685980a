import LedgerCore
import Marketplace

/// The trial balance grouped as a controller reads it: per asset, by account type (assets,
/// liabilities, equity, revenue, expenses), within a type by what the accounts are for
/// (cash at each connector, test and live wallets, task escrow, …), each group and type
/// subtotalled, every line with its owner's name beside its code. Subtotals are summed here
/// in minor units, exactly; the asset's totals are the report's own.
struct TrialBalanceView: Sendable {
    struct Line: Sendable {
        let account: String
        let owner: String
        let type: String
        let asset: String
        let debit: String
        let credit: String
        let debitExact: String
        let creditExact: String
    }

    struct Group: Sendable {
        let label: String
        let lines: [Line]
        let count: Int
        let debit: String
        let credit: String
        /// A subtotal row only where it adds something: more than one line.
        let subtotal: Bool
    }

    struct TypeSection: Sendable {
        let type: String
        let label: String
        let groups: [Group]
        let debit: String
        let credit: String
    }

    struct AssetSection: Sendable {
        let asset: String
        let types: [TypeSection]
        let debits: String
        let credits: String
        let debitsExact: String
        let creditsExact: String
        let balanced: Bool
    }

    let assets: [AssetSection]
    let empty: Bool

    init(_ report: FinanceReport, owners: [String: String]) throws(MarketplaceError) {
        let lines = report.table("lines")?.rows ?? []
        let totals = report.table("totals")?.rows ?? []
        var sections: [AssetSection] = []
        for total in totals {
            let asset = total[0].text
            let mine = lines.filter { $0[0].text == asset }
            var types: [TypeSection] = []
            for type in AccountType.allCases {
                let ofType = mine.filter { $0[2].text == type.rawValue }
                guard !ofType.isEmpty else { continue }
                var groups: [(label: String, rows: [[ReportCell]])] = []
                for row in ofType {
                    let label = Self.groupLabel(AccountClass(code: row[1].text), code: row[1].text)
                    if let index = groups.firstIndex(where: { $0.label == label }) { groups[index].rows.append(row) } else { groups.append((label, [row])) }
                }
                let built = try groups.map { group throws(MarketplaceError) in try Self.group(group.label, group.rows, owners: owners) }
                let (debit, credit) = try Self.sides(ofType)
                types.append(TypeSection(type: type.rawValue, label: Self.typeLabel(type), groups: built, debit: debit, credit: credit))
            }
            sections.append(AssetSection(asset: asset, types: types, debits: AmountText.grouped(total[1].text), credits: AmountText.grouped(total[2].text),
                                         debitsExact: total[1].text, creditsExact: total[2].text, balanced: total[3].text == "yes"))
        }
        assets = sections
        empty = sections.isEmpty
    }

    private static func group(_ label: String, _ rows: [[ReportCell]], owners: [String: String]) throws(MarketplaceError) -> Group {
        let lines = rows.map { row in
            Line(account: row[1].text, owner: owners[row[1].text] ?? "", type: row[2].text, asset: row[0].text,
                 debit: AmountText.grouped(row[3].text), credit: AmountText.grouped(row[4].text), debitExact: row[3].text, creditExact: row[4].text)
        }
        let (debit, credit) = try sides(rows)
        return Group(label: label, lines: lines, count: lines.count, debit: debit, credit: credit, subtotal: lines.count > 1)
    }

    /// The debit and credit sums of trial-balance rows, grouped; "" for a side with nothing.
    private static func sides(_ rows: [[ReportCell]]) throws(MarketplaceError) -> (String, String) {
        var debit: Int64 = 0, credit: Int64 = 0, scale = 0
        for row in rows {
            for (column, side) in [(3, 0), (4, 1)] {
                guard case .money(let minor, let rowScale) = row[column] else { continue }
                scale = rowScale
                do {
                    if side == 0 { debit = try MinorUnits.add(debit, minor) } else { credit = try MinorUnits.add(credit, minor) }
                } catch { throw .internalError("a trial balance subtotal overflows: \(error)") }
            }
        }
        return (debit == 0 ? "" : AmountText.grouped(debit, scale: scale), credit == 0 ? "" : AmountText.grouped(credit, scale: scale))
    }

    static func typeLabel(_ type: AccountType) -> String {
        switch type {
        case .asset: "Assets"
        case .liability: "Liabilities"
        case .equity: "Equity"
        case .revenue: "Revenue"
        case .expense: "Expenses"
        }
    }

    /// What a group of accounts is, in words; test-mode platform accounts are their own group.
    static func groupLabel(_ kind: AccountClass, code: String) -> String {
        let test = LedgerMode(code: code) == .test ? " (test mode)" : ""
        return switch kind {
        case .clearing(let connector): "Cash at \(connector)" + (connector == "test" ? "" : test)
        case .payoutsInFlight(let connector): "Payouts in flight at \(connector)" + (connector == "test" ? "" : test)
        case .wallet(let mode, _): "User wallets (\(mode) mode)"
        case .escrow: "Task escrow (frozen funds)" + test
        case .feeRevenue(let mode): "Platform fees (\(mode) mode)"
        case .processorFees: "Processor fees" + test
        case .gas: "Gas" + test
        case .equity: "Equity" + test
        case .other: code
        }
    }
}
