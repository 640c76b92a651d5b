/// What a forecaster does with a history it cannot validate on: gaps, a constant, too few points. Each
/// path is documented in `AutoEnsemble` and answers with finite numbers or a clear error.
enum SeriesFallback {
    /// `history` with every non-finite value (a gap) replaced by the value one `period` earlier when that
    /// is known, else by the last known value (leading gaps take the first known value). Fewer than three
    /// known values is an error: nothing can be forecast from them.
    static func filled(_ history: [Double], period: Int) throws(ForecastError) -> [Double] {
        let known = history.filter(\.isFinite)
        guard known.count >= 3 else {
            throw ForecastError(.insufficientHistory, "a forecast needs at least 3 known values; the history has \(known.count)")
        }
        guard known.count < history.count else { return history }
        var out = history
        var last = known[0]
        for t in out.indices {
            if out[t].isFinite { last = out[t]; continue }
            out[t] = t >= period && out[t - period].isFinite ? out[t - period] : last
        }
        return out
    }

    /// The forecast for a history the ensemble cannot validate on, or nil when it can: a constant history
    /// forecasts the constant (zero-width interval: nothing ever varied); fewer than `minimumCount` points
    /// get the seasonal naive (the naive below two periods) with its own widening interval.
    static func forecast(_ history: [Double], horizon: Int, period: Int, minimumCount: Int) throws(ForecastError) -> Forecast? {
        if let first = history.first, history.allSatisfy({ $0 == first }) {
            let flat = [Double](repeating: first, count: horizon)
            return Forecast(mean: flat, lower80: flat, upper80: flat)
        }
        guard history.count < minimumCount else { return nil }
        return try SeasonalNaive(period: history.count > 2 * period ? period : 1).forecast(history, horizon: horizon)
    }
}
