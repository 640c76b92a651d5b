import ReservoirConsole
import Testing

/// The SVG kit: pure functions from values to markup; text is always escaped.
@Suite struct ChartTests {
    @Test func lineChartDrawsTheLineTheBandAndTheAxisLabels() {
        let chart = LineChart(
            title: "GPU <util>", points: [.init(x: 0, y: 10), .init(x: 10, y: 50), .init(x: 20, y: 30)],
            band: [.init(x: 0, low: 5, high: 15), .init(x: 20, low: 20, high: 40)], yRange: 0...100,
            xLabel: { "t\(Int($0))" }, yLabel: { "\(Int($0)) %" }
        ).svg()
        #expect(chart.hasPrefix("<svg"))
        #expect(chart.contains("<title>GPU &lt;util&gt;</title>"))
        #expect(!chart.contains("<util>"))
        // x 0…20 spans the plot 56…628; y 0…100 spans 192…12: (10, 50) is at (342, 102).
        #expect(chart.contains(#"<polyline class="line" points="56,174 342,102 628,138"/>"#))
        #expect(chart.contains(#"<polygon class="band""#))
        #expect(chart.contains(">100 %</text>") && chart.contains(">0 %</text>"))
        #expect(chart.contains(">t0</text>") && chart.contains(">t20</text>"))
    }

    @Test func anEmptyLineChartSaysSoInWords() {
        let chart = LineChart(title: "Nothing", points: []).svg()
        #expect(chart.contains("No data yet"))
        #expect(!chart.contains("polyline"))
    }

    @Test func stackedBarSplitsTheTotalInProportion() {
        let bar = StackedBar.waterLevel(title: "p1 A100", total: 8, allocated: 4, reserved: 2, free: 2).svg()
        #expect(bar.contains(#"<rect class="seg-allocated" x="0" y="0" width="100" height="16"><title>allocated: 4</title></rect>"#))
        #expect(bar.contains(#"<rect class="seg-reserved" x="100" y="0" width="50" height="16"><title>reserved: 2</title></rect>"#))
        #expect(bar.contains(#"<rect class="seg-free" x="150" y="0" width="50" height="16"><title>free: 2</title></rect>"#))
    }

    @Test func stackedBarLeavesEmptySegmentsOutAndEscapesLabels() {
        let bar = StackedBar(title: "a&b", segments: [.init("x\"y", 1, style: "seg-free"), .init("none", 0, style: "seg-other")]).svg()
        #expect(bar.contains("aria-label=\"a&amp;b\""))
        #expect(bar.contains("<title>x&quot;y: 1</title>"))
        #expect(!bar.contains("none:"))
    }

    @Test func heatMapColoursCellsByValueAndMarksMissingOnes() {
        let map = HeatMap(title: "node n1", cells: [
            .init(label: "0", value: 0, note: "idle"), .init(label: "1", value: 1, note: "job <j1>"), .init(label: "2", value: nil, note: "failed"),
        ], columns: 2).svg()
        #expect(map.contains(HeatMap.colour(0)) && map.contains(HeatMap.colour(1)))
        #expect(HeatMap.colour(0) == "rgb(234,242,251)" && HeatMap.colour(1) == "rgb(11,60,130)")
        #expect(map.contains("<title>1 100 %: job &lt;j1&gt;</title>"))
        #expect(map.contains("fill=\"#d0d7de\"") && map.contains("<title>2: failed</title>"))
        // The third cell wraps to the second row (2 columns): y = 44 + 4 + 14.
        #expect(map.contains(#"<rect x="0" y="62" width="44" height="44""#))
        #expect(map.contains(">100 %</text>"))
    }

    @Test func escapeCoversEveryCharacterThatCouldBreakOut() {
        #expect(SVG.escape(#"<a href="x" onclick='y'>&</a>"#) == "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
    }
}
