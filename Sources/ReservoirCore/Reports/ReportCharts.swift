/// The report's two inline SVG charts, drawn from its own figures with fixed number formats (no script,
/// no external URL): the daily utilization line and the water level by model.
enum ReportCharts {
    static let width = 640.0, height = 220.0, left = 44.0, right = 12.0, top = 14.0, bottom = 36.0
    static let blue = "#1f77b4", orange = "#ff7f0e", light = "#c6dbef", dark = "#08519c", grey = "#888888"

    /// GPU and memory utilization per day, 0–100 %.
    static func dailyUtilization(_ days: [DailyUtilization]) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ i: Int) -> Double { left + (days.count > 1 ? Double(i) / Double(days.count - 1) * plotW : plotW / 2) }
        func y(_ percent: Double) -> Double { top + plotH * (1 - min(100, max(0, percent)) / 100) }
        func line(_ values: [Double], _ color: String) -> String {
            let points = values.enumerated().map { "\(n(x($0.offset))),\(n(y($0.element)))" }.joined(separator: " ")
            return #"<polyline fill="none" stroke="\#(color)" stroke-width="2" points="\#(points)"/>"#
        }
        var parts = [open("Daily mean GPU and memory utilization")]
        parts += axis(ticks: [0, 25, 50, 75, 100].map { ("\(Int($0)) %", y($0)) })
        if days.isEmpty {
            parts.append(#"<text x="\#(n(width / 2))" y="\#(n(height / 2))" text-anchor="middle">no telemetry</text>"#)
        } else {
            parts.append(line(days.map(\.gpuMeanPercent), blue))
            parts.append(line(days.map(\.memoryMeanPercent), orange))
            for (i, day) in days.enumerated() where i == 0 || i == days.count - 1 || i % 7 == 0 {
                parts.append(#"<text x="\#(n(x(i)))" y="\#(n(height - bottom + 16))" text-anchor="middle">\#(day.day.suffix(5))</text>"#)
            }
        }
        parts.append(legend([("GPU", blue), ("memory", orange)]))
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// Per model: GPUs in the inventory (light bar) and mean allocated (dark bar inside it).
    static func waterLevel(_ rows: [WaterLevelRow]) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        let most = max(1, rows.map { max(Double($0.total), $0.allocated) }.max() ?? 1)
        func y(_ gpus: Double) -> Double { top + plotH * (1 - gpus / most) }
        let slot = rows.isEmpty ? plotW : plotW / Double(rows.count)
        var parts = [open("GPUs and mean allocated by model")]
        parts += axis(ticks: [0, most / 2, most].map { (ReportNumber.text($0, places: 0), y($0)) })
        for (i, row) in rows.enumerated() {
            let x0 = left + Double(i) * slot + slot * 0.15, w = slot * 0.7
            parts.append(#"<rect x="\#(n(x0))" y="\#(n(y(Double(row.total))))" width="\#(n(w))" height="\#(n(y(0) - y(Double(row.total))))" fill="\#(light)"/>"#)
            parts.append(#"<rect x="\#(n(x0 + w * 0.2))" y="\#(n(y(row.allocated)))" width="\#(n(w * 0.6))" height="\#(n(y(0) - y(row.allocated)))" fill="\#(dark)"/>"#)
            parts.append(#"<text x="\#(n(x0 + w / 2))" y="\#(n(height - bottom + 16))" text-anchor="middle">\#(MonthlyReportHTML.escape(row.model ?? "all"))</text>"#)
        }
        parts.append(legend([("GPUs", light), ("allocated (mean)", dark)]))
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private static func open(_ title: String) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" font-size="11" font-family="sans-serif"><title>\#(title)</title>"#
    }

    private static func axis(ticks: [(label: String, y: Double)]) -> [String] {
        [#"<line x1="\#(n(left))" y1="\#(n(top))" x2="\#(n(left))" y2="\#(n(height - bottom))" stroke="\#(grey)"/>"#,
         #"<line x1="\#(n(left))" y1="\#(n(height - bottom))" x2="\#(n(width - right))" y2="\#(n(height - bottom))" stroke="\#(grey)"/>"#]
            + ticks.map { #"<text x="\#(n(left - 4))" y="\#(n($0.y + 4))" text-anchor="end">\#($0.label)</text>"# }
    }

    private static func legend(_ entries: [(String, String)]) -> String {
        entries.enumerated().map { i, entry in
            let x = left + 8 + Double(i) * 140
            return #"<rect x="\#(n(x))" y="\#(n(height - 12))" width="10" height="10" fill="\#(entry.1)"/><text x="\#(n(x + 14))" y="\#(n(height - 3))">\#(entry.0)</text>"#
        }.joined()
    }

    /// Coordinates with one decimal: stable text.
    private static func n(_ value: Double) -> String { ReportNumber.text(value, places: 1) }
}
