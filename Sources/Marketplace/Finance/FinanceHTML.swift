import Foundation
import LedgerCore

/// Everything the finance page shows. Amounts arrive as exact decimal strings and are printed
/// as given; only the chart's points stay in minor units, so bars scale with integer math.
public struct FinanceReportPage: Sendable {
    /// The page heading, e.g. "Finance report".
    public var title: String
    /// ISO 8601 UTC time the figures are as of.
    public var asOf: String
    /// The chart's period in words, e.g. "2026-11-01 to 2026-11-23"; nil hides it.
    public var period: String?
    /// One line per account with a non-zero balance, on its debit or credit side.
    public var trialBalance: [TrialBalanceLine]
    /// Per asset, total debits and total credits (equal when the ledger is sound).
    public var trialTotals: [AssetTotal]
    /// The last reconciliation's breaks; empty means a clean run (or no run, see `reconciledAt`).
    public var breaks: [BreakLine]
    /// When the last reconciliation ran; nil if it never ran.
    public var reconciledAt: String?
    /// Frozen funds by age bucket ("0-7", "8-30", "31-90", ">90") and asset.
    public var aging: [AgingLine]
    /// One point per (day, asset), oldest first.
    public var daily: [DailyPoint]

    public init(title: String, asOf: String, period: String?, trialBalance: [TrialBalanceLine], trialTotals: [AssetTotal],
                breaks: [BreakLine], reconciledAt: String?, aging: [AgingLine], daily: [DailyPoint]) {
        self.title = title
        self.asOf = asOf
        self.period = period
        self.trialBalance = trialBalance
        self.trialTotals = trialTotals
        self.breaks = breaks
        self.reconciledAt = reconciledAt
        self.aging = aging
        self.daily = daily
    }
}

/// One account's balance in the trial balance; `debit` or `credit` is "" on the zero side.
public struct TrialBalanceLine: Sendable {
    public var account: String
    public var type: String
    public var asset: String
    public var debit: String
    public var credit: String

    public init(account: String, type: String, asset: String, debit: String, credit: String) {
        self.account = account
        self.type = type
        self.asset = asset
        self.debit = debit
        self.credit = credit
    }
}

/// One asset's trial-balance totals as exact decimal strings.
public struct AssetTotal: Sendable {
    public var asset: String
    public var debits: String
    public var credits: String

    public init(asset: String, debits: String, credits: String) {
        self.asset = asset
        self.debits = debits
        self.credits = credits
    }
}

/// One reconciliation break; an amount is "" when that side has no record.
public struct BreakLine: Sendable {
    public var kind: String
    public var connector: String
    public var reference: String
    public var ledgerAmount: String
    public var processorAmount: String
    public var detail: String

    public init(kind: String, connector: String, reference: String, ledgerAmount: String, processorAmount: String, detail: String) {
        self.kind = kind
        self.connector = connector
        self.reference = reference
        self.ledgerAmount = ledgerAmount
        self.processorAmount = processorAmount
        self.detail = detail
    }
}

/// Frozen funds of one asset in one age bucket.
public struct AgingLine: Sendable {
    public var bucket: String
    public var asset: String
    public var tasks: Int
    public var amount: String

    public init(bucket: String, asset: String, tasks: Int, amount: String) {
        self.bucket = bucket
        self.asset = asset
        self.tasks = tasks
        self.amount = amount
    }
}

/// One day's volume and fees for one asset, in minor units at the asset's `scale`.
public struct DailyPoint: Sendable {
    /// "YYYY-MM-DD"; other strings still render, without gap-filling between days.
    public var day: String
    public var asset: String
    public var volumeMinor: Int64
    public var feesMinor: Int64
    /// Decimals of the asset (USD 2, USDC 6), 0 through `FinanceHTML.scaleMax`.
    public var scale: Int

    public init(day: String, asset: String, volumeMinor: Int64, feesMinor: Int64, scale: Int) {
        self.day = day
        self.asset = asset
        self.volumeMinor = volumeMinor
        self.feesMinor = feesMinor
        self.scale = scale
    }
}

/// Renders the finance page as one self-contained HTML5 document.
public enum FinanceHTML {
    /// The largest asset scale accepted (ETH in wei), as in `MinorUnits.scaleMax`.
    public static let scaleMax = 18
    /// The most days the chart draws; older days are left out, with a note saying how many.
    public static let chartDaysMax = 400

    /// The whole page: inline CSS and SVG, no script, no external resource, every text value
    /// escaped. Precondition: at most one `DailyPoint` per (day, asset), scales in 0...`scaleMax`.
    public static func render(_ page: FinanceReportPage) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        // The policy makes the browser refuse anything external even if a value slipped through.
        html += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(escape(page.title)) as of \(escape(page.asOf))</title>\n<style>\n\(style)</style>\n</head>\n<body>\n"
        html += header(page)
        html += "<main>\n"
        html += trialBalanceSection(page)
        html += breaksSection(page)
        html += agingSection(page)
        html += FinanceDailyChart(points: page.daily).section()
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    /// `minor` as a decimal string with exactly `scale` decimals ("-0.05" for -5 at scale 2).
    public static func decimal(_ minor: Int64, scale: Int) -> String { MinorUnits.format(minor, scale: scale) }

    /// `text` safe inside HTML text and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\u{0}": escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Whether two decimal strings name the same amount ("12.30" and "12.3"; "" is zero).
    static func sameAmount(_ lhs: String, _ rhs: String) -> Bool {
        canonicalAmount(lhs) == canonicalAmount(rhs)
    }

    private static func canonicalAmount(_ text: String) -> String {
        var body = Substring(text.isEmpty ? "0" : text)
        let negative = body.first == "-"
        if negative || body.first == "+" { body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return text }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return text }
        let whole = parts[0].drop { $0 == "0" }
        var fraction = parts.count == 2 ? parts[1] : ""
        while fraction.last == "0" { fraction = fraction.dropLast() }
        let magnitude = (whole.isEmpty ? "0" : String(whole)) + (fraction.isEmpty ? "" : "." + fraction)
        return negative && magnitude != "0" ? "-" + magnitude : magnitude
    }
}

extension FinanceHTML {
    private static func header(_ page: FinanceReportPage) -> String {
        var html = "<header>\n<h1>\(escape(page.title))</h1>\n<dl class=\"meta\">\n"
        html += "<div><dt>As of</dt><dd><time datetime=\"\(escape(page.asOf))\">\(escape(page.asOf))</time></dd></div>\n"
        if let period = page.period {
            html += "<div><dt>Period</dt><dd>\(escape(period))</dd></div>\n"
        }
        return html + "</dl>\n</header>\n"
    }

    private static func trialBalanceSection(_ page: FinanceReportPage) -> String {
        var html = "<section class=\"trial\">\n<h2>Trial balance</h2>\n<table id=\"trial-balance\">\n<thead><tr><th scope=\"col\">Account</th>"
        html += "<th scope=\"col\">Type</th><th scope=\"col\">Asset</th><th scope=\"col\" class=\"num\">Debit</th>"
        html += "<th scope=\"col\" class=\"num\">Credit</th></tr></thead>\n"
        var linesByAsset: [String: [TrialBalanceLine]] = [:]
        var assets: [String] = []
        for total in page.trialTotals where linesByAsset[total.asset] == nil {
            linesByAsset[total.asset] = []
            assets.append(total.asset)
        }
        for line in page.trialBalance {
            if linesByAsset[line.asset] == nil { assets.append(line.asset) }
            linesByAsset[line.asset, default: []].append(line)
        }
        if assets.isEmpty {
            html += "<tbody><tr class=\"empty\"><td colspan=\"5\">No account has a balance.</td></tr></tbody>\n"
        }
        for asset in assets {
            html += "<tbody data-asset=\"\(escape(asset))\">\n"
            for line in linesByAsset[asset] ?? [] { html += trialLineRow(line) }
            for total in page.trialTotals where total.asset == asset { html += trialTotalRow(total) }
            html += "</tbody>\n"
        }
        return html + "</table>\n</section>\n"
    }

    private static func trialLineRow(_ line: TrialBalanceLine) -> String {
        "<tr data-account=\"\(escape(line.account))\" data-type=\"\(escape(line.type))\" data-asset=\"\(escape(line.asset))\" "
            + "data-debit=\"\(escape(line.debit))\" data-credit=\"\(escape(line.credit))\"><td class=\"account\">\(escape(line.account))</td>"
            + "<td>\(escape(line.type))</td><td>\(escape(line.asset))</td><td class=\"num\">\(escape(line.debit))</td>"
            + "<td class=\"num\">\(escape(line.credit))</td></tr>\n"
    }

    private static func trialTotalRow(_ total: AssetTotal) -> String {
        let balanced = sameAmount(total.debits, total.credits)
        let label = balanced ? "Total \(escape(total.asset))" : "Total \(escape(total.asset)) \u{2014} NOT BALANCED"
        return "<tr class=\"total\(balanced ? "" : " unbalanced")\" data-asset=\"\(escape(total.asset))\" "
            + "data-debits=\"\(escape(total.debits))\" data-credits=\"\(escape(total.credits))\" data-balanced=\"\(balanced ? "yes" : "no")\">"
            + "<th scope=\"row\" colspan=\"3\">\(label)</th><td class=\"num\">\(escape(total.debits))</td>"
            + "<td class=\"num\">\(escape(total.credits))</td></tr>\n"
    }

    private static func breaksSection(_ page: FinanceReportPage) -> String {
        var html = "<section id=\"breaks\" data-breaks=\"\(page.breaks.count)\""
        if let reconciledAt = page.reconciledAt { html += " data-reconciled-at=\"\(escape(reconciledAt))\"" }
        html += ">\n<h2>Reconciliation</h2>\n"
        if let reconciledAt = page.reconciledAt {
            html += "<p class=\"note\">Last run <time datetime=\"\(escape(reconciledAt))\">\(escape(reconciledAt))</time>.</p>\n"
        } else {
            html += "<p class=\"note\">Reconciliation has not run yet.</p>\n"
        }
        guard !page.breaks.isEmpty else {
            guard page.reconciledAt != nil else { return html + "<p class=\"status\">No breaks recorded.</p>\n</section>\n" }
            return html + "<p class=\"status ok\">No breaks: the ledger and the processors agree.</p>\n</section>\n"
        }
        html += "<p class=\"status alert\">\(page.breaks.count) \(page.breaks.count == 1 ? "break" : "breaks") to resolve.</p>\n"
        html += "<table class=\"breaks\">\n<thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Connector</th><th scope=\"col\">Reference</th>"
        html += "<th scope=\"col\" class=\"num\">Ledger</th><th scope=\"col\" class=\"num\">Processor</th><th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n"
        for item in page.breaks {
            html += "<tr data-kind=\"\(escape(item.kind))\" data-connector=\"\(escape(item.connector))\" data-reference=\"\(escape(item.reference))\" "
            html += "data-ledger=\"\(escape(item.ledgerAmount))\" data-processor=\"\(escape(item.processorAmount))\">"
            html += "<td>\(escape(item.kind))</td><td>\(escape(item.connector))</td><td class=\"account\">\(escape(item.reference))</td>"
            html += "<td class=\"num\">\(escape(item.ledgerAmount))</td><td class=\"num\">\(escape(item.processorAmount))</td>"
            html += "<td>\(escape(item.detail))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private static func agingSection(_ page: FinanceReportPage) -> String {
        var html = "<section class=\"aging\">\n<h2>Frozen funds aging</h2>\n<table id=\"aging\">\n<thead><tr><th scope=\"col\">Age (days)</th>"
        html += "<th scope=\"col\">Asset</th><th scope=\"col\" class=\"num\">Tasks</th><th scope=\"col\" class=\"num\">Amount</th></tr></thead>\n<tbody>\n"
        if page.aging.isEmpty {
            html += "<tr class=\"empty\"><td colspan=\"4\">No frozen funds.</td></tr>\n"
        }
        for line in page.aging {
            html += "<tr data-bucket=\"\(escape(line.bucket))\" data-asset=\"\(escape(line.asset))\" data-tasks=\"\(line.tasks)\" "
            html += "data-amount=\"\(escape(line.amount))\"><td>\(escape(line.bucket))</td><td>\(escape(line.asset))</td>"
            html += "<td class=\"num\">\(line.tasks)</td><td class=\"num\">\(escape(line.amount))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private static let style = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1100px; padding: 24px 32px; color: #1d2329; background: #fff; font-size: 14px; line-height: 1.45;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        header { border-bottom: 2px solid #1d2329; padding-bottom: 10px; margin-bottom: 8px; }
        h1 { font-size: 24px; margin: 0 0 6px; }
        h2 { font-size: 17px; margin: 28px 0 8px; }
        dl.meta { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0; color: #4a5560; }
        dl.meta div { display: flex; gap: 6px; }
        dl.meta dt { font-weight: 600; }
        dl.meta dd { margin: 0; font-variant-numeric: tabular-nums; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: baseline; }
        thead th { background: #f1f3f5; border-bottom: 2px solid #9aa4ae; font-weight: 600; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        thead th.num { text-align: right; }
        .account { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
        tr.total th, tr.total td { font-weight: 700; background: #f7f8fa; border-top: 1.5px solid #1d2329; border-bottom: 2px solid #1d2329; }
        tr.total.unbalanced th, tr.total.unbalanced td { background: #fdecea; color: #a4161a; }
        tr.empty td { color: #5f6b76; font-style: italic; }
        tr { break-inside: avoid; }
        .note { margin: 0 0 6px; color: #4a5560; }
        .status { margin: 0 0 8px; font-weight: 600; }
        .status.ok { color: #1e6b34; }
        .status.alert { color: #a4161a; }
        figure { margin: 0; break-inside: avoid; }
        svg#daily-chart { display: block; width: 100%; height: auto; font-family: inherit; font-variant-numeric: tabular-nums; }
        figcaption { color: #5f6b76; font-size: 12px; margin-top: 4px; }
        @page { margin: 14mm; }
        @media print { body { max-width: none; padding: 0; font-size: 11pt; } h2 { break-after: avoid; } }

        """
}

/// The daily chart: one SVG, one panel per asset on its own scale, volume and fees bars per day.
/// Geometry is integer pixels; every label is an exact decimal from minor units.
private struct FinanceDailyChart {
    static let widthMin = 960
    static let marginLeftMin = 72
    static let axisLabelCharacterWidth = 7
    static let barWidthMax = 28
    static let marginRight = 16
    static let slotWidthMin = 6
    static let legendHeight = 34
    static let panelTitleHeight = 28
    static let plotHeight = 170
    static let axisHeight = 30
    static let panelGap = 20
    static let dayLabelsMax = 16
    static let volumeColor = "#3b6ea8"
    static let feesColor = "#e08a2c"

    struct Series {
        let asset: String
        let scale: Int
        var volume: [Int64?]
        var fees: [Int64?]

        /// The value at the plot's top: a round amount at or above every bar.
        var axisMax: Int64 { FinanceDailyChart.niceCeiling((volume + fees).reduce(Int64(0)) { max($0, $1 ?? 0) }) }
    }

    let days: [String]
    let daysLeftOut: Int
    let series: [Series]
    /// Wide enough for the longest y-axis label, which is exact and so may be long (scale 18).
    let marginLeft: Int

    init(points: [DailyPoint]) {
        let axis = FinanceDayAxis(labels: points.map(\.day), daysMax: FinanceHTML.chartDaysMax)
        days = axis.days
        daysLeftOut = axis.leftOut
        var index: [String: Int] = [:]
        for (position, day) in days.enumerated() { index[day] = position }
        var byAsset: [Series] = []
        var assetPosition: [String: Int] = [:]
        for point in points {
            precondition(point.scale >= 0 && point.scale <= FinanceHTML.scaleMax, "scale out of range")
            guard let day = index[point.day] else { continue }
            if assetPosition[point.asset] == nil {
                assetPosition[point.asset] = byAsset.count
                let empty = [Int64?](repeating: nil, count: days.count)
                byAsset.append(Series(asset: point.asset, scale: point.scale, volume: empty, fees: empty))
            }
            guard let position = assetPosition[point.asset] else { continue }
            precondition(byAsset[position].scale == point.scale, "one asset, one scale")
            precondition(byAsset[position].volume[day] == nil, "one point per (day, asset)")
            byAsset[position].volume[day] = point.volumeMinor
            byAsset[position].fees[day] = point.feesMinor
        }
        series = byAsset
        let labelLengthMax = byAsset.map { Self.axisLabel($0.axisMax, scale: $0.scale).count }.max() ?? 0
        marginLeft = max(Self.marginLeftMin, labelLengthMax * Self.axisLabelCharacterWidth + 14)
    }

    func section() -> String {
        var html = "<section class=\"daily\">\n<h2>Daily volume and fees</h2>\n<figure>\n"
        var caption = series.isEmpty ? "" : "Bars per day: volume and fees, each asset on its own scale. Hover a bar for its exact amount."
        if daysLeftOut > 0 {
            caption += " \(daysLeftOut) earlier \(daysLeftOut == 1 ? "day is" : "days are") left out (the chart shows \(FinanceHTML.chartDaysMax) at most)."
        }
        html += series.isEmpty ? emptySVG() : svg()
        if !caption.isEmpty { html += "<figcaption>\(FinanceHTML.escape(caption))</figcaption>\n" }
        return html + "</figure>\n</section>\n"
    }

    private var slotWidth: Int { max(Self.slotWidthMin, (Self.widthMin - marginLeft - Self.marginRight) / max(1, days.count)) }
    private var width: Int { max(Self.widthMin, marginLeft + slotWidth * days.count + Self.marginRight) }
    private var panelHeight: Int { Self.panelTitleHeight + Self.plotHeight + Self.axisHeight + Self.panelGap }

    private func emptySVG() -> String {
        "<svg id=\"daily-chart\" data-days=\"0\" viewBox=\"0 0 \(Self.widthMin) 80\" width=\"\(Self.widthMin)\" height=\"80\" "
            + "role=\"img\" aria-label=\"No volume or fees in this period\"><rect x=\"0.5\" y=\"0.5\" width=\"\(Self.widthMin - 1)\" "
            + "height=\"79\" fill=\"#fafbfc\" stroke=\"#d5dae0\"/><text x=\"\(Self.widthMin / 2)\" y=\"45\" text-anchor=\"middle\" "
            + "font-size=\"14\" fill=\"#5f6b76\">No volume or fees in this period.</text></svg>\n"
    }

    private func svg() -> String {
        let height = Self.legendHeight + panelHeight * series.count
        var svg = "<svg id=\"daily-chart\" data-days=\"\(days.count)\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" "
        svg += "height=\"\(height)\" role=\"img\" aria-label=\"Daily volume and fees per asset\">\n"
        svg += legend()
        for (position, item) in series.enumerated() {
            svg += panel(item, top: Self.legendHeight + panelHeight * position)
        }
        return svg + "</svg>\n"
    }

    private func legend() -> String {
        let x = marginLeft
        return "<g class=\"legend\" font-size=\"12\" fill=\"#1d2329\">"
            + "<rect x=\"\(x)\" y=\"8\" width=\"14\" height=\"14\" fill=\"\(Self.volumeColor)\"/><text x=\"\(x + 20)\" y=\"19\">Volume</text>"
            + "<rect x=\"\(x + 90)\" y=\"8\" width=\"14\" height=\"14\" fill=\"\(Self.feesColor)\"/><text x=\"\(x + 110)\" y=\"19\">Fees</text>"
            + "</g>\n"
    }

    private func panel(_ item: Series, top: Int) -> String {
        let asset = FinanceHTML.escape(item.asset)
        let baseline = top + Self.panelTitleHeight + Self.plotHeight
        let axisMax = item.axisMax
        var svg = "<g class=\"panel\" data-asset=\"\(asset)\">\n"
        svg += "<text x=\"\(marginLeft)\" y=\"\(top + 18)\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2329\">\(asset)"
        svg += "<tspan font-weight=\"400\" fill=\"#4a5560\">\(FinanceHTML.escape(totalsText(item)))</tspan></text>\n"
        svg += grid(axisMax: axisMax, scale: item.scale, baseline: baseline)
        for day in days.indices {
            svg += dayColumn(item, day: day, axisMax: axisMax, baseline: baseline)
        }
        svg += dayLabels(baseline: baseline)
        return svg + "</g>\n"
    }

    private func totalsText(_ item: Series) -> String {
        guard let volume = Self.exactSum(item.volume), let fees = Self.exactSum(item.fees) else { return "" }
        return "  \u{00B7}  volume \(FinanceHTML.decimal(volume, scale: item.scale))  \u{00B7}  fees \(FinanceHTML.decimal(fees, scale: item.scale))"
    }

    private func grid(axisMax: Int64, scale: Int, baseline: Int) -> String {
        let steps: Int64 = axisMax % 4 == 0 ? 4 : (axisMax % 2 == 0 ? 2 : 1)
        let right = marginLeft + slotWidth * days.count
        var svg = "<g class=\"grid\" font-size=\"11\" fill=\"#5f6b76\">"
        for step in 0...steps {
            let tick = axisMax / steps * step
            let y = baseline - Self.barHeight(tick, axisMax: axisMax)
            let stroke = step == 0 ? "#9aa4ae" : "#e3e6ea"
            svg += "<line x1=\"\(marginLeft)\" y1=\"\(y)\" x2=\"\(right)\" y2=\"\(y)\" stroke=\"\(stroke)\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(marginLeft - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(Self.axisLabel(tick, scale: scale))</text>"
        }
        return svg + "</g>\n"
    }

    private func dayColumn(_ item: Series, day: Int, axisMax: Int64, baseline: Int) -> String {
        let slotLeft = marginLeft + slotWidth * day
        let barWidth = min(Self.barWidthMax, max(1, slotWidth * 2 / 5))
        let date = FinanceHTML.escape(days[day])
        let asset = FinanceHTML.escape(item.asset)
        guard let volume = item.volume[day], let fees = item.fees[day] else {
            return "<rect x=\"\(slotLeft)\" y=\"\(baseline - Self.plotHeight)\" width=\"\(slotWidth)\" height=\"\(Self.plotHeight)\" "
                + "fill=\"transparent\"><title>\(date) \(asset): no activity</title></rect>\n"
        }
        let volumeText = FinanceHTML.decimal(volume, scale: item.scale)
        let feesText = FinanceHTML.decimal(fees, scale: item.scale)
        var svg = "<g class=\"day\" data-day=\"\(date)\" data-volume=\"\(volumeText)\" data-fees=\"\(feesText)\">"
        svg += "<rect x=\"\(slotLeft)\" y=\"\(baseline - Self.plotHeight)\" width=\"\(slotWidth)\" height=\"\(Self.plotHeight)\" "
        svg += "fill=\"transparent\"><title>\(date) \(asset): volume \(volumeText), fees \(feesText)</title></rect>"
        let bars = [("volume", volume, volumeText, Self.volumeColor), ("fees", fees, feesText, Self.feesColor)]
        for (offset, (name, value, text, color)) in bars.enumerated() {
            let barHeight = Self.barHeight(value, axisMax: axisMax)
            let x = slotLeft + (slotWidth - 2 * barWidth) / 2 + barWidth * offset
            svg += "<rect class=\"\(name)\" x=\"\(x)\" y=\"\(baseline - barHeight)\" width=\"\(barWidth)\" height=\"\(barHeight)\" "
            svg += "fill=\"\(color)\"><title>\(date) \(asset) \(name) \(text)</title></rect>"
        }
        return svg + "</g>\n"
    }

    private func dayLabels(baseline: Int) -> String {
        let every = max(1, (days.count + Self.dayLabelsMax - 1) / Self.dayLabelsMax)
        var svg = "<g class=\"days\" font-size=\"10\" fill=\"#4a5560\" text-anchor=\"middle\">"
        for day in days.indices where day % every == 0 {
            let x = marginLeft + slotWidth * day + slotWidth / 2
            let text = FinanceDayAxis.shortLabel(days[day])
            svg += "<line x1=\"\(x)\" y1=\"\(baseline)\" x2=\"\(x)\" y2=\"\(baseline + 4)\" stroke=\"#9aa4ae\"/>"
            svg += "<text x=\"\(x)\" y=\"\(baseline + 16)\"><title>\(FinanceHTML.escape(days[day]))</title>\(FinanceHTML.escape(text))</text>"
        }
        return svg + "</g>\n"
    }

    /// Pixels for `value` on a plot whose top is `axisMax`: value * plotHeight / axisMax in
    /// 128-bit intermediate integers, so no overflow and no floating point. A positive value
    /// gets at least 1 pixel so small fees stay visible; negatives draw nothing.
    static func barHeight(_ value: Int64, axisMax: Int64) -> Int {
        guard value > 0, axisMax > 0 else { return 0 }
        let clamped = min(value, axisMax)
        let product = clamped.multipliedFullWidth(by: Int64(plotHeight))
        let pixels = axisMax.dividingFullWidth(product).quotient
        return max(1, Int(pixels))
    }

    /// The smallest 1, 2 or 5 times a power of ten that is at least `value`, so axis ticks
    /// fall on round amounts; `value` itself if that would overflow.
    static func niceCeiling(_ value: Int64) -> Int64 {
        guard value > 1 else { return 1 }
        var power: Int64 = 1
        while true {
            for multiple: Int64 in [1, 2, 5] {
                let (candidate, overflow) = multiple.multipliedReportingOverflow(by: power)
                if overflow { return value }
                if candidate >= value { return candidate }
            }
            let (next, overflow) = power.multipliedReportingOverflow(by: 10)
            if overflow { return value }
            power = next
        }
    }

    /// An exact axis label without trailing zeros ("1500" rather than "1500.000000").
    static func axisLabel(_ minor: Int64, scale: Int) -> String {
        var text = FinanceHTML.decimal(minor, scale: scale)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The sum of the present values, or nil if it would overflow (the total is then not shown).
    static func exactSum(_ values: [Int64?]) -> Int64? {
        var sum: Int64 = 0
        for value in values {
            let (next, overflow) = sum.addingReportingOverflow(value ?? 0)
            if overflow { return nil }
            sum = next
        }
        return sum
    }
}

/// The chart's x axis: every calendar day from the first to the last "YYYY-MM-DD" given, so
/// quiet days show as gaps; other labels fall back to the distinct labels in sorted order.
private struct FinanceDayAxis {
    let days: [String]
    let leftOut: Int

    init(labels: [String], daysMax: Int) {
        let distinct = Set(labels)
        let numbers = distinct.compactMap(Self.dayNumber)
        var all: [String]
        if !distinct.isEmpty, numbers.count == distinct.count, let first = numbers.min(), let last = numbers.max() {
            let start = max(first, last - Int64(daysMax - 1))
            all = (start...last).map(Self.dateText)
            leftOut = Int(start - first)
        } else {
            all = distinct.sorted()
            leftOut = max(0, all.count - daysMax)
            all = Array(all.suffix(daysMax))
        }
        days = all
    }

    /// "11-23" for "2026-11-23"; any other label unchanged.
    static func shortLabel(_ day: String) -> String {
        dayNumber(day) == nil ? day : String(day.dropFirst(5))
    }

    /// Days since 1970-01-01 of a strict "YYYY-MM-DD", nil otherwise (Hinnant's days-from-civil).
    static func dayNumber(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let number = Timestamps.days(year: year, month: month, day: day)
        return dateText(number) == text ? number : nil
    }

    /// "YYYY-MM-DD" of a day number since 1970.
    static func dateText(_ number: Int64) -> String { Timestamps.date(days: number) }
}
