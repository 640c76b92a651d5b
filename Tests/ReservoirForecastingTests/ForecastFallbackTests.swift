import Foundation
import Testing
@testable import ReservoirForecasting

/// Histories the ensemble cannot validate on get a documented fallback with finite numbers, or a clear
/// error; never a crash or a NaN.
@Suite struct ForecastFallbackTests {
    static func daily(_ hours: Int) -> [Double] { (0..<hours).map { 20 + 5 * sin(2 * Double.pi * Double($0) / 24) + Double($0 % 5) } }

    @Test func gapsAreFilledFromOneDayEarlier() throws {
        var y = Self.daily(24 * 10)
        for t in 100..<124 { y[t] = .nan }
        y[5] = .infinity
        let filled = try SeriesFallback.filled(y, period: 24)
        #expect(filled[110] == y[86])
        #expect(filled[5] == filled[4])  // no value a day earlier: the last known one
        let f = try AutoEnsemble.standard().forecast(y, horizon: 48)
        #expect(f.isFinite)
        #expect(f.mean.count == 48)
    }

    @Test func constantHistoryForecastsTheConstant() throws {
        let f = try AutoEnsemble.standard().forecast([Double](repeating: 7, count: 24 * 10), horizon: 30)
        #expect(f.mean == [Double](repeating: 7, count: 30))
        #expect(f.lower80 == f.mean && f.upper80 == f.mean)
    }

    @Test func shortHistoryFallsBackToTheSeasonalNaive() throws {
        let y = Self.daily(60)  // past two days, short of the three days and six hours validation needs
        let f = try AutoEnsemble.standard().forecast(y, horizon: 24)
        #expect(f == (try SeasonalNaive(period: 24).forecast(y, horizon: 24)))
        let tiny = try AutoEnsemble.standard().forecast([3, 5, 4, 6], horizon: 5)
        #expect(tiny.isFinite)
        #expect(tiny.mean == [Double](repeating: 6, count: 5))
        #expect(tiny.upper80[4] > tiny.upper80[0])  // the naive's interval widens with the lead
    }

    /// Negative values (a net change, a corrected counter) are numbers like any other: forecast as they
    /// are, not clipped; members that need non-negative values (the log-scale harmonic regression) fail
    /// and are left out.
    @Test func negativeValuesAreForecastAsNumbers() throws {
        let y = (0..<(24 * 12)).map { -3 + 5 * sin(2 * Double.pi * Double($0) / 24) + Double($0 % 3) * 0.5 }
        #expect(throws: ForecastError.self) {
            try HarmonicRegression(periods: [24, 168], logTransform: true).forecast(y, horizon: 24)
        }
        let f = try AutoEnsemble.standard().forecast(y, horizon: 48)
        #expect(f.isFinite)
        #expect(f.mean.contains { $0 < 0 })
        #expect(zip(f.lower80, f.upper80).allSatisfy { $0 <= $1 })
        // The daily cycle is kept: the forecast's trough is near the history's (−8 + noise).
        #expect(abs((f.mean.min() ?? 0) - (y.suffix(24).min() ?? 0)) < 2)
    }

    @Test func tooFewKnownValuesIsAClearError() {
        #expect(throws: ForecastError.self) { try AutoEnsemble.standard().forecast([1, .nan, 2], horizon: 3) }
        #expect(throws: ForecastError.self) { try AutoEnsemble.standard().forecast([], horizon: 3) }
    }

    /// A member that answers NaN is a failed member, not a NaN in the combination.
    struct NaNModel: Forecaster {
        var name: String { "nan" }
        func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
            Forecast(mean: [Double](repeating: .nan, count: horizon), standardDeviation: [Double](repeating: 1, count: horizon))
        }
    }

    @Test func aMemberThatAnswersNaNIsLeftOut() throws {
        let ensemble = AutoEnsemble(members: [NaNModel(), SeasonalNaive(period: 24), SeasonalNaive(period: 1)], top: 2)
        let f = try ensemble.forecast(Self.daily(24 * 12), horizon: 36)
        #expect(f.isFinite)
    }
}
