import Testing
@testable import ReservoirForecasting

@Suite struct ForecastChartTests {
    @Test func chartHasHistoryForecastAndBandAndIsDeterministic() {
        let history = (0..<48).map { 10 + Double($0 % 24) }
        let f = Forecast(mean: [20, 21, 22], lower80: [18, 18.5, 19], upper80: [22, 23.5, 25])
        let chart = ForecastChart(width: 400, height: 200, title: "H100 <eu>")
        let svg = chart.svg(history: history, forecast: f)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"200\""))
        #expect(svg.contains("class=\"history\"") && svg.contains("class=\"forecast\"") && svg.contains("class=\"band80\""))
        #expect(svg.contains("H100 &lt;eu&gt;"))
        #expect(svg == chart.svg(history: history, forecast: f))
    }
}
