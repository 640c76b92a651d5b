import Testing
@testable import ReservoirForecasting

/// The protocol's metrics against values worked out by hand.
@Suite struct MetricsTests {
    @Test func pooledMetricsMatchHandComputation() {
        // Origin A: y = [10, 0, 4], ŷ = [8, 1, 4], interval ±1.5 → errors 2, 1, 0; covered: no, yes, yes.
        // Origin B: y = [5], ŷ = [5], interval [5, 5] → error 0, covered.
        let a = ForecastMetrics.Window(forecast: Forecast(mean: [8, 1, 4], lower80: [6.5, -0.5, 2.5], upper80: [9.5, 2.5, 5.5]),
                                       actual: [10, 0, 4], scale: 2)
        let b = ForecastMetrics.Window(forecast: Forecast(mean: [5], lower80: [5], upper80: [5]), actual: [5], scale: 4)
        let m = ForecastMetrics(pooling: [a, b])
        #expect(abs(m.mae - 3.0 / 4) < 1e-12)
        // MAPE over y ≠ 0 only: (2/10 + 0/4 + 0/5) / 3.
        #expect(abs(m.mape - 100 * 0.2 / 3) < 1e-12)
        // sMAPE: 2·2/18, 2·1/1, 0 (4 vs 4), 0 (5 vs 5) → mean over 4 points.
        #expect(abs(m.smape - 100 * (4.0 / 18 + 2) / 4) < 1e-12)
        // MASE: origin A MAE 1 / scale 2 = 0.5; origin B 0 / 4 = 0 → mean 0.25.
        #expect(abs(m.mase - 0.25) < 1e-12)
        #expect(abs(m.cov80 - 75) < 1e-12)
        #expect(abs(m.width80 - 9.0 / 4) < 1e-12)
    }

    @Test func zeroOverZeroCountsAsZeroInSMAPE() {
        let w = ForecastMetrics.Window(forecast: Forecast(mean: [0], lower80: [0], upper80: [0]), actual: [0], scale: 1)
        #expect(ForecastMetrics(pooling: [w]).smape == 0)
    }

    @Test func masScaleIsInSampleSeasonalNaiveMAE() {
        let y = (0..<48).map { Double($0) }
        #expect(Statistics.seasonalNaiveScale(y, period: 24) == 24)
    }

    @Test func backtestOfSeasonalNaiveOnPeriodicSeriesIsExact() throws {
        let y: [Double] = (0..<800).map { t in
            let day = (t / 24) % 2 == 0 ? 0.0 : 0.5
            return Double(t % 24) + day
        }
        let rows = try Backtester.run(SeasonalNaive(period: 48), on: y, plan: .openbProtocol)
        #expect(rows.map { $0.horizon } == [24, 168])
        #expect(rows.allSatisfy { $0.metrics.mae == 0 && $0.metrics.mase == 0 })
    }
}
