/// A seasonal ARIMA model of a fixed order, e.g. the SARIMA(1,0,1)(0,1,1)24 that forecast-backtest.md
/// lists as the best known model for `gpu_arrived` at 24 h; useful to reproduce a named baseline.
public struct Arima: Forecaster {
    public var spec: ArimaSpec
    public var name: String {
        let s = spec
        let seasonal = s.period > 1 ? "_\(s.seasonalP)\(s.seasonalD)\(s.seasonalQ)_\(s.period)" : ""
        return "arima_\(s.p)\(s.d)\(s.q)\(seasonal)"
    }

    public init(spec: ArimaSpec) { self.spec = spec }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        guard let model = ArimaModel.fit(history, spec: spec) else {
            throw ForecastError(.fitFailed, "\(spec) could not be fitted to \(history.count) points")
        }
        return model.forecast(horizon: horizon)
    }
}

extension Arima: StructureSearching {
    /// The least-squares optimum on the search history: the warm start of the refits at later cuts (the
    /// order is fixed, so there is nothing else to search).
    var structureKey: String { "arima \(spec)" }
    func structure(_ y: [Double]) -> [Double]? { ArimaModel.fit(y, spec: spec)?.point }
    func forecast(_ y: [Double], horizon: Int, structure: [Double]) throws(ForecastError) -> Forecast {
        guard let model = ArimaModel.fit(y, spec: spec, start: structure) else {
            throw ForecastError(.fitFailed, "\(spec) could not be fitted to \(y.count) points")
        }
        return model.forecast(horizon: horizon)
    }
}
