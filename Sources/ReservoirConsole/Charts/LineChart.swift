/// A line chart: one series over time with an optional interval band (a forecast's 80 % interval, a
/// series' min–max), axis labels at both ends of each axis, and an accessible title. Pure: values in, SVG out.
public struct LineChart: Sendable {
    public struct Point: Sendable, Hashable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    /// The interval around the line at `x`: from `low` to `high`.
    public struct Interval: Sendable, Hashable {
        public var x: Double
        public var low: Double
        public var high: Double
        public init(x: Double, low: Double, high: Double) { self.x = x; self.low = low; self.high = high }
    }

    public var title: String
    public var points: [Point]
    public var band: [Interval]
    /// The y range shown; nil: from 0 (or the lowest value, if below) to the highest value.
    public var yRange: ClosedRange<Double>?
    /// How x and y values are written on the axes (e.g. a date, a percentage).
    public var xLabel: @Sendable (Double) -> String
    public var yLabel: @Sendable (Double) -> String
    public var width: Double = 640
    public var height: Double = 220

    public init(
        title: String, points: [Point], band: [Interval] = [], yRange: ClosedRange<Double>? = nil,
        xLabel: @escaping @Sendable (Double) -> String = { SVG.figure($0) }, yLabel: @escaping @Sendable (Double) -> String = { SVG.figure($0) }
    ) {
        self.title = title
        self.points = points
        self.band = band
        self.yRange = yRange
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    static let margin = (left: 56.0, right: 12.0, top: 12.0, bottom: 28.0)

    /// The chart as an `<svg>` element; a chart without points says so in words instead of drawing axes.
    public func svg() -> String {
        let title = SVG.escape(self.title)
        let head = #"<svg class="chart" viewBox="0 0 \#(SVG.n(width)) \#(SVG.n(height))" role="img" aria-label="\#(title)" xmlns="http://www.w3.org/2000/svg"><title>\#(title)</title>"#
        let xs = points.map(\.x) + band.map(\.x)
        guard let minX = xs.min(), let maxX = xs.max() else {
            return head + #"<text x="\#(SVG.n(width / 2))" y="\#(SVG.n(height / 2))" text-anchor="middle">No data yet</text></svg>"#
        }
        let ys = points.map(\.y) + band.flatMap { [$0.low, $0.high] }
        let range = yRange ?? (min(0, ys.min() ?? 0)...max(ys.max() ?? 1, (ys.min() ?? 0) + 1e-9))
        let m = Self.margin
        let plotW = width - m.left - m.right, plotH = height - m.top - m.bottom
        func px(_ x: Double) -> Double { maxX == minX ? m.left + plotW / 2 : m.left + (x - minX) / (maxX - minX) * plotW }
        func py(_ y: Double) -> Double {
            let span = range.upperBound - range.lowerBound
            let clamped = min(max(y, range.lowerBound), range.upperBound)
            return m.top + plotH - (span > 0 ? (clamped - range.lowerBound) / span * plotH : 0)
        }
        var out = head
        let bottom = m.top + plotH
        out += #"<line class="grid" x1="\#(SVG.n(m.left))" y1="\#(SVG.n(m.top))" x2="\#(SVG.n(m.left + plotW))" y2="\#(SVG.n(m.top))"/>"#
        out += #"<line class="axis" x1="\#(SVG.n(m.left))" y1="\#(SVG.n(bottom))" x2="\#(SVG.n(m.left + plotW))" y2="\#(SVG.n(bottom))"/>"#
        out += #"<line class="axis" x1="\#(SVG.n(m.left))" y1="\#(SVG.n(m.top))" x2="\#(SVG.n(m.left))" y2="\#(SVG.n(bottom))"/>"#
        if !band.isEmpty {
            let sorted = band.sorted { $0.x < $1.x }
            let upper = sorted.map { "\(SVG.n(px($0.x))),\(SVG.n(py($0.high)))" }
            let lower = sorted.reversed().map { "\(SVG.n(px($0.x))),\(SVG.n(py($0.low)))" }
            out += #"<polygon class="band" points="\#((upper + lower).joined(separator: " "))"/>"#
        }
        let sorted = points.sorted { $0.x < $1.x }
        if sorted.count == 1, let only = sorted.first {
            out += #"<circle class="line" cx="\#(SVG.n(px(only.x)))" cy="\#(SVG.n(py(only.y)))" r="3"/>"#
        } else if !sorted.isEmpty {
            out += #"<polyline class="line" points="\#(sorted.map { "\(SVG.n(px($0.x))),\(SVG.n(py($0.y)))" }.joined(separator: " "))"/>"#
        }
        out += #"<text x="\#(SVG.n(m.left - 6))" y="\#(SVG.n(m.top + 4))" text-anchor="end">\#(SVG.escape(yLabel(range.upperBound)))</text>"#
        out += #"<text x="\#(SVG.n(m.left - 6))" y="\#(SVG.n(bottom))" text-anchor="end">\#(SVG.escape(yLabel(range.lowerBound)))</text>"#
        out += #"<text x="\#(SVG.n(m.left))" y="\#(SVG.n(height - 8))" text-anchor="start">\#(SVG.escape(xLabel(minX)))</text>"#
        out += #"<text x="\#(SVG.n(m.left + plotW))" y="\#(SVG.n(height - 8))" text-anchor="end">\#(SVG.escape(xLabel(maxX)))</text>"#
        return out + "</svg>"
    }
}
