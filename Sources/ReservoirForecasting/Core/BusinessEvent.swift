/// A known business event: a promotion, a contract start, a large training run. Over the hours
/// `start..<end` (indices on the series' own time axis, 0 = first history point, so they may lie in the
/// past or the future) demand is expected to be `1 + uplift` times its usual level.
public struct BusinessEvent: Hashable, Sendable, Codable {
    public var name: String
    public var start: Int
    public var end: Int
    /// Expected relative uplift, e.g. 0.5 for +50 %; must be > −1.
    public var uplift: Double

    public init(name: String, start: Int, end: Int, uplift: Double) {
        self.name = name
        self.start = start
        self.end = end
        self.uplift = uplift
    }

    func factor(at t: Int) -> Double { (start..<end).contains(t) ? 1 + uplift : 1 }
}

/// Any model with known events as multiplicative regressors.
///
/// Why a wrapper rather than a column in each model: the expected uplift is known in advance (it is a
/// business input, not something the past can estimate when the event is new), so the history is divided
/// by the events' factors before fitting, which keeps past promotions from being mistaken for level
/// shifts or seasonality, and the forecast is multiplied by them where future events fall.
public struct EventAdjusted<Base: Forecaster>: Forecaster {
    public var base: Base
    public var events: [BusinessEvent]
    public var name: String { base.name + "+events" }

    public init(_ base: Base, events: [BusinessEvent]) {
        self.base = base
        self.events = events
    }

    public func forecast(_ history: [Double], horizon: Int) throws(ForecastError) -> Forecast {
        guard events.allSatisfy({ $0.uplift > -1 && $0.start < $0.end }) else {
            throw ForecastError(.invalidInput, "an event needs start < end and uplift > -1")
        }
        let factor = { (t: Int) in self.events.reduce(1.0) { $0 * $1.factor(at: t) } }
        let cleaned = history.enumerated().map { $1 / factor($0) }
        let f = try base.forecast(cleaned, horizon: horizon)
        let n = history.count
        let scale = (0..<horizon).map { factor(n + $0) }
        return Forecast(mean: zip(f.mean, scale).map(*), lower80: zip(f.lower80, scale).map(*),
                        upper80: zip(f.upper80, scale).map(*))
    }
}
