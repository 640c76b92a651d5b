/// Yearly seasonality for an hourly forecaster, modelled only from two whole years of history, never
/// pretended from less.
///
/// Why a multiplicative day-of-year profile rather than a yearly term in each model: an hourly model over
/// two years (17,520 points) would be fitted dozens of times by the ensemble's validation, and a yearly
/// harmonic needs years of data per coefficient anyway. The profile is each day's mean over its year's
/// mean, averaged over the years observed and smoothed over ±7 days; the history is divided by it, the
/// base model sees only the last `fitHours` of that (the recent level and the daily/weekly cycles), and
/// the forecast is multiplied back by the profile of the days ahead.
public struct YearlyAdjusted<Base: Forecaster>: Forecaster {
    public var base: Base
    /// Hours of the deseasonalised history the base model is fitted on.
    public var fitHours: Int
    public var name: String { base.name + "+yearly" }

    /// Two years of hourly points: less, and the base model is fitted on the last `fitHours` as is.
    public static var minimumHistory: Int { 2 * 365 * 24 }

    public init(_ base: Base, fitHours: Int = 28 * 24) {
        self.base = base
        self.fitHours = fitHours
    }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        guard fitHours >= 1 else { throw ForecastError(.invalidInput, "fitHours must be ≥ 1") }
        guard history.count >= Self.minimumHistory, let profile = Self.profile(history) else {
            return try base.forecast(Array(history.suffix(fitHours)), horizon: horizon)
        }
        let factor = { (t: Int) in profile[(t / 24) % 365] }
        let cleaned = history.enumerated().map { t, y in y.isFinite ? y / factor(t) : y }
        let f = try base.forecast(Array(cleaned.suffix(fitHours)), horizon: horizon)
        let n = history.count
        let adjust = { (values: [Double]) in values.enumerated().map { $1 * factor(n + $0) } }
        return Forecast(mean: adjust(f.mean), lower80: adjust(f.lower80), upper80: adjust(f.upper80))
    }

    /// 365 factors (index: day since the series' start, modulo 365) with mean 1, or nil when a year's
    /// mean is not positive (a profile of a series that is zero for a year says nothing).
    static func profile(_ y: [Double]) -> [Double]? {
        let days = y.count / 24
        let years = days / 365
        guard years >= 2 else { return nil }
        let first = days - years * 365
        let daily: [Double] = (0..<days).map { d in
            let known = y[(d * 24)..<(d * 24 + 24)].filter(\.isFinite)
            return known.isEmpty ? .nan : known.reduce(0, +) / Double(known.count)
        }
        var sum = [Double](repeating: 0, count: 365), count = sum
        for k in 0..<years {
            let year = daily[(first + k * 365)..<(first + (k + 1) * 365)].filter(\.isFinite)
            guard !year.isEmpty else { continue }
            let level = year.reduce(0, +) / Double(year.count)
            guard level > 0 else { return nil }
            for d in (first + k * 365)..<(first + (k + 1) * 365) where daily[d].isFinite {
                sum[d % 365] += daily[d] / level
                count[d % 365] += 1
            }
        }
        let raw = (0..<365).map { count[$0] > 0 ? sum[$0] / count[$0] : 1 }
        let smooth: [Double] = (0..<365).map { (d: Int) -> Double in
            var total = 0.0
            for offset in -7...7 { total += raw[(d + offset + 365) % 365] }
            return total / 15
        }
        let mean = smooth.reduce(0, +) / 365
        guard mean > 0, mean.isFinite else { return nil }
        return smooth.map { min(20, max(0.05, $0 / mean)) }
    }
}
