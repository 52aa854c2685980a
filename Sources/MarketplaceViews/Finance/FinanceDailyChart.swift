import LedgerCore
import Marketplace

/// The daily chart: one SVG, one panel per asset on its own scale, volume and fees bars per day.
/// Geometry is integer pixels; every label is an exact decimal from minor units.
struct FinanceDailyChart {
    /// The most days the chart draws; older days are left out, with a note saying how many.
    static let chartDaysMax = 400
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

    init(points: [DailyTotal]) {
        let axis = FinanceDayAxis(labels: points.map(\.day), daysMax: Self.chartDaysMax)
        days = axis.days
        daysLeftOut = axis.leftOut
        var index: [String: Int] = [:]
        for (position, day) in days.enumerated() { index[day] = position }
        var byAsset: [Series] = []
        var assetPosition: [String: Int] = [:]
        for point in points {
            guard let day = index[point.day] else { continue }
            if assetPosition[point.asset.code] == nil {
                assetPosition[point.asset.code] = byAsset.count
                let empty = [Int64?](repeating: nil, count: days.count)
                byAsset.append(Series(asset: point.asset.code, scale: point.asset.scale, volume: empty, fees: empty))
            }
            guard let position = assetPosition[point.asset.code] else { continue }
            precondition(byAsset[position].volume[day] == nil, "one point per (day, asset)")
            byAsset[position].volume[day] = point.volumeMinor
            byAsset[position].fees[day] = point.feesMinor
        }
        series = byAsset
        let labelLengthMax = byAsset.map { Self.axisLabel($0.axisMax, scale: $0.scale).count }.max() ?? 0
        marginLeft = max(Self.marginLeftMin, labelLengthMax * Self.axisLabelCharacterWidth + 14)
    }

    /// The figure: the SVG and its caption, ready to be put into the page unescaped (every
    /// text in it is escaped here). Geometry is computed, which a template cannot do.
    func figure() -> String {
        var html = "<figure>\n"
        var caption = series.isEmpty ? "" : "Bars per day: volume and fees, each asset on its own scale. Hover a bar for its exact amount."
        if daysLeftOut > 0 {
            caption += " \(daysLeftOut) earlier \(daysLeftOut == 1 ? "day is" : "days are") left out (the chart shows \(Self.chartDaysMax) at most)."
        }
        html += series.isEmpty ? emptySVG() : svg()
        if !caption.isEmpty { html += "<figcaption>\(HTMLText.escape(caption))</figcaption>\n" }
        return html + "</figure>\n"
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
        let asset = HTMLText.escape(item.asset)
        let baseline = top + Self.panelTitleHeight + Self.plotHeight
        let axisMax = item.axisMax
        var svg = "<g class=\"panel\" data-asset=\"\(asset)\">\n"
        svg += "<text x=\"\(marginLeft)\" y=\"\(top + 18)\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2329\">\(asset)"
        svg += "<tspan font-weight=\"400\" fill=\"#4a5560\">\(HTMLText.escape(totalsText(item)))</tspan></text>\n"
        svg += grid(axisMax: axisMax, scale: item.scale, baseline: baseline)
        for day in days.indices {
            svg += dayColumn(item, day: day, axisMax: axisMax, baseline: baseline)
        }
        svg += dayLabels(baseline: baseline)
        return svg + "</g>\n"
    }

    private func totalsText(_ item: Series) -> String {
        guard let volume = Self.exactSum(item.volume), let fees = Self.exactSum(item.fees) else { return "" }
        return "  \u{00B7}  volume \(AmountText.grouped(volume, scale: item.scale))  \u{00B7}  fees \(AmountText.grouped(fees, scale: item.scale))"
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
        let date = HTMLText.escape(days[day])
        let asset = HTMLText.escape(item.asset)
        guard let volume = item.volume[day], let fees = item.fees[day] else {
            return "<rect x=\"\(slotLeft)\" y=\"\(baseline - Self.plotHeight)\" width=\"\(slotWidth)\" height=\"\(Self.plotHeight)\" "
                + "fill=\"transparent\"><title>\(date) \(asset): no activity</title></rect>\n"
        }
        let volumeText = MinorUnits.format(volume, scale: item.scale)
        let feesText = MinorUnits.format(fees, scale: item.scale)
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
            svg += "<text x=\"\(x)\" y=\"\(baseline + 16)\"><title>\(HTMLText.escape(days[day]))</title>\(HTMLText.escape(text))</text>"
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
        var text = MinorUnits.format(minor, scale: scale)
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
struct FinanceDayAxis {
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
