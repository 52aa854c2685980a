import LedgerCore
import Marketplace

/// The balance sheet per asset: assets, then liabilities, equity and the period's net income
/// (revenue less expenses), each type totalled, and the check that assets equal the rest.
/// Figures are the balance-sheet report's own; only the labels are added here.
struct BalanceSheetView: Sendable {
    struct Line: Sendable {
        let group: String
        let label: String
        let accounts: String
        let amount: String
        let exact: String
    }

    struct TypeSection: Sendable {
        let type: String
        let label: String
        let lines: [Line]
        let total: String
        let totalExact: String
    }

    struct AssetSection: Sendable {
        let asset: String
        let types: [TypeSection]
        let netIncome: String
        let claims: String
        let balanced: Bool
    }

    let assets: [AssetSection]
    let empty: Bool

    init(_ report: FinanceReport) throws(MarketplaceError) {
        let lines = report.table("lines")?.rows ?? []
        var sections: [AssetSection] = []
        for check in report.table("equation")?.rows ?? [] {
            let asset = check[0].text
            guard case .money(_, let scale) = check[1] else { continue }
            let minor = { (cell: ReportCell) -> Int64 in if case .money(let value, _) = cell { value } else { 0 } }
            let types = AccountType.allCases.enumerated().compactMap { position, type -> TypeSection? in
                let rows = lines.filter { $0[0].text == asset && $0[1].text == type.rawValue }
                guard !rows.isEmpty else { return nil }
                return TypeSection(type: type.rawValue, label: TrialBalanceView.typeLabel(type),
                                   lines: rows.map { Line(group: $0[2].text, label: Self.label($0[2].text), accounts: $0[3].text,
                                                          amount: AmountText.grouped($0[4].text), exact: $0[4].text) },
                                   total: AmountText.grouped(check[position + 1].text), totalExact: check[position + 1].text)
            }
            let revenue = minor(check[4]), expenses = minor(check[5])
            let net: Int64, claims: Int64
            do {
                net = try MinorUnits.add(revenue, -expenses)
                claims = try MinorUnits.add(try MinorUnits.add(minor(check[2]), minor(check[3])), net)
            } catch { throw .internalError("a balance sheet total overflows: \(error)") }
            sections.append(AssetSection(asset: asset, types: types, netIncome: AmountText.grouped(net, scale: scale),
                                         claims: AmountText.grouped(claims, scale: scale), balanced: check[6].text == "yes"))
        }
        assets = sections
        empty = sections.isEmpty
    }

    /// A balance-sheet group in words ("wallets:test" → "User wallets (test mode)").
    static func label(_ group: String) -> String {
        // The test-mode connector's own lines ("clearing:test") name the connector, not a mode.
        if group.hasSuffix(":test"), !["clearing:test", "payouts in flight:test"].contains(group), !group.hasPrefix("wallets:"), !group.hasPrefix("fees:") {
            return label(String(group.dropLast(":test".count))) + " (test mode)"
        }
        let parts = group.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first ?? "", parts.count == 2 ? parts[1] : "") {
        case ("clearing", let connector): return "Cash at \(connector)"
        case ("payouts in flight", let connector): return "Payouts in flight at \(connector)"
        case ("wallets", let mode): return "User wallets (\(mode) mode)"
        case ("fees", let mode): return "Platform fees (\(mode) mode)"
        case ("escrow", _): return "Task escrow (frozen funds)"
        case ("processor fees", _): return "Processor fees"
        case ("gas", _): return "Gas"
        case ("equity", _): return "Equity"
        default: return group
        }
    }
}
