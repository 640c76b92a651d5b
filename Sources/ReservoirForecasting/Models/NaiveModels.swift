/// The benchmark forecasters every other model must beat: the last value (random walk) and the value
/// one season ago (seasonal naive). Their intervals come from their own in-sample one-step errors,
/// widened with the number of steps (random walk) or of whole seasons (seasonal naive) ahead.
public struct SeasonalNaive: Forecaster {
    public var period: Int
    public var name: String { period == 1 ? "naive" : "seasonal_naive_\(period)" }

    /// `period = 1` is the plain naive (random-walk) forecast.
    public init(period: Int) { self.period = period }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        let m = period
        guard history.count > m + 1 else { throw ForecastError(.insufficientHistory, "seasonal naive needs more than one season") }
        let errors = Statistics.difference(history, lag: m)
        let sigma = (errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)).squareRoot()
        let last = history.suffix(m)
        var mean: [Double] = [], sd: [Double] = []
        for h in 1...horizon {
            mean.append(last[last.startIndex + (h - 1) % m])
            let steps = m == 1 ? h : (h - 1) / m + 1
            sd.append(sigma * Double(steps).squareRoot())
        }
        return Forecast(mean: mean, standardDeviation: sd)
    }
}
