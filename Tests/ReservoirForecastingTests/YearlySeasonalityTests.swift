import Foundation
import ReservoirForecasting
import Testing

/// Yearly seasonality is modelled from two whole years of history and only then.
@Suite("Yearly seasonality")
struct YearlySeasonalityTests {
    /// Hourly demand: a yearly swing of ±40 % (peak in spring) on a daily cycle.
    static func series(hours: Int) -> [Double] {
        (0..<hours).map { t in
            let yearly = 1 + 0.4 * sin(2 * Double.pi * Double(t / 24) / 365)
            let daily = 1 + 0.3 * sin(2 * Double.pi * Double(t % 24) / 24)
            return 100 * yearly * daily
        }
    }

    @Test func twoYearsOfHistoryFindTheYearlySwing() throws {
        // Forecast 30 days from day 2·365 + 5, where the yearly curve rises steepest (+20 % in the month).
        let n = (2 * 365 + 5) * 24, horizon = 30 * 24
        let all = Self.series(hours: n + horizon)
        let history = Array(all[..<n]), truth = Array(all[n...])
        let yearly = try YearlyAdjusted(SeasonalNaive(period: 24)).forecast(history, horizon: horizon)
        let plain = try SeasonalNaive(period: 24).forecast(Array(history.suffix(28 * 24)), horizon: horizon)
        func mae(_ f: Forecast) -> Double { zip(f.mean, truth).map { abs($0 - $1) }.reduce(0, +) / Double(horizon) }
        #expect(mae(yearly) < 0.5 * mae(plain), "yearly \(mae(yearly)) vs plain \(mae(plain))")
        #expect(yearly.mean.allSatisfy(\.isFinite) && yearly.upper80.allSatisfy(\.isFinite))
    }

    @Test func lessThanTwoYearsIsNotPretended() throws {
        let history = Self.series(hours: (2 * 365 - 1) * 24)
        let f = try YearlyAdjusted(SeasonalNaive(period: 24)).forecast(history, horizon: 48)
        let plain = try SeasonalNaive(period: 24).forecast(Array(history.suffix(28 * 24)), horizon: 48)
        #expect(f == plain, "under two years: the base model on the last four weeks, no yearly factor")
    }
}
