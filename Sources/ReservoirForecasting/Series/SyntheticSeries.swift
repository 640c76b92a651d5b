import Foundation
import ReservoirCore

/// Hourly demand-like series with one known structure each, generated deterministically (SplitMix64, fixed
/// seeds), so a forecaster can be checked against what is known to be there: the same 800 hours as the
/// openb protocol, a daily cycle, Gaussian noise, whole units, never negative.
///
/// The structures are the ones real demand shows and one tuned series may not: a change of trend, a level
/// shift, a promotion spike, a missing day recorded as zeros, and a weekly cycle on top of the daily one.
public enum SyntheticSeries: String, Sendable, CaseIterable {
    /// Slope +0.03/h until hour 400, then −0.02/h.
    case trendChange = "trend_change"
    /// +15 from hour 520 on (inside the backtest's origins: the forecaster must adapt after it).
    case levelShift = "level_shift"
    /// Demand × 1.8 for the two days from hour 600 (a promotion nobody announced to the model).
    case spike
    /// Hours 432…455 recorded as 0, as an outage of the collector writes them.
    case missingDay = "missing_day"
    /// Daily cycle times a weekly one: weekends at 65 % of weekdays.
    case doubleSeasonality = "double_seasonality"

    public static let hours = 800

    /// The noise-free structure at hour `t` (what a perfect forecaster would predict).
    public func truth(_ t: Int) -> Double {
        let x = Double(t)
        let daily = 8 * sin(2 * Double.pi * x / 24)
        switch self {
        case .trendChange:
            let trend = t < 400 ? 0.03 * x : 0.03 * 400 - 0.02 * (x - 400)
            return 40 + trend + daily
        case .levelShift:
            return 40 + daily + (t >= 520 ? 15 : 0)
        case .spike:
            return (40 + daily) * ((600..<648).contains(t) ? 1.8 : 1)
        case .missingDay:
            return (432..<456).contains(t) ? 0 : 40 + daily
        case .doubleSeasonality:
            let weekend = (t / 24) % 7 >= 5
            return (40 + daily) * (weekend ? 0.65 : 1)
        }
    }

    /// Seeds of the development draws (what the forecaster may be designed on): the draws earlier sessions
    /// tuned on.
    public static let developmentSeed: UInt64 = 19_000
    /// Seeds of the reported draws (`EvaluationSet`): the same structures with other noise, never looked at
    /// while choosing a design.
    public static let reportSeed: UInt64 = 29_000

    /// The development draw (`values(seed: developmentSeed)`), what the structure tests check.
    public var values: [Double] { values(seed: Self.developmentSeed) }

    /// The series: truth plus N(0, 2²) noise, rounded to whole units, floored at 0 (the missing day stays
    /// 0); the noise from SplitMix64 seeded with `seed` + the case's index.
    public func values(seed: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed + UInt64(Self.allCases.firstIndex(of: self)!))
        return (0..<Self.hours).map { t in
            let u1 = (Double(random.next() >> 11) + 0.5) / Double(UInt64(1) << 53), u2 = random.nextUnit()
            let noise = 2 * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            let truth = truth(t)
            return truth == 0 ? 0 : max(0, (truth + noise).rounded())
        }
    }
}
