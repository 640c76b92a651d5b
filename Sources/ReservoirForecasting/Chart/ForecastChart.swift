import ReservoirCore

/// An SVG line chart of a series' history, its forecast and the 80 % band, as a self-contained string the
/// web UI can inline. Pure: same input, same bytes (fixed decimal formatting, no dates, no ids).
///
/// Layout: the history is a dark line, the forecast a blue dashed line continuing it, the 80 % interval a
/// translucent blue band; a vertical rule marks the forecast origin; the y axis has min and max labels.
public struct ForecastChart: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var title: String

    public init(width: Int = 720, height: Int = 240, title: String = "") {
        self.width = width
        self.height = height
        self.title = title
    }

    public func svg(history: [Double], forecast: Forecast) -> String {
        let n = history.count, total = history.count + forecast.horizon
        let values = history + forecast.lower80 + forecast.upper80 + forecast.mean
        let lo = min(0, values.min() ?? 0), hi = max(values.max() ?? 1, lo + 1)
        let left = 48.0, right = 8.0, top = title.isEmpty ? 8.0 : 24.0, bottom = 20.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        func x(_ i: Int) -> String { fmt(left + plotW * Double(i) / Double(max(total - 1, 1))) }
        func y(_ v: Double) -> String { fmt(top + plotH * (1 - (v - lo) / (hi - lo))) }
        func path(_ points: [(Int, Double)]) -> String {
            points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(x($0.element.0)),\(y($0.element.1))" }.joined(separator: " ")
        }
        var band = (0..<forecast.horizon).map { (n + $0, forecast.upper80[$0]) }
        band += (0..<forecast.horizon).reversed().map { (n + $0, forecast.lower80[$0]) }
        let lastHistory = n > 0 ? [(n - 1, history[n - 1])] : []
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
        out += "font-family=\"sans-serif\" font-size=\"11\">\n"
        if !title.isEmpty { out += "<text x=\"\(fmt(left))\" y=\"16\" font-weight=\"bold\">\(escaped(title))</text>\n" }
        out += "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotW))\" height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"#ccc\"/>\n"
        out += "<text x=\"\(fmt(left - 4))\" y=\"\(y(hi))\" text-anchor=\"end\" dominant-baseline=\"hanging\">\(fmt(hi))</text>\n"
        out += "<text x=\"\(fmt(left - 4))\" y=\"\(y(lo))\" text-anchor=\"end\">\(fmt(lo))</text>\n"
        if forecast.horizon > 0 {
            out += "<path class=\"band80\" d=\"\(path(band)) Z\" fill=\"#3b82f6\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
            out += "<line class=\"origin\" x1=\"\(x(max(n - 1, 0)))\" y1=\"\(fmt(top))\" x2=\"\(x(max(n - 1, 0)))\" "
            out += "y2=\"\(fmt(top + plotH))\" stroke=\"#999\" stroke-dasharray=\"2,2\"/>\n"
        }
        if n > 0 {
            out += "<path class=\"history\" d=\"\(path(history.enumerated().map { ($0.offset, $0.element) }))\" fill=\"none\" stroke=\"#111\" stroke-width=\"1.2\"/>\n"
        }
        if forecast.horizon > 0 {
            let points = lastHistory + forecast.mean.enumerated().map { (n + $0.offset, $0.element) }
            out += "<path class=\"forecast\" d=\"\(path(points))\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"1.5\" stroke-dasharray=\"4,2\"/>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// One decimal, no locale, no exponent: stable text for snapshots and diffs.
    private func fmt(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    private func escaped(_ s: String) -> String { MarkupText.escaped(s) }
}
