import Foundation
import Testing
@testable import ReservoirForecasting

/// Synthetic series whose structure is known: the ensemble must find it, measured against the noise-free
/// truth, not against the noisy values.
@Suite struct SyntheticStructureTests {
    /// MAE of a forecast from `origin` against the series' truth.
    static func errorAgainstTruth(_ f: Forecast, _ series: SyntheticSeries, origin: Int) -> Double {
        f.mean.indices.map { abs(f.mean[$0] - series.truth(origin + $0)) }.reduce(0, +) / Double(f.horizon)
    }

    @Test func seriesAreDeterministicAndHaveTheirStructure() {
        for s in SyntheticSeries.allCases {
            #expect(s.values == s.values)
            #expect(s.values.count == SyntheticSeries.hours)
            #expect(s.values.allSatisfy { $0 >= 0 && $0.isFinite })
        }
        #expect(SyntheticSeries.missingDay.values[432..<456].allSatisfy { $0 == 0 })
        #expect(abs(SyntheticSeries.levelShift.truth(520) - SyntheticSeries.levelShift.truth(520 - 24) - 15) < 1e-9)
    }

    @Test func findsTheWeeklyCycleOnTopOfTheDailyOne() throws {
        let series = SyntheticSeries.doubleSeasonality
        let origin = 24 * 28  // a Monday 00:00: the next week holds a weekend at days 5 and 6
        let history = Array(series.values.prefix(origin))
        let f = try AutoEnsemble.standard().forecast(history, horizon: 168)
        let weekdays = (0..<120).map { f.mean[$0] }.reduce(0, +) / 120
        let weekend = (120..<168).map { f.mean[$0] }.reduce(0, +) / 48
        // Truth: weekends at 65 % of weekdays; the daily seasonal naive from this Monday origin repeats
        // Sunday, so it has no dip at all (100 %). The ensemble averages its best four members, of which
        // only the harmonic regressions know weeks, so it finds part of the dip (82 %; 70–75 % when it
        // averaged three).
        #expect(weekend < 0.85 * weekdays, "the weekend dip was not found")
        let daily = try SeasonalNaive(period: 24).forecast(history, horizon: 168)
        #expect(Self.errorAgainstTruth(f, series, origin: origin) < 0.5 * Self.errorAgainstTruth(daily, series, origin: origin))
    }

    @Test func followsALevelShiftWithinDays() throws {
        let series = SyntheticSeries.levelShift
        let origin = 600  // 80 hours after the +15 shift
        let f = try AutoEnsemble.standard().forecast(Array(series.values.prefix(origin)), horizon: 24)
        #expect(Self.errorAgainstTruth(f, series, origin: origin) < 2.5, "still forecasting the old level")
        let coverage = f.mean.indices.filter { f.lower80[$0] <= series.truth(origin + $0) && series.truth(origin + $0) <= f.upper80[$0] }.count
        #expect(coverage >= 20)
    }

    @Test func followsTheNewTrendAfterAChange() throws {
        let series = SyntheticSeries.trendChange
        let origin = 24 * 30  // 320 hours into the falling trend
        let f = try AutoEnsemble.standard().forecast(Array(series.values.prefix(origin)), horizon: 48)
        #expect(Self.errorAgainstTruth(f, series, origin: origin) < 2.5)
    }
}
