/// Where a rolling-origin backtest cuts the series, and for which horizons it scores.
///
/// `openbProtocol` is forecast-backtest.md: origins 24·k for k = 20…32, h = 1…24 at all of them,
/// h = 1…168 at those with o + 168 ≤ n; MASE scaled by the lag-24 seasonal naive. One fit per origin,
/// to the longest horizon, serves every horizon set.
public struct BacktestPlan: Hashable, Sendable, Codable {
    public var origins: [Int]
    public var horizons: [Int]
    /// Period of the seasonal naive that scales MASE.
    public var scalePeriod: Int

    public init(origins: [Int], horizons: [Int], scalePeriod: Int) {
        self.origins = origins
        self.horizons = horizons
        self.scalePeriod = scalePeriod
    }

    public static let openbProtocol = BacktestPlan(origins: (20...32).map { 24 * $0 }, horizons: [24, 168], scalePeriod: 24)

    /// The origins at which horizon `h` is scored on a series of `count` points.
    public func origins(for h: Int, count: Int) -> [Int] { origins.filter { $0 + h <= count } }
}

/// One row of a backtest table.
public struct BacktestRow: Hashable, Sendable, Codable {
    public var model: String
    public var horizon: Int
    public var metrics: ForecastMetrics

    public init(model: String, horizon: Int, metrics: ForecastMetrics) {
        self.model = model
        self.horizon = horizon
        self.metrics = metrics
    }
}

/// Runs a model through a plan: refit from scratch at every origin on `y[0..<o]`, forecast the longest
/// horizon once, score each horizon set.
public enum Backtester {
    public static func run(_ model: some Forecaster, on y: [Double], plan: BacktestPlan) throws(ForecastError) -> [BacktestRow] {
        guard let longest = plan.horizons.max() else { return [] }
        let forecasts = try model.backtestForecasts(y, origins: plan.origins.filter { $0 < y.count && $0 > plan.scalePeriod },
                                                    horizon: longest)
        return plan.horizons.map { h in
            let windows = plan.origins(for: h, count: y.count).compactMap { o -> ForecastMetrics.Window? in
                guard let f = forecasts[o] else { return nil }
                let train = Array(y[0..<o])
                return .init(forecast: f.prefix(h), actual: Array(y[o..<(o + h)]),
                             scale: Statistics.seasonalNaiveScale(train, period: plan.scalePeriod))
            }
            return BacktestRow(model: model.name, horizon: h, metrics: ForecastMetrics(pooling: windows))
        }
    }
}

extension Forecaster {
    /// Forecasts from every origin `o` (history `y[0..<o]`, refit from scratch), each to `horizon` steps.
    /// A customisation point: the ensemble overrides it to share member fits between origins.
    public func backtestForecasts(_ y: [Double], origins: [Int], horizon: Int) throws(ForecastError) -> [Int: Forecast] {
        var out: [Int: Forecast] = [:]
        for o in origins { out[o] = try forecast(Array(y[0..<o]), horizon: horizon) }
        return out
    }
}
