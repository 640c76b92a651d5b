/// A known business event: a promotion, a contract start, a large training run. Over the hours
/// `start..<end` (indices on the series' own time axis, 0 = first history point, so they may lie in the
/// past or the future) demand is expected to be `1 + uplift` times its usual level plus `extra` units.
public struct BusinessEvent: Hashable, Sendable, Codable {
    public var name: String
    public var start: Int
    public var end: Int
    /// Expected relative uplift, e.g. 0.5 for +50 %; must be > −1.
    public var uplift: Double
    /// Expected absolute demand on top of the usual level (a contract ramp's committed GPUs); ≥ 0.
    public var extra: Double

    public init(name: String, start: Int, end: Int, uplift: Double, extra: Double = 0) {
        self.name = name
        self.start = start
        self.end = end
        self.uplift = uplift
        self.extra = extra
    }

    func factor(at t: Int) -> Double { (start..<end).contains(t) ? 1 + uplift : 1 }
    func added(at t: Int) -> Double { (start..<end).contains(t) ? extra : 0 }
}

/// Any model with known events as regressors: multiplicative uplifts and additive extra demand.
///
/// Why a wrapper rather than a column in each model: the expected uplift is known in advance (it is a
/// business input, not something the past can estimate when the event is new), so the history is
/// cleaned of the events (extra demand subtracted, then divided by the factors) before fitting, which
/// keeps past promotions from being mistaken for level shifts or seasonality, and the forecast gets them
/// back where future events fall. A gap (a non-finite value) stays a gap for the base model to fill.
public struct EventAdjusted<Base: Forecaster>: Forecaster {
    public var base: Base
    public var events: [BusinessEvent]
    public var name: String { base.name + "+events" }

    public init(_ base: Base, events: [BusinessEvent]) {
        self.base = base
        self.events = events
    }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        guard events.allSatisfy({ $0.uplift > -1 && $0.start < $0.end && $0.extra >= 0 && $0.uplift.isFinite && $0.extra.isFinite }) else {
            throw ForecastError(.invalidInput, "an event needs start < end, a finite uplift > -1 and extra demand >= 0")
        }
        let factor = { (t: Int) in self.events.reduce(1.0) { $0 * $1.factor(at: t) } }
        let added = { (t: Int) in self.events.reduce(0.0) { $0 + $1.added(at: t) } }
        let cleaned = history.enumerated().map { t, y in y.isFinite ? max(0, y - added(t)) / factor(t) : y }
        let f = try base.forecast(cleaned, horizon: horizon)
        let n = history.count
        let adjust = { (values: [Double]) in values.enumerated().map { $1 * factor(n + $0) + added(n + $0) } }
        return Forecast(mean: adjust(f.mean), lower80: adjust(f.lower80), upper80: adjust(f.upper80))
    }
}
