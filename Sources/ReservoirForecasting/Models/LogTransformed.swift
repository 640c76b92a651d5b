import Numerics

/// Any model fitted to `log(1 + y)` and transformed back: Box–Cox with λ = 0, shifted by one so zeros
/// are allowed (hours with no arrivals).
///
/// Why: arrivals of GPU demand are non-negative and spiky, with errors that grow with the level. On the
/// log scale the spikes are tamed and the errors closer to Gaussian; the back-transformed point forecast is
/// the forecast median, which is what MAE and MASE reward, and the interval stays non-negative.
public struct LogTransformed<Base: Forecaster>: Forecaster {
    public var base: Base
    public var name: String { base.name + "_log" }

    public init(_ base: Base) { self.base = base }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        guard history.allSatisfy({ $0 >= 0 }) else { throw ForecastError(.invalidInput, "log transform needs non-negative values") }
        return try base.forecast(history.map { Double.log(onePlus: $0) }, horizon: horizon).mapped { Double.expMinusOne($0) }
    }
}
