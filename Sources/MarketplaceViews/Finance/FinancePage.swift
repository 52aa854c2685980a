public import Marketplace
import LedgerCore
import Mustache

/// The finance page a controller prints at month end, rendered from `MonthEndReport` with the
/// `finance-report.mustache` template: one self-contained HTML5 document (inline CSS and SVG,
/// no script, no outside resource, every value escaped by the template).
public struct FinancePage: Sendable {
    let title: String
    let periodFrom: String
    let periodTo: String
    /// The period in words: its first and last day, inclusive.
    let periodText: String
    let asOf: String
    let trial: TrialBalanceView
    let balanceSheet: BalanceSheetView
    let feeRevenue: ReportTableView
    let rollForwardEscrow: ReportTableView
    let rollForwardWallets: ReportTableView
    let reconciliation: ReconciliationView
    let frozen: FrozenFundsView
    /// The chart's SVG figure, escaped by the code that draws it.
    let chart: String

    public init(_ report: MonthEndReport, title: String = "Finance report") throws(MarketplaceError) {
        self.title = title
        periodFrom = Timestamps.format(report.period.from)
        periodTo = Timestamps.format(report.period.to)
        let lastDay = Timestamps.date(days: Timestamps.days(report.asOf))
        let firstDay = Timestamps.date(days: Timestamps.days(report.period.from))
        periodText = firstDay == lastDay ? firstDay : "\(firstDay) to \(lastDay)"
        asOf = Timestamps.format(report.asOf)
        trial = try TrialBalanceView(report.trialBalance, owners: report.owners)
        balanceSheet = try BalanceSheetView(report.balanceSheet)
        feeRevenue = ReportTableView(id: "fee-revenue", report.feeRevenue, table: "lines", labels: ["period": "Month"],
                                     emptyText: "No fees, processor fees or gas in this period.")
        let ties = { (row: [ReportCell]) in row.last?.text != "yes" }
        rollForwardEscrow = ReportTableView(id: "roll-forward-escrow", report.rollForward, table: "escrow", labels: ["ties": "Ties"],
                                            emptyText: "No escrow in this period.", flag: ties)
        rollForwardWallets = ReportTableView(id: "roll-forward-wallets", report.rollForward, table: "wallets", labels: ["ties": "Ties"],
                                             emptyText: "No wallet in this period.", flag: ties)
        reconciliation = ReconciliationView(report.reconciliation)
        frozen = try FrozenFundsView(report.frozenFunds, reasons: report.frozenReasons)
        chart = FinanceDailyChart(points: report.daily).figure()
    }

    /// The page's HTML.
    public func render() -> String {
        guard let html = Self.library.render(self, withTemplate: "finance-report") else { preconditionFailure("finance-report.mustache is not in the library") }
        return html
    }

    /// The templates, parsed once: the page and its `table` partial. A template that does not
    /// parse is a build defect the tests catch.
    static let library: MustacheLibrary = {
        do {
            return MustacheLibrary(templates: [
                "finance-report": try MustacheTemplate(string: String(decoding: PackageResources.finance_report_mustache, as: UTF8.self)),
                "table": try MustacheTemplate(string: String(decoding: PackageResources.finance_table_mustache, as: UTF8.self)),
            ])
        } catch {
            preconditionFailure("finance templates: \(error)")
        }
    }()
}
