/// A forecaster whose fit is an expensive discrete search (an ARIMA order, a harmonic design) followed by a
/// cheap continuous fit of the structure it found.
///
/// Why: the ensemble validates every member at dozens of cuts of one history; the structure chosen from
/// data a few days older is almost always the same, so the ensemble searches once per week of history
/// (`MemberForecasts`) and only refits the coefficients at each cut. `forecast(y, horizon:, structure:
/// structure(y))` is exactly `forecast(y, horizon:)`.
protocol StructureSearching: Forecaster {
    associatedtype Structure: Sendable
    /// Two members with equal keys choose the same structure from the same data (the plain and the
    /// robust auto-ARIMA share one search).
    var structureKey: String { get }
    /// The structure the member's own search picks for `y`; nil when nothing could be fitted.
    func structure(_ y: [Double]) -> Structure?
    /// The forecast from `y` with `structure`'s coefficients re-estimated on `y`.
    func forecast(_ y: [Double], horizon: Int, structure: Structure) throws(ForecastError) -> Forecast
}
